/**
 * The README's section "Auditing an AWS account" shows what the command prints: the example run
 * (against the account built here) and the IAM policy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runAudit } from './audit-fixture';
import { digest, FakeAwsModel } from '../../support/aws/fake-account';
import { applyEnv, FakeAwsServer } from '../../support/aws/fake-aws-server';
import { REPO_ROOT, removeTemporaryDirectories, temporaryDirectory } from '../cli-process';

const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

function block(name: string): string {
  const match = new RegExp(`<!-- audit:${name}:begin -->\\n\`\`\`\\n([\\s\\S]*?)\`\`\`\\n<!-- audit:${name}:end -->`).exec(README);
  if (!match) throw new Error(`no audit:${name} block in the README`);
  return match[1];
}

afterAll(removeTemporaryDirectories);

test('the example run', async () => {
  const A = '123456789012';
  const R = 'eu-west-1';
  const ECR = `${A}.dkr.ecr.${R}.amazonaws.com`;
  const model = new FakeAwsModel(A);
  const r = model.region(A, R);
  const containers = [{ name: 'web', image: 'nginx:1.27.3' }, { name: 'proxy', image: 'envoyproxy/envoy:latest' }];
  const web = r.taskDefinition('web', containers);
  r.taskDefinition('web', containers);
  r.taskDefinition('web', containers);
  const webService = r.service('prod', 'web', web, { resolvedDigests: [{ web: digest('nginx'), proxy: digest('envoy') }], desiredCount: 2 });
  for (let i = 0; i < 2; i++) r.task('prod', web, { service: webService, containers: [{ name: 'web', imageDigest: digest('nginx') }, { name: 'proxy', imageDigest: digest('envoy') }] });
  const worker = r.taskDefinition('worker', [{ name: 'worker', image: `${ECR}/worker:2.4.1` }]);
  const workerService = r.service('prod', 'worker', worker, { resolvedDigests: [{ worker: digest('worker new') }] });
  r.task('prod', worker, { service: workerService, containers: [{ name: 'worker', imageDigest: digest('worker new') }] });
  const cache = r.taskDefinition('cache', [{ name: 'redis', image: 'redis:7.2.4', versionConsistency: 'disabled' }]);
  const cacheService = r.service('prod', 'cache', cache, { desiredCount: 2 });
  r.task('prod', cache, { service: cacheService, containers: [{ name: 'redis', imageDigest: digest('redis') }] });
  r.task('prod', cache, { service: cacheService, containers: [{ name: 'redis', imageDigest: digest('redis 2') }] });
  r.lambdaFunction('resize', { imageUri: `${ECR}/resize:latest`, resolvedImageUri: `${ECR}/resize@${digest('resize')}` });
  const dir = temporaryDirectory('image-pinning-audit-readme-');
  fs.writeFileSync(path.join(dir, 'cdk-image-pinning.lock.json'), JSON.stringify({
    lockfileVersion: 1,
    images: {
      'docker.io/envoyproxy/envoy:latest': { digest: digest('envoy') },
      'docker.io/library/nginx:1.27.3': { digest: digest('nginx') },
      'docker.io/library/redis:7.2.4': { digest: digest('redis') },
      [`${ECR}/resize:latest`]: { digest: digest('resize') },
      [`${ECR}/worker:2.4.1`]: { digest: digest('worker') },
    },
  }));
  const fake = await FakeAwsServer.start(model.data);
  const restore = applyEnv(fake.env());
  try {
    const args = ['--region', R, '--lock-file', 'cdk-image-pinning.lock.json'];
    const cwd = process.cwd();
    process.chdir(dir);
    let run;
    try {
      run = await runAudit(args, { cwd: dir });
    } finally {
      process.chdir(cwd);
    }
    expect(run.status).toBe(1);
    expect(`$ cdk-image-pinning audit ${args.join(' ')}\n${run.stdout}`).toBe(block('example'));
  } finally {
    restore();
    await fake.close();
  }
});

test('the IAM policy for --organization, and without --assume-role the role\'s policy for the caller', async () => {
  const args = ['--print-iam-policy', '--organization', '--assume-role', 'ImagePinningAudit'];
  const run = await runAudit(args);
  expect(`$ cdk-image-pinning audit ${args.join(' ')}\n${run.stdout}`).toBe(block('iam-policy-organization'));
  const own = await runAudit(['--print-iam-policy', '--format', 'json']);
  const organization = await runAudit([...args, '--format', 'json']);
  expect(JSON.parse(own.stdout).caller).toEqual(JSON.parse(organization.stdout).assumedRole);
});

test('the install line names every client the audit loads', () => {
  expect(README).toContain('npm i -D @aws-sdk/client-ecs @aws-sdk/client-lambda @aws-sdk/client-batch @aws-sdk/client-sts @aws-sdk/client-organizations');
});
