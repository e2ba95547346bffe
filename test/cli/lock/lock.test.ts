import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { ecsTask, lambdaFunction, lockedMetadata, writeTemplate } from '../../support/online/templates';
import { DockerEnv, dockerEnv } from '../../support/registry/docker-env';
import { LINUX_AMD64, LINUX_ARM64, moveTag, PushedImage, PushedIndex, pushImage, pushIndex } from '../../support/registry/images';
import { LocalRegistry, startRegistry } from '../../support/registry/local-registry';
import { RegistryPusher } from '../../support/registry/push';
import { INSTALL_TIMEOUT_MS } from '../../support/registry/tools';
import { expectCleanOutput, REPO_ROOT, removeTemporaryDirectories, runCli, temporaryDirectory } from '../cli-process';

/**
 * `cdk-image-pinning lock` through the real bin, against the real registry: the file it writes
 * (validated against the JSON Schema the package ships), the same bytes twice, `--update`,
 * `--prune`, `--check` (a moved tag, a deleted digest, an image not locked, images synthesis
 * pinned from the lock), `--offline`, and the atomic write.
 */

let registry: LocalRegistry;
let pusher: RegistryPusher;
let env: DockerEnv;
let web: PushedIndex; // team/web:1.0.0 amd64 + arm64 + attestations
let worker: PushedImage; // team/worker:2.0.0 amd64
let fn: PushedIndex; // team/fn:3.0.0 amd64 + arm64
const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas', 'lock-file.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

beforeAll(async () => {
  registry = await startRegistry();
  pusher = new RegistryPusher(registry.url);
  web = await pushIndex(pusher, 'team/web', '1.0.0', [LINUX_AMD64, LINUX_ARM64], { attestations: true });
  worker = await pushImage(pusher, 'team/worker', '2.0.0', LINUX_AMD64);
  fn = await pushIndex(pusher, 'team/fn', '3.0.0', [LINUX_AMD64, LINUX_ARM64]);
  env = dockerEnv({});
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await registry?.stop();
  env?.remove();
  removeTemporaryDirectories();
});

/** A fresh app directory with a template of these images (ECS tasks), and the lock command in it. */
function app(images: Record<string, string>, extra: Record<string, object> = {}) {
  const dir = temporaryDirectory('image-pinning-lock-');
  const resources = Object.fromEntries(Object.entries(images).map(([id, image]) => [id, ecsTask([image])]));
  writeTemplate(dir, 'App.template.json', { ...resources, ...extra });
  const lockFile = path.join(dir, 'cdk-image-pinning.lock.json');
  return {
    dir,
    lockFile,
    lock: (...args: string[]) => runCli(['lock', 'App.template.json', ...args], { cwd: dir, env: env.env as Record<string, string> }),
    read: () => JSON.parse(fs.readFileSync(lockFile, 'utf8')),
    text: () => fs.readFileSync(lockFile, 'utf8'),
    rewrite: (images2: Record<string, string>) =>
      writeTemplate(dir, 'App.template.json', { ...Object.fromEntries(Object.entries(images2).map(([id, image]) => [id, ecsTask([image])])), ...extra }),
  };
}

const r = () => registry.host;

describe('lock writes the lock file', () => {
  test('keys normalized and sorted, digests, media types, index platforms without attestations, single-image platforms; valid against the shipped schema', () => {
    const a = app({ Web: `${r()}/team/web:1.0.0`, Worker: `${r()}/team/worker:2.0.0`, Again: `${r()}/team/web:1.0.0` });
    const run = a.lock();
    expect(run.status).toBe(0);
    expectCleanOutput(run);
    expect(a.read()).toEqual({
      $schema: './node_modules/cdk-image-pinning/schemas/lock-file.schema.json',
      lockfileVersion: 1,
      images: {
        [`${r()}/team/web:1.0.0`]: {
          digest: web.digest,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          platforms: { 'linux/amd64': web.children['linux/amd64'], 'linux/arm64': web.children['linux/arm64'] },
        },
        [`${r()}/team/worker:2.0.0`]: { digest: worker.digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', platform: 'linux/amd64' },
      },
    });
    expect(validate(a.read())).toBe(true);
    expect(run.stdout).toContain(`added    ${r()}/team/web:1.0.0 ${web.digest}`);
    expect(run.stdout).toContain('Wrote cdk-image-pinning.lock.json: 2 entries (2 added).');
  });

  test('twice with no registry change: the same bytes, and the file is not rewritten', () => {
    const a = app({ Web: `${r()}/team/web:1.0.0`, Worker: `${r()}/team/worker:2.0.0` });
    expect(a.lock().status).toBe(0);
    const first = a.text();
    const inode = fs.statSync(a.lockFile).ino;
    const second = a.lock();
    expect(second.status).toBe(0);
    expect(a.text()).toBe(first);
    expect(fs.statSync(a.lockFile).ino).toBe(inode);
    expect(second.stdout).toContain('cdk-image-pinning.lock.json is up to date: 2 entries.');
    // Removing the file and locking again gives the same bytes too.
    fs.rmSync(a.lockFile);
    expect(a.lock().status).toBe(0);
    expect(a.text()).toBe(first);
  });

  test('the write is atomic: a new file renamed over the old one, no temporary file left', () => {
    const a = app({ Worker: `${r()}/team/worker:2.0.0` });
    expect(a.lock().status).toBe(0);
    fs.chmodSync(a.lockFile, 0o640);
    const before = fs.statSync(a.lockFile);
    a.rewrite({ Worker: `${r()}/team/worker:2.0.0`, Web: `${r()}/team/web:1.0.0` });
    expect(a.lock().status).toBe(0);
    const after = fs.statSync(a.lockFile);
    expect(after.ino).not.toBe(before.ino); // renamed into place, not written in place
    expect(after.mode % 0o1000).toBe(0o640); // the file keeps its permissions
    expect(fs.readdirSync(a.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('a lock file that cannot be read (a directory): exit 2 naming it, nothing written', () => {
    const a = app({ Worker: `${r()}/team/worker:2.0.0` });
    fs.mkdirSync(a.lockFile);
    const run = a.lock();
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('cdk-image-pinning: lock file cdk-image-pinning.lock.json: is a directory where a file was expected (EISDIR)\n');
    expect(fs.readdirSync(a.dir).sort()).toEqual(['App.template.json', 'cdk-image-pinning.lock.json']);
  });

  test('--update followed by a path, or a pattern that matches nothing, is a usage error, not a silent no-op', () => {
    const a = app({ Worker: `${r()}/team/worker:2.0.0` });
    const path1 = runCli(['lock', '--update', 'App.template.json'], { cwd: a.dir, env: env.env as Record<string, string> });
    expect(path1.status).toBe(2);
    expect(path1.stderr).toContain('--update App.template.json: App.template.json is a path, not a pattern of lock keys; write the paths before --update, or --update=PATTERN');
    const nothing = a.lock('--update', 'docker.io/library/nope:*');
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toContain('--update docker.io/library/nope:* matches no entry of the lock and no image used');
    expect(fs.existsSync(a.lockFile)).toBe(false);
  });

  test('existing entries are kept (a moved tag is not re-resolved without --update); --update re-resolves; --update PATTERN only those it matches', async () => {
    const a = app({ Web: `${r()}/team/web:1.0.0`, Worker: `${r()}/team/worker:2.0.0` });
    expect(a.lock().status).toBe(0);
    const newWorker = await pushImage(pusher, 'team/worker', undefined, LINUX_ARM64);
    const newWeb = await pushIndex(pusher, 'team/web', 'scratch', [LINUX_AMD64]);
    await moveTag(pusher, 'team/worker', '2.0.0', newWorker);
    await moveTag(pusher, 'team/web', '1.0.0', newWeb);
    try {
      expect(a.lock().status).toBe(0);
      expect(a.read().images[`${r()}/team/worker:2.0.0`].digest).toBe(worker.digest);

      const one = a.lock('--update', `${r()}/team/work*`);
      expect(one.status).toBe(0);
      expect(one.stdout).toContain(`updated  ${r()}/team/worker:2.0.0 ${worker.digest} -> ${newWorker.digest}`);
      expect(a.read().images[`${r()}/team/worker:2.0.0`]).toEqual({ digest: newWorker.digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', platform: 'linux/arm64' });
      expect(a.read().images[`${r()}/team/web:1.0.0`].digest).toBe(web.digest);

      const all = a.lock('--update');
      expect(all.status).toBe(0);
      expect(a.read().images[`${r()}/team/web:1.0.0`]).toEqual({ digest: newWeb.digest, mediaType: 'application/vnd.oci.image.index.v1+json', platforms: { 'linux/amd64': newWeb.children['linux/amd64'] } });
    } finally {
      await moveTag(pusher, 'team/worker', '2.0.0', worker);
      await moveTag(pusher, 'team/web', '1.0.0', web);
    }
  });

  test('--prune drops the entries no image uses; without it they stay', () => {
    const a = app({ Web: `${r()}/team/web:1.0.0`, Worker: `${r()}/team/worker:2.0.0` });
    expect(a.lock().status).toBe(0);
    a.rewrite({ Web: `${r()}/team/web:1.0.0` });
    expect(a.lock().status).toBe(0);
    expect(Object.keys(a.read().images)).toHaveLength(2);
    const pruned = a.lock('--prune');
    expect(pruned.status).toBe(0);
    expect(pruned.stdout).toContain(`removed  ${r()}/team/worker:2.0.0 (no image uses it)`);
    expect(Object.keys(a.read().images)).toEqual([`${r()}/team/web:1.0.0`]);
  });

  test('a tag that does not exist: exit 1 naming it and where it is used; the other images are locked', () => {
    const a = app({ Web: `${r()}/team/web:1.0.0`, Typo: `${r()}/team/worker:2.0.1` });
    const run = a.lock();
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`error    ${r()}/team/worker:2.0.1: ${r()}/team/worker:2.0.1: the tag 2.0.1 does not exist in the registry (404)`);
    expect(run.stdout).toMatch(/used in App\.template\.json:\d+:\d+ Typo\/c0/);
    expect(Object.keys(a.read().images)).toEqual([`${r()}/team/web:1.0.0`]);
  });

  test('images without a tag or not known at synthesis are not locked, and the report says so', () => {
    const a = app({ Bare: `${r()}/team/worker`, Pinned: `${r()}/team/worker@${worker.digest}` }, {
      Param: ecsTask([{ 'Fn::Sub': `${r()}/team/worker:\${Tag}` } as unknown as string]),
    });
    const run = a.lock();
    expect(run.status).toBe(0);
    expect(a.read().images).toEqual({});
    expect(run.stdout).toMatch(/1 image without a tag cannot be locked \(`scan` reports them\): used in App\.template\.json:\d+:\d+ Bare\/c0\./);
    expect(run.stdout).toContain('1 image not known at synthesis (CDK assets, parameters, imports) left out of the lock.');
  });

  test('a malformed lock file: exit 2 naming the file, the key and the field; nothing written', () => {
    const a = app({ Web: `${r()}/team/web:1.0.0` });
    fs.writeFileSync(a.lockFile, JSON.stringify({ lockfileVersion: 1, images: { [`${r()}/team/web:1.0.0`]: { digest: 'sha256:abc' } } }));
    const before = a.text();
    const run = a.lock();
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`cdk-image-pinning: lock file cdk-image-pinning.lock.json: images["${r()}/team/web:1.0.0"].digest: must be "sha256:" and 64 lowercase hexadecimal characters, got "sha256:abc"\n`);
    expect(a.text()).toBe(before);
  });

  test('the policy file\'s lockFile is the default lock file, and need not exist yet', () => {
    const a = app({ Worker: `${r()}/team/worker:2.0.0` });
    fs.writeFileSync(path.join(a.dir, 'policy.json'), JSON.stringify({ lockFile: 'images.lock.json' }));
    const run = runCli(['lock', '--policy', 'policy.json', 'App.template.json'], { cwd: a.dir, env: env.env as Record<string, string> });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(a.dir, 'images.lock.json'), 'utf8')).images)).toEqual([`${r()}/team/worker:2.0.0`]);
    expect(runCli(['lock', '--policy', 'policy.json', '--check', 'App.template.json'], { cwd: a.dir, env: env.env as Record<string, string> }).status).toBe(0);
    expect(fs.existsSync(a.lockFile)).toBe(false);
  });

  test('--lock-file names another file; its $schema points at the package from where it is', () => {
    const a = app({ Worker: `${r()}/team/worker:2.0.0` });
    fs.mkdirSync(path.join(a.dir, 'locks'));
    const run = runCli(['lock', '--lock-file', 'locks/images.lock.json', 'App.template.json'], { cwd: a.dir, env: env.env as Record<string, string> });
    expect(run.status).toBe(0);
    const written = JSON.parse(fs.readFileSync(path.join(a.dir, 'locks', 'images.lock.json'), 'utf8'));
    expect(written.$schema).toBe('../node_modules/cdk-image-pinning/schemas/lock-file.schema.json');
    expect(fs.existsSync(a.lockFile)).toBe(false);
  });
});

describe('lock --check', () => {
  test('green after lock; writes nothing', () => {
    const a = app({ Web: `${r()}/team/web:1.0.0`, Worker: `${r()}/team/worker:2.0.0` });
    expect(a.lock().status).toBe(0);
    const before = fs.statSync(a.lockFile);
    const run = a.lock('--check');
    expect(run.status).toBe(0);
    expectCleanOutput(run);
    expect(run.stdout).toBe('cdk-image-pinning.lock.json holds every image used (2 keys used, 2 checked against their registries).\n');
    expect(fs.statSync(a.lockFile).mtimeMs).toBe(before.mtimeMs);
  });

  test('a moved tag fails, naming the key, both digests and where it is used', async () => {
    const a = app({ Web: `${r()}/team/web:1.0.0`, Worker: `${r()}/team/worker:2.0.0` });
    expect(a.lock().status).toBe(0);
    const moved = await pushImage(pusher, 'team/worker', '2.0.0', LINUX_AMD64); // a new image under the same tag
    try {
      const run = a.lock('--check');
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(
        `error    the tag of ${r()}/team/worker:2.0.0 moved: it points at ${moved.digest}, the lock holds ${worker.digest}; ` +
          `if the new image is wanted, run \`cdk-image-pinning lock --update '${r()}/team/worker:2.0.0'\``,
      );
      expect(run.stdout).toMatch(/used in App\.template\.json:\d+:\d+ Worker\/c0/);
      expect(run.stdout).toContain('cdk-image-pinning.lock.json does not match: 1 problem');
    } finally {
      await moveTag(pusher, 'team/worker', '2.0.0', worker);
    }
  });

  test('a locked digest that no longer exists fails', async () => {
    const gone = await pushImage(pusher, 'team/gone', '1.0.0', LINUX_AMD64);
    const a = app({ Gone: `${r()}/team/gone:1.0.0` });
    expect(a.lock().status).toBe(0);
    await pushImage(pusher, 'team/gone', '1.0.0', LINUX_AMD64);
    await pusher.deleteManifest('team/gone', gone.digest);
    const run = a.lock('--check');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`error    the tag of ${r()}/team/gone:1.0.0 moved`);
    expect(run.stdout).toContain(`error    the locked digest ${gone.digest} of ${r()}/team/gone:1.0.0 no longer exists in the registry`);
  });

  test('an image used but not locked fails; --offline says so without asking any registry', () => {
    const a = app({ Web: `${r()}/team/web:1.0.0` });
    expect(a.lock().status).toBe(0);
    a.rewrite({ Web: `${r()}/team/web:1.0.0`, Worker: `${r()}/team/worker:2.0.0`, Nowhere: '127.0.0.1:9/team/nowhere:1.0.0' });
    const online = a.lock('--check');
    expect(online.status).toBe(1);
    expect(online.stdout).toContain(`error    ${r()}/team/worker:2.0.0 is used but not locked: run \`cdk-image-pinning lock\` and commit the lock file`);
    const offline = a.lock('--check', '--offline');
    expect(offline.status).toBe(1);
    expect(offline.stdout).toContain('error    127.0.0.1:9/team/nowhere:1.0.0 is used but not locked');
    expect(offline.stdout).toContain('(3 keys used, offline: the registries were not asked)');
    expect(offline.stderr).toBe('');
  });

  test('--offline passes when every image is locked, even with the registry down', () => {
    const a = app({ Down: '127.0.0.1:9/team/down:1.0.0' });
    fs.writeFileSync(a.lockFile, JSON.stringify({ lockfileVersion: 1, images: { '127.0.0.1:9/team/down:1.0.0': { digest: worker.digest } } }));
    expect(a.lock('--check', '--offline').status).toBe(0);
    const online = a.lock('--check', '--timeout', '2');
    expect(online.status).toBe(2);
    expect(online.stdout).toMatch(/^not checked 127\.0\.0\.1:9\/team\/down:1\.0\.0: /m);
  });

  test('images synthesis pinned from the lock (name@digest and name:tag@digest with the locked metadata) are read as their key', () => {
    const webKey = `${r()}/team/web:1.0.0`;
    const fnKey = `${r()}/team/fn:3.0.0`;
    const a = app({}, {
      Web: ecsTask([`${r()}/team/web@${web.digest}`], { metadata: lockedMetadata({ 'ContainerDefinitions.0.Image': `${r()}/team/web:1.0.0` }) }),
      Tagged: ecsTask([`${r()}/team/web:1.0.0@${web.digest}`], { metadata: lockedMetadata({ 'ContainerDefinitions.0.Image': `${r()}/team/web:1.0.0` }) }),
      Fn: lambdaFunction(`${r()}/team/fn@${fn.children['linux/arm64']}`, { architecture: 'arm64', metadata: lockedMetadata({ 'Code.ImageUri': `${r()}/team/fn:3.0.0` }) }),
    });
    // No lock yet: every pinned image is used but not locked.
    const unlocked = a.lock('--check', '--offline');
    expect(unlocked.status).toBe(1);
    expect(unlocked.stdout).toContain(`${webKey} is used but not locked`);
    expect(unlocked.stdout).toContain(`${fnKey} is used but not locked`);
    // Locked: green, the Lambda function's child digest included.
    expect(a.lock().status).toBe(0);
    expect(Object.keys(a.read().images)).toEqual([fnKey, webKey]);
    const green = a.lock('--check');
    expect(green.stdout).toBe('cdk-image-pinning.lock.json holds every image used (2 keys used, 2 checked against their registries).\n');
    expect(green.status).toBe(0);
    // A lock that holds another digest than the one synthesized: synthesize again.
    const lock = a.read();
    lock.images[webKey].digest = worker.digest;
    fs.writeFileSync(a.lockFile, JSON.stringify(lock));
    const stale = a.lock('--check', '--offline');
    expect(stale.status).toBe(1);
    expect(stale.stdout).toContain(`error    ${webKey} was synthesized pinned to ${web.digest}, but the lock holds ${worker.digest}: synthesize again with the lock file`);
    expect(stale.stdout).toMatch(/used in App\.template\.json:\d+:\d+ Web\/c0 and 1 more/);
  });
});
