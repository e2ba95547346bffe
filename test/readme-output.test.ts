import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { ImagePinning, ImageReference } from '../src';
import { FIXTURES, removeTemporaryDirectories, runCli, stdoutJson, temporaryDirectory } from './cli/cli-process';
import { DEMO_APP, synthesize } from './support/demo-assembly';
import { block, expectReadmeLines } from './support/readme-output';
import { REPO_ROOT } from './support/readme-snippets';

/**
 * Every command output and error message the README shows is produced here and compared with the
 * README's text: `$ cdk-image-pinning ...` blocks are run as written (in the directory whose files
 * they name), and the output must be the block's lines, where a line `...` stands for any lines.
 */

afterAll(removeTemporaryDirectories);

const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

/** Runs a `$ cdk-image-pinning ...` block in `cwd`: stderr, then stdout, then `$ echo $?`. */
function expectBlockReproduced(first: string, cwd: string): void {
  const { lines } = block(first);
  const commands: Array<{ command: string; output: string[] }> = [];
  for (const line of lines) {
    if (line.startsWith('$ ')) commands.push({ command: line.slice(2), output: [] });
    else commands[commands.length - 1].output.push(line);
  }
  let status: number | null = null;
  for (const { command, output } of commands) {
    if (command === 'echo $?') {
      expect(output).toEqual([String(status)]);
      continue;
    }
    const [bin, ...args] = command.split(' ');
    expect(bin).toBe('cdk-image-pinning');
    const run = runCli(args, { cwd });
    status = run.status;
    expectReadmeLines(run.stderr + run.stdout, output);
  }
}

/**
 * The demo app of the README's scanner section (test/fixtures/apps/scan-demo-app.ts: a stack Web
 * with a nested stack Jobs, and a Stage Prod with a stack Api whose tag is a parameter),
 * synthesized as `cdk synth` does, into `cdk.out` of a fresh directory, which it returns.
 */
function demoApp(): string {
  const dir = temporaryDirectory('image-pinning-readme-');
  fs.renameSync(synthesize({ file: DEMO_APP }, { 'aws:cdk:enable-path-metadata': true }, dir), path.join(dir, 'cdk.out'));
  return dir;
}

test('a README block matches the output line for line, `...` standing for any lines', () => {
  expectReadmeLines('a\nb\nc\nd\n', ['a', '...', 'd']);
  expectReadmeLines('a\nd\n', ['a', '...', 'd']);
  expectReadmeLines('a\nb\nc\nd', ['...', 'b', '...']);
  expect(() => expectReadmeLines('a\nb\n', ['a'])).toThrow();
  expect(() => expectReadmeLines('a\nb\n', ['b', '...'])).toThrow();
  expect(() => expectReadmeLines('a\nb\nc\n', ['a', '...', 'b'])).toThrow();
  expect(() => expectReadmeLines('a\nb\n', ['a', 'x', '...'])).toThrow();
});

describe('the scanner output the README shows', () => {
  let demo: string;
  beforeAll(() => {
    demo = demoApp();
  });

  test('the report of the demo app (npx cdk-image-pinning scan)', () => {
    const run = runCli(['scan'], { cwd: demo });
    expect(run.status).toBe(1);
    expectReadmeLines(run.stderr + run.stdout, block('cdk.out/assembly-Prod/ProdApi2466CF1F.template.json (stack Prod/Api)').lines);
  });

  test('--inventory', () => {
    expectBlockReproduced('$ cdk-image-pinning scan --inventory', demo);
  });

  test('--summary', () => {
    expectBlockReproduced('$ cdk-image-pinning scan --summary', demo);
  });

  test('--format json: the README shows the summary and one finding', () => {
    const json = stdoutJson(runCli(['scan', '--format', 'json'], { cwd: demo }));
    const shown = JSON.parse(block('{', { second: '  "tool": {' }).lines.join('\n'));
    expect({ ...json, findings: json.findings.filter((f: { findingId: string }) => f.findingId === shown.findings[0].findingId) }).toEqual(shown);
    expect(json.findings).toHaveLength(3); // "the demo app's other two findings are left out"
  });

  test('Fn::ForEach', () => {
    expectBlockReproduced('$ cdk-image-pinning scan language-extensions/for-each.yaml', FIXTURES);
  });

  test('a macro', () => {
    expectBlockReproduced('$ cdk-image-pinning scan transforms/macro.yaml', FIXTURES);
  });

  test('a bad option value', () => {
    expectBlockReproduced('$ cdk-image-pinning scan --allow nginx:1.2', FIXTURES);
  });

  test('an input that cannot be read, beside one that can (exit 2)', () => {
    expectBlockReproduced('$ cdk-image-pinning scan task-definitions/register-web.json malformed/truncated.json', FIXTURES);
  });

  test('a bad policy file', () => {
    const dir = temporaryDirectory('image-pinning-readme-');
    fs.writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ movingTag: ['edge'] }));
    const run = runCli(['scan', '--policy', 'policy.json', '.'], { cwd: dir });
    expect(run.status).toBe(2);
    expectReadmeLines(run.stderr, block('cdk-image-pinning: policy file policy.json: unknown key "movingTag"', { prefix: true }).lines);
  });

  test('control characters in names are escaped', () => {
    const dir = temporaryDirectory('image-pinning-readme-');
    const container = { Name: 'web\r\u001b[2K\u001b[32mNo unpinned images\u001b[0m\n', Image: 'nginx:latest' };
    const template = { Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [container] } } } };
    fs.writeFileSync(path.join(dir, 'evil.json'), JSON.stringify(template));
    expectBlockReproduced('$ cdk-image-pinning scan evil.json', dir);
  });

  test('inputs it cannot check: outside the assembly, a missing nested template, a pipe, a device, too deep', () => {
    const dir = temporaryDirectory('image-pinning-readme-');
    const out = path.join(dir, 'cdk.out');
    fs.mkdirSync(out);
    const stack = (templateFile: string) => ({ type: 'aws:cloudformation:stack', properties: { templateFile } });
    fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({
      version: '48.0.0',
      artifacts: { Web: stack('Web.template.json'), Shared: stack('../shared/Shared.template.json') },
    }));
    fs.writeFileSync(path.join(out, 'Web.template.json'), [
      '{',
      ' "Resources": {',
      '  "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "web", "Image": "nginx"}]}},',
      '  "Jobs": {"Type": "AWS::CloudFormation::Stack", "Metadata": {"aws:asset:path": "WebJobs.nested.template.json"}}',
      ' }',
      '}',
    ].join('\n'));
    expect(spawnSync('mkfifo', [path.join(dir, 'pipe.json')]).status).toBe(0);
    fs.writeFileSync(path.join(dir, 'deep.json'), '['.repeat(5000) + ']'.repeat(5000));
    expectBlockReproduced('$ cdk-image-pinning scan cdk.out pipe.json /dev/zero deep.json', dir);
  });
});

describe('the messages the README quotes from scans', () => {
  /** Scans one template of these resources (and conditions); the report, stderr then stdout. */
  function scan(resources: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
    const dir = temporaryDirectory('image-pinning-readme-');
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({ ...extra, Resources: resources }, undefined, 1));
    const run = runCli(['scan', 'template.json'], { cwd: dir });
    return run.stderr + run.stdout;
  }
  const task = (containers: unknown) => ({ Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: containers } });
  /** The README quotes `text` (up to a trailing `...`), and the output holds it. */
  function expectQuoted(output: string, text: string): void {
    expect(README).toContain(`\`${text}\``);
    expect(output).toContain(text.replace(/( ?\.\.\.)$/, ''));
  }

  test('each branch of Fn::If in its own finding', () => {
    const output = scan(
      { Task: task([{ Name: 'web', Image: { 'Fn::If': ['IsProd', 'nginx:1.27.3', 'nginx:latest'] } }]) },
      { Conditions: { IsProd: { 'Fn::Equals': ['a', 'b'] } } },
    );
    expectQuoted(output, 'Container "web" (when condition IsProd is false): image "nginx:latest" uses the moving tag "latest"...');
  });

  test('images another function produces', () => {
    const output = scan({ Task: task({ 'Fn::GetAtt': ['Custom', 'Containers'] }), Custom: { Type: 'Custom::Containers', Properties: { ServiceToken: 'arn' } } });
    expectQuoted(output, 'Container (ContainerDefinitions): its images cannot be found at synth time: ContainerDefinitions is produced by Fn::GetAtt ...');
  });

  test('more than 32 alternatives', () => {
    let image: unknown = 'nginx:1.27.3';
    for (let i = 0; i < 6; i++) image = { 'Fn::If': [`C${i}`, image, image] }; // 64 alternatives
    const conditions = Object.fromEntries([...Array(6).keys()].map((i) => [`C${i}`, { 'Fn::Equals': ['a', 'b'] }]));
    expectQuoted(scan({ Task: task([{ Name: 'web', Image: image }]) }, { Conditions: conditions }), 'was not checked: it is more than 32 alternatives');
  });

  test('a template of the assembly directory that the manifest does not list', () => {
    const dir = temporaryDirectory('image-pinning-readme-');
    fs.mkdirSync(path.join(dir, 'cdk.out'));
    const template = JSON.stringify({ Resources: { Task: task([{ Name: 'web', Image: 'nginx:1.27.3' }]) } });
    fs.writeFileSync(path.join(dir, 'cdk.out', 'manifest.json'), JSON.stringify({
      version: '48.0.0',
      artifacts: { Web: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Web.template.json' } } },
    }));
    fs.writeFileSync(path.join(dir, 'cdk.out', 'Web.template.json'), template);
    fs.writeFileSync(path.join(dir, 'cdk.out', 'Old.template.json'), template.replace('nginx:1.27.3', 'nginx:latest'));
    expectQuoted(runCli(['scan'], { cwd: dir }).stdout, 'cdk.out/Old.template.json (not listed in cdk.out/manifest.json)');
  });
});

describe('the error messages the README quotes', () => {
  test('an invalid image reference', () => {
    const line = block('Invalid image reference "MyApp:1.0": uppercase letter \'M\' in the repository path (repository names must be lowercase) (position 1)').lines;
    expect(() => ImageReference.parse('MyApp:1.0')).toThrow(line[0]);
    expect(line).toHaveLength(1);
  });

  test('a bad option fails at once, naming it', () => {
    const message = 'allowedImages[0] ("docker.io/library/nginx:1.2") has a tag; patterns match the image name without tag or digest';
    expect(README).toContain(`\`${message}\``);
    expect(() => ImagePinning.enforce(new App(), { allowedImages: ['docker.io/library/nginx:1.2'] })).toThrow(message);
  });
});
