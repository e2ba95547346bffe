import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT, removeTemporaryDirectories, runCli, temporaryDirectory } from './cli-process';
import { DEMO_APP, synthesize } from '../support/demo-assembly';

afterAll(removeTemporaryDirectories);

/** `n` templates, each with a task definition running `images` (a container per image). */
function templates(n: number, images: readonly string[]): string {
  const dir = temporaryDirectory();
  for (let i = 0; i < n; i++) {
    const containers = images.map((image, c) => ({ Name: `c${c}`, Image: image }));
    fs.writeFileSync(path.join(dir, `t${String(i).padStart(3, '0')}.json`), JSON.stringify({
      Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: containers } } },
    }, undefined, 2));
  }
  return dir;
}

describe('--summary', () => {
  test('one line per distinct image: count, level, rule, image and where it is used, the most frequent first; then the counts per rule', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const dir = templates(5, ['nginx', `busybox:latest@${digest}`, 'ghcr.io/example/api:latest']);
    fs.writeFileSync(path.join(dir, 'one.json'), JSON.stringify({
      Resources: { Api: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'api', Image: 'ghcr.io/example/api:latest' }] } } },
    }, undefined, 2));
    const run = runCli(['scan', '.', '--summary', '--level', 'digest'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      // busybox has a digest: pinned at level digest.
      'COUNT  LEVEL    RULE               IMAGE                       USED IN',
      '    6  error    ImagePinning-ECS1  ghcr.io/example/api:latest  one.json:9, t000.json:17, t001.json:17 and 3 more',
      '    5  error    ImagePinning-ECS1  docker.io/library/nginx     t000.json:9, t001.json:9, t002.json:9 and 2 more',
      '',
      'By rule:',
      '  ImagePinning-ECS1  11 errors  not pinned',
      '',
      '11 errors and 0 warnings (16 images in 6 files scanned).',
      '',
    ]);
  });

  test('digests and asset hashes are short in the summary as in the table', () => {
    const hash = '0123456789abcdef'.repeat(4);
    const dir = templates(2, [`example/app:${hash}`]);
    const run = runCli(['scan', '.', '--summary', '--level', 'digest'], { cwd: dir });
    expect(run.stdout).toContain(`    2  error    ImagePinning-ECS1  docker.io/example/app:${hash.slice(0, 12)}…  t000.json:9, t001.json:9\n`);
  });

  test('a big scan without --summary ends with the counts per rule, and says --summary exists', () => {
    const dir = templates(21, ['nginx']);
    const run = runCli(['scan', '.'], { cwd: dir });
    const lines = run.stdout.split('\n');
    expect(lines.slice(-6)).toEqual([
      'By rule:',
      '  ImagePinning-ECS1  21 errors  not pinned',
      '(--summary shows one line per image instead of one per finding.)',
      '',
      '21 errors and 0 warnings (21 images in 21 files scanned).',
      '',
    ]);
    // A small one does not.
    expect(runCli(['scan', 't000.json'], { cwd: dir }).stdout).not.toContain('By rule:');
  });

  test('only for the table: JSON and SARIF list every finding', () => {
    for (const format of ['json', 'sarif']) {
      const run = runCli(['scan', '--summary', '--format', format]);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`cdk-image-pinning: --summary is for the table (--format table); the ${format} report lists every finding\n`);
    }
  });
});

describe('the README', () => {
  /** The output the README shows after `$ <command>`, up to the end of its code block (`...` for lines left out). */
  function documented(command: string): string {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf(`$ ${command}\n`);
    expect(start).toBeGreaterThan(-1);
    const from = start + command.length + 3;
    return readme.slice(from, readme.indexOf('```', from));
  }

  test('the summary and the inventory it shows are the demo app\'s (synthesized with path metadata, as cdk synth does)', () => {
    const cwd = temporaryDirectory();
    synthesize({ file: DEMO_APP }, { 'aws:cdk:enable-path-metadata': true }, cwd);
    const [assembly] = fs.readdirSync(cwd);
    fs.renameSync(path.join(cwd, assembly), path.join(cwd, 'cdk.out'));
    expect(runCli(['scan', '--summary'], { cwd }).stdout).toBe(documented('cdk-image-pinning scan --summary'));
    const inventory = documented('cdk-image-pinning scan --inventory');
    expect(inventory.endsWith('...\n')).toBe(true);
    expect(runCli(['scan', '--inventory'], { cwd }).stdout.startsWith(inventory.slice(0, -'...\n'.length))).toBe(true);
  });
});
