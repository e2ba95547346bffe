import * as fs from 'fs';
import * as path from 'path';
import { expectCleanOutput, FIXTURES, removeTemporaryDirectories, runCli, stdoutJson, temporaryDirectory } from './cli-process';
import { compileOptions } from '../../src/check/check-settings';
import { painter } from '../../src/cli/colour';
import { runScan } from '../../src/cli/run';

afterAll(removeTemporaryDirectories);

describe('the table in colour', () => {
  test('the table is coloured when asked to be (as on a terminal), and plain otherwise', () => {
    const request = { paths: [path.join(FIXTURES, 'task-definitions')], settings: compileOptions(), format: 'table' as const, inventory: true, cwd: FIXTURES };
    const coloured = runScan({ ...request, colour: true }).text;
    const plain = runScan({ ...request, colour: false }).text;
    expect(coloured).toContain('\u001b[31merror  \u001b[39m');
    expect(coloured).toContain('\u001b[32mpinned\u001b[39m');
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
    expect(painter(false)('error', 'x')).toBe('x');
  });

  test('a spawned process (not a terminal) writes no escape codes, in any format', () => {
    for (const format of ['table', 'json', 'sarif']) {
      expectCleanOutput(runCli(['scan', 'templates', 'task-definitions', '--inventory', '--format', format]));
    }
  });
});

describe('the table with --inventory', () => {
  test('the images grouped by file: line:column, status, resource/container and the normalized image; then the findings', () => {
    const run = runCli(['scan', 'task-definitions', '--inventory']);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      'task-definitions/describe-worker.json (ECS task definition)',
      '  7:18   unpinned  worker:7/worker   docker.io/library/busybox',
      // The digest shortened to 12 hex digits, as `docker images` does; JSON and SARIF have it whole.
      '  16:18  pinned    worker:7/sidecar  docker.io/library/busybox@sha256:abcdefabcdef…',
      'task-definitions/register-web.json (ECS task definition)',
      '  10:16  pinned    web/app           123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1.4.2',
      '  16:16  unpinned  web/proxy         docker.io/envoyproxy/envoy:latest',
      '  21:16  unpinned  web/log-router    public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
    ]);
    expect(lines[7]).toBe('');
    expect(lines[8]).toBe('task-definitions/describe-worker.json (ECS task definition)');
    expect(run.stdout).toMatch(/3 errors and 0 warnings \(5 images in 2 files scanned\)\.\n$/);
    const json = stdoutJson(runCli(['scan', 'task-definitions', '--inventory', '--format', 'json']));
    expect(json.inventory[1].digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('an unresolved image is shown as written, its unknown part readable', () => {
    const run = runCli(['scan', 'templates/service.json', '--inventory']);
    expect(run.stdout).toMatch(/^ {2}15:22 +unresolved +Api\/worker +ghcr\.io\/example\/worker:<param:Tag>$/m);
  });

  test('CDK asset images: the 64-hex content hash shortened in the table, whole in JSON', () => {
    const dir = temporaryDirectory();
    const hash = 'f'.repeat(8) + '0123456789abcdef'.repeat(3) + 'a'.repeat(8);
    const image = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/cdk-hnb659fds-container-assets-123456789012-eu-west-1:${hash}`;
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({
      Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Image: image }] } } },
    }, undefined, 2));
    const table = runCli(['scan', 'template.json', '--inventory'], { cwd: dir });
    expect(table.stdout).toContain(`cdk-hnb659fds-container-assets-123456789012-eu-west-1:${hash.slice(0, 12)}…\n`);
    expect(table.stdout).not.toContain(hash);
    const json = stdoutJson(runCli(['scan', 'template.json', '--inventory', '--format', 'json'], { cwd: dir }));
    expect(json.inventory[0].tag).toBe(hash);
    expect(json.inventory[0].image).toBe(image);
  });

  test('with nothing to report', () => {
    const run = runCli(['scan', 'templates/service.json', '--exclude-resource-type', 'AWS::ECS::TaskDefinition', '--inventory']);
    expect(run.stdout).toBe('No container images found.\n\nNo container images found (1 file scanned).\n');
  });
});

describe('each finding once', () => {
  test('two equal pods of one Kubernetes manifest (one string, one place) are one finding in every format; the inventory has both', () => {
    const dir = temporaryDirectory();
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
    fs.writeFileSync(path.join(dir, 't.json'), JSON.stringify({
      Resources: { M: { Type: 'Custom::AWSCDK-EKS-KubernetesResource', Properties: { Manifest: JSON.stringify([pod, pod]) } } },
    }, undefined, 2));
    const table = runCli(['scan', 't.json'], { cwd: dir }).stdout;
    expect(table.match(/ImagePinning-EKS1/g)).toHaveLength(1);
    expect(table).toContain('1 error and 0 warnings (2 images in 1 file scanned).');
    const json = stdoutJson(runCli(['scan', 't.json', '--inventory', '--format', 'json'], { cwd: dir }));
    expect([json.findings.length, json.inventory.length]).toEqual([1, 2]);
    expect(stdoutJson(runCli(['scan', 't.json', '--format', 'sarif'], { cwd: dir })).runs[0].results).toHaveLength(1);
  });
});
