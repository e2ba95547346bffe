import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Certificates made with openssl for the registry tests: a CA and a server certificate for the
 * loopback addresses (TLS), and a self-signed ES256 certificate for the token server (the registry
 * trusts tokens whose `x5c` chain ends in its `rootcertbundle`).
 */

export interface CertificateFiles {
  /** PEM certificate. */
  readonly cert: string;
  /** PEM private key. */
  readonly key: string;
}

export interface TestCa {
  /** The CA's PEM certificate: what NODE_EXTRA_CA_CERTS names. */
  readonly caCert: string;
  /** A server certificate for 127.0.0.1 and localhost, signed by the CA. */
  readonly server: CertificateFiles;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA and a server certificate for `127.0.0.1`, `::1` and `localhost`, in `dir`. */
export function makeTestCa(dir: string): TestCa {
  const caKey = path.join(dir, 'ca.key');
  const caCert = path.join(dir, 'ca.pem');
  const key = path.join(dir, 'server.key');
  const csr = path.join(dir, 'server.csr');
  const cert = path.join(dir, 'server.pem');
  const ext = path.join(dir, 'server.ext');
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', caKey, '-out', caCert,
    '-days', '2', '-subj', '/CN=cdk-image-pinning test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext]);
  return { caCert, server: { cert, key } };
}

/** A self-signed EC P-256 certificate and key for signing ES256 tokens, in `dir`. */
export function makeTokenSigningCert(dir: string): CertificateFiles {
  const key = path.join(dir, 'token.key');
  const cert = path.join(dir, 'token.pem');
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
    '-days', '2', '-subj', '/CN=cdk-image-pinning test token issuer']);
  return { cert, key };
}
