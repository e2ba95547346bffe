import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { CertificateFiles } from './certificates';
import { freePort } from './loopback';
import { ensureRegistryTools } from './tools';

/**
 * A real registry for the tests: Debian's `docker-registry` (CNCF distribution 2.8) serving a config
 * written to a temp folder, on 127.0.0.1 and a free port, with filesystem storage in that folder.
 * It starts in tens of milliseconds; each test file starts the ones it needs and stops them.
 * The service the Debian package may have started on :5000 is never used.
 */

export type RegistryAuth =
  | { readonly kind: 'none' }
  /** htpasswd Basic auth: user name to password (hashed with `htpasswd -B`). */
  | { readonly kind: 'htpasswd'; readonly users: Readonly<Record<string, string>> }
  /** Token auth: the registry trusts tokens signed by `signer` (its cert is the rootcertbundle). */
  | { readonly kind: 'token'; readonly realm: string; readonly service: string; readonly issuer: string; readonly signer: CertificateFiles };

export interface RegistryOptions {
  /** @default none */
  readonly auth?: RegistryAuth;
  /** Serve HTTPS with this certificate. @default plain HTTP */
  readonly tls?: CertificateFiles;
}

export interface LocalRegistry {
  /** `127.0.0.1:<port>`: the registry as image references name it. */
  readonly host: string;
  /** `http://127.0.0.1:<port>` or `https://...`. */
  readonly url: string;
  /** Milliseconds from spawn to the first answer on `/v2/`. */
  readonly startMs: number;
  /** What the registry printed (errors only: the log level is `error`). */
  output(): string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

/** Starts a registry and waits until it answers. */
export async function startRegistry(options: RegistryOptions = {}): Promise<LocalRegistry> {
  ensureRegistryTools();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-pinning-registry-'));
  const auth = options.auth ?? { kind: 'none' };
  // A port found free may be taken before the registry binds it: try a few.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const config = path.join(dir, 'config.yml');
    fs.writeFileSync(config, registryConfig(dir, host, auth, options.tls));
    const started = Date.now();
    const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d) => (output += String(d)));
    child.stderr!.on('data', (d) => (output += String(d)));
    const url = `${options.tls ? 'https' : 'http'}://${host}`;
    const ready = await waitUntilAnswering(child, host, options.tls !== undefined);
    if (ready) {
      return {
        host,
        url,
        startMs: Date.now() - started,
        output: () => output,
        stop: async () => {
          await stopChild(child);
          fs.rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    await stopChild(child);
    if (attempt >= 3) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`docker-registry did not start on ${host}: ${output.trim().slice(-2000)}`);
    }
  }
}

function registryConfig(dir: string, host: string, auth: RegistryAuth, tls: CertificateFiles | undefined): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: ${host}`,
    '  secret: cdk-image-pinning-test-secret',
  ];
  if (tls) {
    lines.push('  tls:', `    certificate: ${tls.cert}`, `    key: ${tls.key}`);
  }
  if (auth.kind === 'htpasswd') {
    const file = path.join(dir, 'htpasswd');
    const entries = Object.entries(auth.users).map(([user, password]) =>
      execFileSync('htpasswd', ['-Bbn', user, password], { encoding: 'utf8' }).trim(),
    );
    fs.writeFileSync(file, entries.join('\n') + '\n');
    lines.push('auth:', '  htpasswd:', '    realm: cdk-image-pinning-test', `    path: ${file}`);
  } else if (auth.kind === 'token') {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${auth.realm}`,
      `    service: ${auth.service}`,
      `    issuer: ${auth.issuer}`,
      `    rootcertbundle: ${auth.signer.cert}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Polls `/v2/` until any HTTP answer (a 401 counts: the registry is up). False when the process dies or time runs out. */
async function waitUntilAnswering(child: ChildProcess, host: string, tls: boolean): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (!exited && Date.now() < deadline) {
    if (await answers(host, tls)) {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return false;
}

/** Does something answer HTTP(S) on this address? TLS is checked by connecting only (the CA is not trusted here). */
async function answers(host: string, tls: boolean): Promise<boolean> {
  const [address, port] = host.split(':');
  if (tls) {
    return new Promise((resolve) => {
      const socket = net.connect(Number(port), address, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
  }
  try {
    await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(500) });
    return true;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
