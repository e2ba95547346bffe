import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FreshApp, installFreshApp, INSTALL_TIMEOUT } from './fresh-app';
import { ecsTask, writeTemplate } from '../support/online/templates';
import { LINUX_AMD64, pushImage } from '../support/registry/images';
import { LocalRegistry, startRegistry } from '../support/registry/local-registry';
import { RegistryPusher } from '../support/registry/push';

// (d) The online commands from the packed package, without the AWS SDK: the SDK is not a
// dependency and is not bundled; `lock` and `verify` work for registries that need no SDK; an ECR
// image says which one package to install; the lock file's $schema resolves to the schema shipped.

const ROOT = path.join(__dirname, '..', '..');
const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const ECR_PASSWORD = 'ecr-password-never-printed-7d1';

describe('the packed package\'s online commands, without the AWS SDK', () => {
  let app: FreshApp & { remove(): void };
  let registry: LocalRegistry;
  let ecr: LocalRegistry;

  beforeAll(async () => {
    app = installFreshApp('online', []);
    registry = await startRegistry();
    ecr = await startRegistry({ auth: { kind: 'htpasswd', users: { AWS: ECR_PASSWORD } } });
    await pushImage(new RegistryPusher(registry.url), 'team/app', '1.0.0', LINUX_AMD64);
    await pushImage(new RegistryPusher(ecr.url, { username: 'AWS', password: ECR_PASSWORD }), 'team/app', '1.0.0', LINUX_AMD64);
    fs.mkdirSync(path.join(app.dir, 'cdk.out'));
    writeTemplate(path.join(app.dir, 'cdk.out'), 'App.template.json', { Task: ecsTask([`${registry.host}/team/app:1.0.0`]) });
    fs.writeFileSync(path.join(app.dir, 'ecr.template.json'), JSON.stringify({ Resources: { Task: ecsTask([`${ECR}/team/app:1.0.0`]) } }));
  }, INSTALL_TIMEOUT);
  afterAll(async () => {
    app?.remove();
    await registry?.stop();
    await ecr?.stop();
  });

  test('the tarball ships the lock file schema and no AWS SDK; the SDK is no dependency', () => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], { cwd: ROOT, encoding: 'utf8' }));
    const files: string[] = packed.files.map((f: { path: string }) => f.path);
    expect(files).toContain('schemas/lock-file.schema.json');
    expect(files.filter((f) => f.includes('@aws-sdk') || f.includes('@smithy'))).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).filter((d) => d.startsWith('@aws-sdk/'))).toEqual([]);
    expect(app.installedVersion('@aws-sdk/client-ecr')).toBeUndefined();
  });

  test('lock writes a file whose $schema is the schema installed with the package', () => {
    const run = app.cli('lock');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lock = JSON.parse(fs.readFileSync(path.join(app.dir, 'cdk-image-pinning.lock.json'), 'utf8'));
    expect(lock.$schema).toBe('./node_modules/cdk-image-pinning/schemas/lock-file.schema.json');
    expect(fs.existsSync(path.join(app.dir, lock.$schema))).toBe(true);
    expect(app.cli('lock', '--check').status).toBe(0);
  });

  test('verify needs no SDK for a registry that is not ECR', () => {
    const run = app.cli('verify', '--lock-file', 'cdk-image-pinning.lock.json');
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('No findings (1 image in 1 file scanned; 1 looked up in their registries).');
    expect(run.status).toBe(0);
  });

  test('an ECR image: the one package to install is named, and no credential is printed', () => {
    const run = app.cli('verify', '--registry-mirror', `${ECR}=${ecr.url}`, 'ecr.template.json');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('ImagePinning-REG1');
    expect(run.stdout).toContain('npm install --save-dev @aws-sdk/client-ecr');
    expect(run.stdout).toContain('npx -p cdk-image-pinning -p @aws-sdk/client-ecr cdk-image-pinning ...');
    expect(`${run.stdout}${run.stderr}`).not.toContain(ECR_PASSWORD);
  });
});
