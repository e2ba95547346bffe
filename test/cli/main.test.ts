import * as fs from 'fs';
import * as path from 'path';
import { expectCleanOutput, FIXTURES, REPO_ROOT, removeTemporaryDirectories, runCli, stdoutJson, temporaryDirectory } from './cli-process';

afterAll(removeTemporaryDirectories);

const PINNED = 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - {Name: a, Image: nginx:1.27.3}\n';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function directoryWith(files: Record<string, string>): string {
  const dir = temporaryDirectory();
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('exit codes', () => {
  test('0: every image pinned', () => {
    const run = runCli(['scan', 'ok.yaml'], { cwd: directoryWith({ 'ok.yaml': PINNED }) });
    expectCleanOutput(run);
    expect(run).toMatchObject({ status: 0, stderr: '', stdout: 'No unpinned images (1 image in 1 file scanned).\n' });
  });

  test('0: warnings only (an unresolved image), unless --unresolved error makes them errors (1)', () => {
    const dir = directoryWith({ 'p.json': JSON.stringify({ Parameters: { Tag: { Type: 'String' } }, Resources: { T: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'a', Image: { 'Fn::Sub': 'nginx:${Tag}' } }] } } } }) });
    expect(runCli(['scan', 'p.json'], { cwd: dir }).status).toBe(0);
    expect(runCli(['scan', 'p.json', '--unresolved', 'ERROR'], { cwd: dir }).status).toBe(1);
    const ignored = runCli(['scan', 'p.json', '--unresolved', 'ignore'], { cwd: dir });
    expect(ignored).toMatchObject({ status: 0, stdout: 'No unpinned images (1 image in 1 file scanned).\n' });
  });

  test('1: an image is not pinned', () => {
    const run = runCli(['scan', 'task-definitions/register-web.json']);
    expectCleanOutput(run);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
  });

  test('0 for --help and --version; the version is the package version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(runCli(['--version'])).toMatchObject({ status: 0, stdout: `${pkg.version}\n` });
    const help = runCli(['scan', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: cdk-image-pinning scan [options] [paths...]');
    expect(help.stdout).toContain('Exit codes:');
  });

  test.each([
    [['scan', '--bogus'], "cdk-image-pinning: unknown option '--bogus'"],
    // Echoed as given (not upper-cased), with the choices as they are typed.
    [['scan', '--level', 'strict'], "cdk-image-pinning: option '--level <level>' argument 'strict' is invalid. Allowed choices are tag, version, digest (any case)."],
    [['scan', '--level', 'Strict'], "argument 'Strict' is invalid. Allowed choices are tag, version, digest (any case)."],
    [['scan', '--unlocked', 'Never'], "cdk-image-pinning: option '--unlocked <action>' argument 'Never' is invalid. Allowed choices are error, warn, ignore (any case)."],
    [['scan', '--summary', '--format', 'json'], 'cdk-image-pinning: --summary is for the table (--format table); the json report lists every finding'],
    [['scan', '--level'], "cdk-image-pinning: option '--level <level>' argument missing"],
    [['scan', '--format', 'xml'], "cdk-image-pinning: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are table, json, sarif."],
    [['scan', '--unresolved', 'maybe'], "argument 'maybe' is invalid. Allowed choices are error, warn, ignore (any case)."],
    [['scan', '--allow', 'nginx:1.2'], "argument 'nginx:1.2' is invalid. allowedImages[0] (\"nginx:1.2\") "],
    [['scan', '--moving-tag', 'a b'], "argument 'a b' is invalid. additionalMovingTags[0] (\"a b\") is not a tag pattern"],
    [['scan', '--exclude-resource-type', 'AWS::Nope::Nope'], "argument 'AWS::Nope::Nope' is invalid. excludeResourceTypes[0] (\"AWS::Nope::Nope\") is not a resource type this library checks"],
    [['lint'], "cdk-image-pinning: unknown command 'lint'"],
  ])('2: usage error %j, named on stderr, nothing on stdout', (args, message) => {
    const run = runCli(args);
    expectCleanOutput(run);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
  });

  test('2: no command at all shows the usage on stderr', () => {
    const run = runCli([]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: cdk-image-pinning [options] [command]');
  });

  test('2: --output into a directory that does not exist', () => {
    const run = runCli(['scan', 'templates', '--output', 'no/such/dir/report.txt']);
    expectCleanOutput(run);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('cdk-image-pinning: cannot write the report to no/such/dir/report.txt (ENOENT)\n');
  });
});

describe('bad inputs: reported with path and reason, the other inputs still scanned (exit 2)', () => {
  test('malformed JSON and YAML, next to a good file whose findings are still reported', () => {
    const run = runCli(['scan', 'malformed', 'task-definitions/register-web.json']);
    expectCleanOutput(run);
    expect(run.status).toBe(2); // 2 wins over the findings' 1
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      "cdk-image-pinning: malformed/truncated.json: not valid JSON: Expected ',' or '}' after property value in JSON at position 176 (line 8, column 1)",
      'cdk-image-pinning: malformed/unclosed.yaml: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 8, column 1',
      'cdk-image-pinning: malformed/wrong-form.yaml: not valid YAML: !Join takes a sequence, not a scalar: write !Join [delimiter, [values]] at line 7, column 18',
    ]);
    expect(run.stdout).toContain('Container "proxy": image "envoyproxy/envoy:latest"');
    expect(run.stdout).toContain('2 errors and 0 warnings (3 images in 1 file scanned).\n3 inputs could not be scanned (reported on stderr).\n');
  });

  test('the JSON report lists them too', () => {
    const report = stdoutJson(runCli(['scan', 'malformed/truncated.json', 'task-definitions', '--format', 'json']));
    expect(report.summary).toMatchObject({ exitCode: 2, inputErrors: 1, filesScanned: 2, errors: 3 });
    expect(report.inputErrors).toEqual([{ file: 'malformed/truncated.json', reason: expect.stringMatching(/^not valid JSON: /) }]);
  });

  test('a path that does not exist', () => {
    const run = runCli(['scan', 'no-such-template.yaml', 'templates/service.json']);
    expectCleanOutput(run);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('cdk-image-pinning: no-such-template.yaml: does not exist\n');
    expect(run.stdout).toContain('Container "cache": image "redis" has no tag');
  });

  test('a file that cannot be read (permission 000)', () => {
    const dir = directoryWith({ 'secret.json': PINNED, 'ok.yaml': PINNED });
    fs.chmodSync(path.join(dir, 'secret.json'), 0o000);
    const run = runCli(['scan', 'secret.json', 'ok.yaml'], { cwd: dir });
    expectCleanOutput(run);
    if (isRoot) {
      // root reads it anyway; the same code path is covered by the directory-as-file cases.
      expect(run.status).toBe(0);
    } else {
      expect(run.status).toBe(2);
      expect(run.stderr).toBe('cdk-image-pinning: secret.json: cannot be read: permission denied (EACCES)\n');
      expect(run.stdout).toContain('1 image in 1 file scanned');
    }
  });

  test('a directory where a file is expected: the policy file', () => {
    const run = runCli(['scan', 'templates', '--policy', 'templates']);
    expectCleanOutput(run);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('cdk-image-pinning: policy file templates: is not a regular file\n');
  });

  test('a file named on the command line that is none of the known kinds', () => {
    const dir = directoryWith({ 'package.json': '{ "name": "x" }', 'ok.yaml': PINNED });
    const run = runCli(['scan', 'package.json', 'ok.yaml'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('cdk-image-pinning: package.json: is not a CloudFormation template, an ECS task definition file or a cloud assembly manifest\n');
  });

  test('a directory that holds nothing to scan', () => {
    const dir = directoryWith({ 'README.md': '# nothing', 'tsconfig.json': '{}' });
    const run = runCli(['scan', '.'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('cdk-image-pinning: .: holds no CloudFormation template, ECS task definition file or cloud assembly\n');
  });

  test('walking a directory: other JSON/YAML files, hidden directories and node_modules are skipped; a broken template is not', () => {
    const dir = directoryWith({
      'infra/api.template': JSON.stringify({ Resources: { T: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'api', Image: 'nginx' }] } } } }),
      'infra/broken.yaml': 'Resources:\n  T: [\n',
      'charts/web/templates/deployment.yaml': 'spec:\n  image: {{ .Values.image }}\n  {{- if .Values.x }}\n',
      'package.json': '{ "name": "app" }',
      '.github/workflows/ci.yml': 'on: push\n',
      '.hidden/task.json': JSON.stringify({ containerDefinitions: [{ name: 'x', image: 'hidden:latest' }] }),
      'node_modules/dep/task.json': JSON.stringify({ containerDefinitions: [{ name: 'x', image: 'dep:latest' }] }),
      'notes.txt': 'Resources: not a template',
    });
    const run = runCli(['scan', '.', '--format', 'json', '--inventory'], { cwd: dir });
    expectCleanOutput(run);
    expect(run.status).toBe(2);
    const report = stdoutJson(run);
    expect(report.inventory.map((i: any) => `${i.file}:${i.container}`)).toEqual(['infra/api.template:api']);
    expect(report.inputErrors).toEqual([{ file: 'infra/broken.yaml', reason: expect.stringMatching(/^not valid YAML: /) }]);
  });

  test('no stack trace, even for binary garbage', () => {
    const dir = directoryWith({});
    fs.writeFileSync(path.join(dir, 'garbage.bin'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0x7b, 0x5b, 0x3a]));
    const run = runCli(['scan', 'garbage.bin', path.join(FIXTURES, 'templates')], { cwd: dir });
    expectCleanOutput(run);
    expect(run.status).toBe(2);
    // As text it is a YAML scalar: a file of no known kind.
    expect(run.stderr).toBe('cdk-image-pinning: garbage.bin: is not a CloudFormation template, an ECS task definition file or a cloud assembly manifest\n');
    expect(run.stdout).toContain('Container "cache": image "redis" has no tag');
  });
});
