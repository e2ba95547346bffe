import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT, removeTemporaryDirectories, stdoutJson, temporaryDirectory } from '../cli/cli-process';
import { runCliAsync } from '../support/online/run';
import { DockerEnv, dockerEnv } from '../support/registry/docker-env';
import { LINUX_AMD64, LINUX_ARM64, moveTag, PushedImage, PushedIndex, pushImage, pushIndex } from '../support/registry/images';
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
let fn: PushedImage;
let nginx: PushedIndex;
/** Points team/web:1.0.0 back at the image the lock holds, after a test moved it. */
let moveTagBack: () => Promise<void> = async () => {};

beforeAll(async () => {
  registry = await startRegistry();
  hub = await startRegistry();
  const pusher = new RegistryPusher(registry.url);
  web = await pushIndex(pusher, 'team/web', '1.0.0', [LINUX_AMD64, LINUX_ARM64], { attestations: true });
  fn = await pushImage(pusher, 'team/fn', '2.0.0', LINUX_ARM64);
  nginx = await pushIndex(new RegistryPusher(hub.url), 'library/nginx', '1.27.3', [LINUX_AMD64, LINUX_ARM64]);
  docker = dockerEnv({});
  dir = temporaryDirectory('image-pinning-e2e-registry-');
  synth();
}, INSTALL_TIMEOUT_MS);

/** `cdk synth` of the app into `dir/cdk.out` (replacing it), with these context values. */
function synth(context: Record<string, string> = {}): void {
  fs.rmSync(path.join(dir, 'cdk.out'), { recursive: true, force: true });
  const result = spawnSync(
    CDK,
    [
      'synth',
      '--app', `node -r ts-node/register/transpile-only ${path.join(REPO_ROOT, 'test/fixtures/apps/registry-app.ts')}`,
      '--context', `registry=${registry.host}`,
      ...Object.entries(context).flatMap(([k, v]) => ['--context', `${k}=${v}`]),
      '--output', path.join(dir, 'cdk.out'),
      '--no-notices',
      '--quiet',
    ],
    { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true', NO_COLOR: '1' } },
  );
  expect(`${result.stdout}${result.stderr}`).not.toContain('ImagePinning-');
  expect(result.status).toBe(0);
}

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
  moveTagBack = () => moveTag(new RegistryPusher(registry.url), 'team/web', '1.0.0', web);
  const failed = await cli('lock', '--check', ...MIRROR());
  expect(failed.status).toBe(1);
  expect(failed.stdout).toContain(`error    the tag of ${registry.host}/team/web:1.0.0 moved: it points at ${moved.digest}, the lock holds ${web.digest}`);
  expect(failed.stdout).toMatch(/\n {9}used in cdk\.out\/Registry\.template\.json:\d+:\d+ Web\w+\/web\n/);

  // verify says the same as a warning (the deployed digest is what synthesis pins; the tag no longer names it).
  const after = await cli('verify', '--lock-file', 'cdk-image-pinning.lock.json', '--format', 'json', ...MIRROR());
  expect(stdoutJson(after).findings.map((f: { ruleId: string; reason: string }) => `${f.ruleId} ${f.reason}`)).toEqual(['ImagePinning-REG4 TAG_MOVED']);
  expect(after.status).toBe(0);
});

test('cdk synth again with the lock: the templates hold digests, and verify and lock --check read them as their tags', async () => {
  await moveTagBack();
  // The lock the first test wrote (or, when this test runs alone, written now: lock keeps existing entries).
  const lock = await cli('lock', ...MIRROR());
  expect(lock.status).toBe(0);
  synth({ 'cdk-image-pinning:lockFile': path.join(dir, 'cdk-image-pinning.lock.json') });

  // Each image as the service documents it, `name@digest`, with the image as written in the resource's metadata.
  const resources = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', 'Registry.template.json'), 'utf8')).Resources;
  const written = (type: string, image: (p: any) => string) => Object.values(resources)
    .filter((r: any) => r.Type === type)
    .map((r: any) => `${image(r.Properties)} ${JSON.stringify(r.Metadata['cdk-image-pinning:locked'])}`)
    .sort();
  expect(written('AWS::ECS::TaskDefinition', (p) => JSON.stringify(p.ContainerDefinitions[0].Image))).toEqual([
    `"${registry.host}/team/web@${web.digest}" {"ContainerDefinitions.0.Image":"${registry.host}/team/web:1.0.0"}`,
    `"nginx@${nginx.digest}" {"ContainerDefinitions.0.Image":"nginx:1.27.3"}`,
    expect.stringMatching(/^\{"Fn::Sub":"\$\{AWS::AccountId\}\.dkr\.ecr\..*\} undefined$/), // the asset image: not in the lock, left as it is
  ].sort());
  expect(written('AWS::Lambda::Function', (p) => p.Code.ImageUri)).toEqual([`${registry.host}/team/fn@${fn.digest} {"Code.ImageUri":"${registry.host}/team/fn:2.0.0"}`]);

  const verify = await cli('verify', '--lock-file', 'cdk-image-pinning.lock.json', '--level', 'digest', '--format', 'json', '--inventory', ...MIRROR());
  expect(verify.stderr).toBe('');
  const report = stdoutJson(verify);
  expect(report.findings).toEqual([]); // DIGEST passes: synthesis pinned every registry image
  expect(report.inventory.map((i: { container: string; verification: string; lockedFrom?: string; fromLock?: boolean }) => `${i.container} ${i.verification} ${i.lockedFrom} ${i.fromLock}`).sort())
    .toEqual([
      'Code.ImageUri verified ' + `${registry.host}/team/fn:2.0.0 true`,
      'built not-checked undefined undefined',
      'proxy verified nginx:1.27.3 true',
      `web verified ${registry.host}/team/web:1.0.0 true`,
    ]);
  expect(report.summary.requests).toEqual({ head: 3, get: 0, token: 0 }); // one HEAD of each tag, platforms from the lock
  expect(verify.status).toBe(0);

  const check = await cli('lock', '--check', ...MIRROR());
  expect(check.stdout).toContain('cdk-image-pinning.lock.json holds every image used (3 keys used, 3 checked against their registries).');
  expect(check.status).toBe(0);

  // The tag moves under the pinned template: lock --check names the tag, and verify warns.
  const moved = await pushIndex(new RegistryPusher(registry.url), 'team/web', '1.0.0', [LINUX_AMD64, LINUX_ARM64]);
  const failed = await cli('lock', '--check', ...MIRROR());
  expect(failed.status).toBe(1);
  expect(failed.stdout).toContain(`error    the tag of ${registry.host}/team/web:1.0.0 moved: it points at ${moved.digest}, the lock holds ${web.digest}`);
  const after = await cli('verify', '--lock-file', 'cdk-image-pinning.lock.json', '--format', 'json', ...MIRROR());
  expect(stdoutJson(after).findings.map((f: { ruleId: string; reason: string; image: string }) => `${f.ruleId} ${f.reason} ${f.image}`))
    .toEqual([`ImagePinning-REG4 TAG_MOVED ${registry.host}/team/web@${web.digest}`]);
  expect(after.status).toBe(0);
});
