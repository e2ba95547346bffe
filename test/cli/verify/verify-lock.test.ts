import * as fs from 'fs';
import * as path from 'path';
import { runCliAsync } from '../../support/online/run';
import { ecsTask, lambdaFunction, lockedMetadata, writeTemplate } from '../../support/online/templates';
import { DockerEnv, dockerEnv } from '../../support/registry/docker-env';
import { LINUX_AMD64, LINUX_ARM64, moveTag, PushedImage, PushedIndex, pushImage, pushIndex } from '../../support/registry/images';
import { LocalRegistry, startRegistry } from '../../support/registry/local-registry';
import { RegistryPusher } from '../../support/registry/push';
import { INSTALL_TIMEOUT_MS } from '../../support/registry/tools';
import { removeTemporaryDirectories, stdoutJson, temporaryDirectory } from '../cli-process';

/**
 * `verify --lock-file`: images already in the lock are checked against the locked digest with
 * one HEAD of their tag and no GET (the platforms come from the lock); a tag that moved since it
 * was locked is REG4; images synthesis pinned from the lock are read as their key.
 */

let registry: LocalRegistry;
let pusher: RegistryPusher;
let env: DockerEnv;
let dir: string;
let web: PushedIndex;
let worker: PushedImage;
let fn: PushedIndex;

beforeAll(async () => {
  registry = await startRegistry();
  pusher = new RegistryPusher(registry.url);
  web = await pushIndex(pusher, 'team/web', '1.0.0', [LINUX_AMD64, LINUX_ARM64], { attestations: true });
  worker = await pushImage(pusher, 'team/worker', '2.0.0', LINUX_AMD64);
  fn = await pushIndex(pusher, 'team/fn', '3.0.0', [LINUX_AMD64, LINUX_ARM64]);
  env = dockerEnv({});
  dir = temporaryDirectory('image-pinning-verify-lock-');
  const r = registry.host;
  writeTemplate(dir, 'App.template.json', {
    WebArm: ecsTask([`${r}/team/web:1.0.0`], { cpu: 'ARM64' }),
    WebAmd: ecsTask([`${r}/team/web:1.0.0`]),
    Worker: ecsTask([`${r}/team/worker:2.0.0`]),
    WorkerArm: ecsTask([`${r}/team/worker:2.0.0`], { cpu: 'ARM64' }),
    Fn: lambdaFunction(`${r}/team/fn:3.0.0`, { architecture: 'arm64' }),
  });
  const lock = await runCliAsync(['lock', 'App.template.json'], { cwd: dir, env: env.env });
  expect(lock.status).toBe(0);
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await registry?.stop();
  env?.remove();
  removeTemporaryDirectories();
});

const verify = (...args: string[]) => runCliAsync(['verify', '--format', 'json', '--inventory', ...args], { cwd: dir, env: env.env });
const rules = (run: { stdout: string }) =>
  stdoutJson(run).findings.filter((f: { ruleId: string }) => f.ruleId.startsWith('ImagePinning-REG')).map((f: { resource: string; ruleId: string }) => `${f.resource} ${f.ruleId}`);

test('with the lock: the same findings, one HEAD per distinct reference and no GET; without it, GETs for the platforms', async () => {
  const without = await verify('App.template.json');
  const withLock = await verify('--lock-file', 'cdk-image-pinning.lock.json', 'App.template.json');
  expect(rules(withLock)).toEqual(rules(without));
  expect(rules(withLock)).toEqual(['WorkerArm ImagePinning-REG2', 'Fn ImagePinning-REG3']);
  expect(stdoutJson(without).summary.requests).toEqual({ head: 3, get: 4, token: 0 }); // web: index; worker: manifest + config; fn: index
  expect(stdoutJson(withLock).summary.requests).toEqual({ head: 3, get: 0, token: 0 });
  expect(stdoutJson(withLock).inventory.every((i: { fromLock?: boolean }) => i.fromLock === true)).toBe(true);
  const fnFinding = stdoutJson(withLock).findings.find((f: { ruleId: string }) => f.ruleId === 'ImagePinning-REG3');
  expect(fnFinding.fix).toBe(`pin the linux/arm64 image of the index: "${registry.host}/team/fn@${fn.children['linux/arm64']}"`);
});

test('a tag that moved since it was locked: REG4 naming the lock, and the image the tag now names is judged', async () => {
  const moved = await pushImage(pusher, 'team/worker', '2.0.0', LINUX_ARM64);
  try {
    const run = await verify('--lock-file', 'cdk-image-pinning.lock.json', 'App.template.json');
    const reg4 = stdoutJson(run).findings.filter((f: { ruleId: string }) => f.ruleId === 'ImagePinning-REG4');
    expect(reg4.map((f: { resource: string }) => f.resource)).toEqual(['Worker', 'WorkerArm']);
    expect(reg4[0].message).toContain(`now points at ${moved.digest}, not at ${worker.digest}, the digest in the lock file`);
    expect(reg4[0].fix).toContain(`run \`cdk-image-pinning lock --update '${registry.host}/team/worker:2.0.0'\``);
    // The new image is arm64-only: now the amd64 task fails and the arm64 one passes.
    expect(rules(run)).toEqual(['Worker ImagePinning-REG4', 'Worker ImagePinning-REG2', 'WorkerArm ImagePinning-REG4', 'Fn ImagePinning-REG3']);
  } finally {
    await moveTag(pusher, 'team/worker', '2.0.0', worker);
  }
});

test('images synthesis pinned from the lock: verified from the lock by digest, the tag checked; a Lambda child digest is no move', async () => {
  const r = registry.host;
  writeTemplate(dir, 'Pinned.template.json', {
    Web: ecsTask([`${r}/team/web@${web.digest}`], { cpu: 'ARM64', metadata: lockedMetadata({ 'ContainerDefinitions.0.Image': `${r}/team/web:1.0.0` }) }),
    Fn: lambdaFunction(`${r}/team/fn@${fn.children['linux/arm64']}`, { architecture: 'arm64', metadata: lockedMetadata({ 'Code.ImageUri': `${r}/team/fn:3.0.0` }) }),
  });
  const run = await verify('--lock-file', 'cdk-image-pinning.lock.json', 'Pinned.template.json');
  expect(run.status).toBe(0);
  expect(stdoutJson(run).findings).toEqual([]);
  // Web: its tag's HEAD shows the pinned digest; Fn: the tag names the index, so its child gets a HEAD too.
  expect(stdoutJson(run).summary.requests).toEqual({ head: 3, get: 0, token: 0 });
  const inventory: Array<{ verification: string; fromLock: boolean; lockedFrom: string }> = stdoutJson(run).inventory;
  expect(inventory.map((i) => [i.verification, i.fromLock, i.lockedFrom]))
    .toEqual([['verified', true, `${r}/team/web:1.0.0`], ['verified', true, `${r}/team/fn:3.0.0`]]);
  // The table keeps the tags readable too.
  const table = await verify('--lock-file', 'cdk-image-pinning.lock.json', '--format', 'table', '--inventory', 'Pinned.template.json');
  expect(table.stdout).toMatch(/\nverified +pinned +\S+ +team\/web +1\.0\.0 \(locked\) +sha256:\w+/);
  expect(table.stdout).toMatch(/\nverified +pinned +\S+ +team\/fn +3\.0\.0 \(locked\) +sha256:\w+/);
  // Without the lock, the child digest is recognised as the child of the index the tag names.
  const without = await verify('Pinned.template.json');
  expect(without.status).toBe(0);
  expect(stdoutJson(without).findings).toEqual([]);
  // The tag moved after synthesis: REG4, saying the lock's digest.
  const moved = await pushIndex(pusher, 'team/web', '1.0.0', [LINUX_AMD64]);
  try {
    const after = await verify('--lock-file', 'cdk-image-pinning.lock.json', 'Pinned.template.json');
    expect(stdoutJson(after).findings).toEqual([expect.objectContaining({ resource: 'Web', ruleId: 'ImagePinning-REG4', reason: 'TAG_MOVED' })]);
    expect(stdoutJson(after).findings[0].message).toContain(`now points at ${moved.digest}, not at ${web.digest}, the digest in the lock file`);
  } finally {
    await moveTag(pusher, 'team/web', '1.0.0', web);
  }
});

test('an image not in the lock: scan\'s ImagePinning-ECS3 warning once, the image verified and counted once; the policy file\'s lockFile is the lock too', async () => {
  const r = registry.host;
  writeTemplate(dir, 'New.template.json', { Worker: ecsTask([`${r}/team/worker:2.0.0`]), Fresh: ecsTask([`${r}/team/fn:3.0.0`]) });
  fs.writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ lockFile: 'cdk-image-pinning.lock.json', unlockedImages: 'WARN' }));
  for (const args of [['--lock-file', 'cdk-image-pinning.lock.json'], ['--policy', 'policy.json']]) {
    const run = await verify(...args, 'New.template.json');
    expect(run.status).toBe(0);
    const json = stdoutJson(run);
    expect(json.findings.map((f: { resource: string; ruleId: string; severity: string }) => `${f.resource} ${f.ruleId} ${f.severity}`)).toEqual([]);
    expect(json.inventory.map((i: { resource: string; verification: string; fromLock?: boolean }) => `${i.resource} ${i.verification} ${i.fromLock ?? false}`))
      .toEqual(['Worker verified true', 'Fresh verified true']);
    expect(json.summary).toMatchObject({ images: 2, verified: 2, requests: { get: 0 } });
  }
  writeTemplate(dir, 'New.template.json', { Worker: ecsTask([`${r}/team/worker:2.0.0`]), Other: ecsTask([`${r}/team/web:1.0.0`]), Fresh: ecsTask([`${r}/team/unlocked:1.0.0`]) });
  await pushImage(pusher, 'team/unlocked', '1.0.0', LINUX_AMD64);
  const run = await verify('--lock-file', 'cdk-image-pinning.lock.json', 'New.template.json');
  const json = stdoutJson(run);
  expect(json.findings.map((f: { resource: string; ruleId: string; severity: string }) => `${f.resource} ${f.ruleId} ${f.severity}`)).toEqual(['Fresh ImagePinning-ECS3 warning']);
  expect(json.findings[0]).toMatchObject({ reference: `${r}/team/unlocked:1.0.0`, digest: expect.stringMatching(/^sha256:/) });
  expect(json.summary).toMatchObject({ images: 3, verified: 3 });
  expect(json.inventory).toHaveLength(3);
});

test('a malformed lock file is a usage error naming the file, key and field', async () => {
  fs.writeFileSync(path.join(dir, 'bad.lock.json'), JSON.stringify({ lockfileVersion: 1, images: { 'nginx:1': { digest: worker.digest } } }));
  const run = await verify('--lock-file', 'bad.lock.json', 'App.template.json');
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe('cdk-image-pinning: lock file bad.lock.json: images["nginx:1"]: the key must be written normalized, as "docker.io/library/nginx:1"\n');
});
