import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT, removeTemporaryDirectories, stdoutJson, temporaryDirectory } from '../cli/cli-process';
import { runCliAsync } from '../support/online/run';
import { DockerEnv, dockerEnv } from '../support/registry/docker-env';
import { LINUX_AMD64, LINUX_ARM64, PushedIndex, pushImage, pushIndex } from '../support/registry/images';
import { LocalRegistry, startRegistry } from '../support/registry/local-registry';
import { RegistryPusher } from '../support/registry/push';
import { INSTALL_TIMEOUT_MS } from '../support/registry/tools';

/**
 * End to end, as CI runs it: `cdk synth` of an app (the real aws-cdk CLI) whose images are in a
 * real registry on loopback (and on "Docker Hub", a second registry reached with
 * `--registry-mirror docker.io=...`), then `lock`, `verify --lock-file` and `lock --check` green;
 * then a tag is moved in the registry (a new image pushed under it) and `lock --check` fails
 * naming it.
 */

const CDK = path.join(REPO_ROOT, 'node_modules', '.bin', 'cdk');

let registry: LocalRegistry;
let hub: LocalRegistry;
let docker: DockerEnv;
let dir: string;
let web: PushedIndex;

beforeAll(async () => {
  registry = await startRegistry();
  hub = await startRegistry();
  const pusher = new RegistryPusher(registry.url);
  web = await pushIndex(pusher, 'team/web', '1.0.0', [LINUX_AMD64, LINUX_ARM64], { attestations: true });
  await pushImage(pusher, 'team/fn', '2.0.0', LINUX_ARM64);
  await pushIndex(new RegistryPusher(hub.url), 'library/nginx', '1.27.3', [LINUX_AMD64, LINUX_ARM64]);
  docker = dockerEnv({});
  dir = temporaryDirectory('image-pinning-e2e-registry-');
  const synth = spawnSync(
    CDK,
    [
      'synth',
      '--app', `node -r ts-node/register/transpile-only ${path.join(REPO_ROOT, 'test/fixtures/apps/registry-app.ts')}`,
      '--context', `registry=${registry.host}`,
      '--output', path.join(dir, 'cdk.out'),
      '--no-notices',
      '--quiet',
    ],
    { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true', NO_COLOR: '1' } },
  );
  expect(`${synth.stdout}${synth.stderr}`).not.toContain('ImagePinning-');
  expect(synth.status).toBe(0);
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await registry?.stop();
  await hub?.stop();
  docker?.remove();
  removeTemporaryDirectories();
});

const MIRROR = () => ['--registry-mirror', `docker.io=${hub.url}`];
const cli = (...args: string[]) => runCliAsync(args, { cwd: dir, env: docker.env });

test('cdk synth, then lock, verify and lock --check are green; a moved tag makes lock --check fail naming it', async () => {
  const lock = await cli('lock', ...MIRROR());
  expect(lock.stderr).toBe('');
  expect(lock.status).toBe(0);
  expect(lock.stdout).toContain('1 image not known at synthesis (CDK assets, parameters, imports) left out of the lock.');
  const lockFile = JSON.parse(fs.readFileSync(path.join(dir, 'cdk-image-pinning.lock.json'), 'utf8'));
  expect(Object.keys(lockFile.images)).toEqual([`${registry.host}/team/fn:2.0.0`, `${registry.host}/team/web:1.0.0`, 'docker.io/library/nginx:1.27.3']); // sorted
  expect(lockFile.images[`${registry.host}/team/web:1.0.0`]).toEqual({ digest: web.digest, mediaType: 'application/vnd.oci.image.index.v1+json', platforms: web.children });

  const verify = await cli('verify', '--lock-file', 'cdk-image-pinning.lock.json', '--format', 'json', '--inventory', ...MIRROR());
  expect(verify.stderr).toBe('');
  expect(verify.status).toBe(0);
  const report = stdoutJson(verify);
  expect(report.findings).toEqual([]);
  expect(report.inventory.map((i: { container: string; verification: string; platform: string }) => `${i.container} ${i.verification} ${i.platform}`).sort())
    .toEqual(['Code.ImageUri verified linux/arm64', 'built not-checked undefined', 'proxy verified linux/amd64', 'web verified linux/arm64']);
  expect(report.inventory.find((i: { container: string }) => i.container === 'built')).toMatchObject({ status: 'asset', verificationNote: 'a CDK asset image: it is built and pushed at deployment' });
  expect(report.summary.requests).toEqual({ head: 3, get: 0, token: 0 });

  const check = await cli('lock', '--check', ...MIRROR());
  expect(check.stdout).toBe(
    '1 image not known at synthesis (CDK assets, parameters, imports) left out of the lock.\n' +
      'cdk-image-pinning.lock.json holds every image used (3 keys used, 3 checked against their registries).\n',
  );
  expect(check.status).toBe(0);

  const moved = await pushIndex(new RegistryPusher(registry.url), 'team/web', '1.0.0', [LINUX_AMD64, LINUX_ARM64]);
  const failed = await cli('lock', '--check', ...MIRROR());
  expect(failed.status).toBe(1);
  expect(failed.stdout).toContain(`error    the tag of ${registry.host}/team/web:1.0.0 moved: it points at ${moved.digest}, the lock holds ${web.digest}`);
  expect(failed.stdout).toMatch(/\n {9}used in cdk\.out\/Registry\.template\.json:\d+:\d+ Web\w+\/web\n/);

  // verify says the same as a warning (the deployed digest is what synthesis pins; the tag no longer names it).
  const after = await cli('verify', '--lock-file', 'cdk-image-pinning.lock.json', '--format', 'json', ...MIRROR());
  expect(stdoutJson(after).findings.map((f: { ruleId: string; reason: string }) => `${f.ruleId} ${f.reason}`)).toEqual(['ImagePinning-REG4 TAG_MOVED']);
  expect(after.status).toBe(0);
});
