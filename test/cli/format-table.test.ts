import * as path from 'path';
import { expectCleanOutput, FIXTURES, runCli } from './cli-process';
import { compileOptions } from '../../src/check/check-settings';
import { painter } from '../../src/cli/colour';
import { runScan } from '../../src/cli/run';

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
  test('one row per image: status, registry, repository, tag, digest, and where it is used; then the findings', () => {
    const run = runCli(['scan', 'task-definitions', '--inventory']);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^STATUS +REGISTRY +REPOSITORY +TAG +DIGEST +USED IN$/);
    expect(lines.slice(1, 6)).toEqual([
      expect.stringMatching(/^unpinned +docker\.io +library\/busybox +- +- +task-definitions\/describe-worker\.json:7:18 worker:7\/worker$/),
      expect.stringMatching(/^pinned +docker\.io +library\/busybox +- +sha256:abcdefabcdef\.\.\. +task-definitions\/describe-worker\.json:16:18 worker:7\/sidecar$/),
      expect.stringMatching(/^pinned +123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com +app +v1\.4\.2 +- +task-definitions\/register-web\.json:10:16 web\/app$/),
      expect.stringMatching(/^unpinned +docker\.io +envoyproxy\/envoy +latest +- +task-definitions\/register-web\.json:16:16 web\/proxy$/),
      expect.stringMatching(/^unpinned +public\.ecr\.aws +aws-observability\/aws-for-fluent-bit +stable +- +.*web\/log-router$/),
    ]);
    expect(lines[6]).toBe('');
    expect(lines[7]).toBe('task-definitions/describe-worker.json (ECS task definition)');
    expect(run.stdout).toMatch(/3 errors and 0 warnings \(5 images in 2 files scanned\)\.\n$/);
  });

  test('with nothing to report', () => {
    const run = runCli(['scan', 'templates/service.json', '--exclude-resource-type', 'AWS::ECS::TaskDefinition', '--inventory']);
    expect(run.stdout).toBe('No container images found.\n\nNo container images found (1 file scanned).\n');
  });
});
