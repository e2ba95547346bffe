import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImageReference } from '../../src/reference/image-reference';
import { RegistryClient } from '../../src/registry/registry-client';
import { makeTestCa, TestCa } from '../support/registry/certificates';
import { LocalRegistry, startRegistry } from '../support/registry/local-registry';
import { INSTALL_TIMEOUT_MS } from '../support/registry/tools';

/**
 * A registry served over TLS with a certificate from a private CA: trusted through
 * NODE_EXTRA_CA_CERTS (read by Node at start-up, so in a child process), and refused without it
 * with a message that says how to trust it.
 */

let dir: string;
let ca: TestCa;
let registry: LocalRegistry;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-pinning-tls-'));
  ca = makeTestCa(dir);
  registry = await startRegistry({ tls: ca.server });
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await registry?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('with NODE_EXTRA_CA_CERTS naming the CA, the TLS registry is pushed to and resolved', () => {
  const child = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', path.join(__dirname, '..', 'support', 'registry', 'tls-child.ts'), registry.url],
    { encoding: 'utf8', env: { ...process.env, NODE_EXTRA_CA_CERTS: ca.caCert }, timeout: 60_000 },
  );
  expect(child.stderr).toBe('');
  const { pushed, resolution } = JSON.parse(child.stdout);
  expect(resolution).toMatchObject({ kind: 'found', digest: pushed, registry: 'registry.test', platform: { os: 'linux', architecture: 'amd64' } });
  expect(registry.url).toMatch(/^https:/);
});

test('without the CA: unreachable (tls), once, saying how to trust a private CA', async () => {
  const client = new RegistryClient({ registryMirrors: [`registry.test=${registry.url}`], retries: 2, baseDelayMs: 5 });
  const resolution = await client.resolve(ImageReference.parse('registry.test/team/tls:1.0.0'));
  expect(resolution).toMatchObject({ kind: 'unreachable', reason: 'tls' });
  expect((resolution as { message: string }).message).toContain('NODE_EXTRA_CA_CERTS=<ca.pem>');
  expect(client.requestCounts().head).toBe(1); // a certificate problem is not retried
});
