import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { BIN, CliRun, expectCleanOutput, FIXTURES, removeTemporaryDirectories, runCli, stdoutJson, temporaryDirectory } from './cli-process';

// Issue 9, section 2: when the scanner cannot prove an image pinned, it says so, with the reason;
// never "0 images, exit 0" for input it could not read, never a stack trace, and one bad input
// never loses the report of the others. Every case runs the real bin.

afterAll(removeTemporaryDirectories);

/** Hostile inputs must be refused at once, never waited on: each run ends well within this. */
const BOUND_MS = 10_000;

const task = (name: string, image: unknown) => ({
  Type: 'AWS::ECS::TaskDefinition',
  Properties: { ContainerDefinitions: [{ Name: name, Image: image }] },
});
const template = (resources: Record<string, unknown>) => JSON.stringify({ Resources: resources }, undefined, 1);
const GOOD = template({ Task: task('good', 'busybox:latest') }); // one finding, so the report is seen to survive

function directoryWith(files: Record<string, string>): string {
  const dir = temporaryDirectory();
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A cloud assembly `cdk.out` with these stack artifacts (id -> templateFile) and files. */
function assemblyWith(stacks: Record<string, string>, files: Record<string, string>, extraArtifacts: Record<string, unknown> = {}): string {
  const artifacts = {
    ...Object.fromEntries(Object.entries(stacks).map(([id, templateFile]) => [id, { type: 'aws:cloudformation:stack', properties: { templateFile } }])),
    ...extraArtifacts,
  };
  return directoryWith({ 'cdk.out/manifest.json': JSON.stringify({ version: '48.0.0', artifacts }), ...files });
}

function timed(run: CliRun): CliRun {
  expect(run.milliseconds).toBeLessThan(BOUND_MS);
  return run;
}

/** The other input's finding is still in the report. */
function expectGoodReported(run: CliRun): void {
  expect(run.stdout).toContain('Container "good": image "busybox:latest" uses the moving tag "latest"');
}

describe('Fn::ForEach under the AWS::LanguageExtensions transform: expanded, never 0 images', () => {
  const run = () => stdoutJson(runCli(['scan', 'language-extensions/for-each.yaml', '--format', 'json', '--inventory']));

  test('literal collections, ${Identifier} and &{Identifier} in keys and values, nested loops', () => {
    const images = run().inventory.map((i: any) => `${i.resource}/${i.container} ${i.image} ${i.status}`);
    expect(images).toEqual(expect.arrayContaining([
      'Taskweb/web nginx:1.27.3 pinned',
      'Taskcache/cache redis:latest unpinned',
      'Mirroreuwest1/mirror-eu-west-1 public.ecr.aws/example/mirror-euwest1:1.4.0 pinned',
      'Mirroruseast1/mirror-us-east-1 public.ecr.aws/example/mirror-useast1:1.4.0 pinned',
      'prodWorkera/prod-a example/worker-a:2.0.1 pinned',
      'prodWorkerb/prod-b example/worker-b:2.0.1 pinned',
      'devWorkera/dev-a example/worker-a:latest unpinned',
      'devWorkerb/dev-b example/worker-b:latest unpinned',
    ]));
  });

  test('a collection from a parameter: each allowed value, or the item unknown (an unpinned tag is still an error)', () => {
    const report = run();
    const images = report.inventory.map((i: any) => `${i.resource}/${i.container} ${i.image} ${i.status}`);
    expect(images).toEqual(expect.arrayContaining([
      'Deployblue/blue example/app:blue-1.0.0 pinned',
      'Deploygreen/green example/app:green-1.0.0 pinned',
      'Service${Service}/app example/<ref:Service of Fn::ForEach::Services>:latest unpinned',
      'Service${Service}/sidecar example/sidecar:<ref:Service of Fn::ForEach::Services> unresolved',
    ]));
    expect(report.summary).toMatchObject({ exitCode: 1, images: 12, errors: 4, warnings: 1, inputErrors: 0 });
  });

  test('each finding points at the value in the loop\'s fragment', () => {
    const report = run();
    const cache = report.findings.find((f: any) => f.resource === 'Taskcache');
    const file = path.join(FIXTURES, 'language-extensions', 'for-each.yaml');
    expect(fs.readFileSync(file, 'utf8').split('\n')[cache.line - 1].slice(cache.column - 1)).toBe('[Images, !Ref App, Image]'); // after the tag, as for any short form
  });

  test('a loop that cannot be expanded is an input error with the reason; the other files are still reported (exit 2)', () => {
    const dir = directoryWith({
      'loops.json': JSON.stringify({
        Transform: 'AWS::LanguageExtensions',
        Resources: { 'Fn::ForEach::Broken': ['App', 'web', { 'Task${App}': task('x', 'nginx') }] },
      }),
      'good.json': GOOD,
    });
    const result = runCli(['scan', 'loops.json', 'good.json'], { cwd: dir });
    expectCleanOutput(result);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'cdk-image-pinning: loops.json: Fn::ForEach::Broken: the collection must be a list or a Ref to a CommaDelimitedList parameter, not a string: ' +
        'it is not expanded, and what it makes is not checked\n',
    );
    expectGoodReported(result);
  });
});

describe('template-level macros: the template they deploy is not the one scanned, and the report says so', () => {
  test('a macro other than SAM and AWS::LanguageExtensions, and Fn::Transform in Resources: a warning each, the rest still checked', () => {
    const result = runCli(['scan', 'transforms/macro.yaml', '--format', 'json', '--inventory']);
    expect(result.status).toBe(0);
    const report = stdoutJson(result);
    expect(report.findings.map((f: any) => [f.ruleId, f.severity, f.resource, f.image])).toEqual([
      ['ImagePinning-CFN2', 'warning', 'Example::Sidecars', '<macro:Example::Sidecars>'],
      ['ImagePinning-CFN2', 'warning', 'Fn::Transform', '<macro:AWS::Include>'],
    ]);
    expect(report.findings[0].message).toBe(
      '[ImagePinning-CFN2] Transform "Example::Sidecars": the macro rewrites the template when it is deployed, so the images it deploys are only known then. ' +
        'Fix: scan the processed template (aws cloudformation get-template --template-stage Processed --stack-name <stack>).',
    );
    expect(report.inventory.find((i: any) => i.container === 'web')).toMatchObject({ status: 'pinned' });
  });

  test('--unresolved error makes them errors (exit 1); SAM alone is not one', () => {
    expect(runCli(['scan', 'transforms/macro.yaml', '--unresolved', 'error']).status).toBe(1);
    expect(runCli(['scan', 'sam/template.yaml', '--format', 'json']).stdout).not.toContain('ImagePinning-CFN2');
  });
});

describe('input that cannot be checked is an input error (exit 2), never "0 images, exit 0"', () => {
  test('a nested stack whose template is missing', () => {
    const dir = assemblyWith({ Main: 'Main.template.json', Other: 'Other.template.json' }, {
      'cdk.out/Main.template.json': template({ Inner: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': 'MainInner.nested.template.json' } } }),
      'cdk.out/Other.template.json': GOOD,
    });
    const result = runCli(['scan'], { cwd: dir });
    expectCleanOutput(result);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('cdk-image-pinning: cdk.out/MainInner.nested.template.json: does not exist (the template of nested stack Inner in Main.template.json)\n');
    expectGoodReported(result);
  });

  test('a nested stack whose TemplateURL names an asset the asset manifest does not list', () => {
    const hash = 'ab'.repeat(32);
    const dir = assemblyWith({ Main: 'Main.template.json' }, {
      'cdk.out/Main.template.json': template({
        Inner: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: { 'Fn::Join': ['', ['https://s3.', { Ref: 'AWS::URLSuffix' }, `/bucket/${hash}.json`]] } } },
        Task: task('good', 'busybox:latest'),
      }),
      'cdk.out/Main.assets.json': JSON.stringify({ version: '48.0.0', files: {} }),
    });
    const result = runCli(['scan'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`cdk.out/Main.template.json: nested stack Inner: its TemplateURL names the asset ${hash}, which the asset manifest beside the template does not list`);
    expectGoodReported(result);
  });

  test('a nested stack whose template is not a file (a hand-written TemplateURL): a warning that its images are not checked', () => {
    const dir = directoryWith({
      'parent.json': template({ Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example-bucket.s3.amazonaws.com/child.yaml' } } }),
    });
    const result = runCli(['scan', 'parent.json'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'warning  ImagePinning-CFN2  Nested stack Child: its template (https://example-bucket.s3.amazonaws.com/child.yaml) is not among the files read, so its images are not checked.',
    );
    expect(result.stdout).not.toContain('No container images found');
  });

  test('an assembly with no stack artifacts', () => {
    const dir = assemblyWith({}, {}, { Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } } });
    const result = runCli(['scan'], { cwd: dir });
    expectCleanOutput(result);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'cdk-image-pinning: cdk.out/manifest.json: lists no stacks (no artifact of type aws:cloudformation:stack, in it or in the assemblies of its Stages): there is nothing to check\n',
    );
  });

  test.each([
    ['a list', '[]', 'is not a CloudFormation template (it holds a list, not a mapping)'],
    ['a package.json', '{"name": "app"}', 'is not a CloudFormation template (it has none of the template sections, such as Resources)'],
    ['Resources that are not a mapping', '{"Resources": ["Task"]}', 'is not a CloudFormation template (its Resources is not a mapping)'],
  ])('a templateFile that is not a template: %s', (_, text, reason) => {
    const dir = assemblyWith({ Main: 'Main.template.json', Other: 'Other.template.json' }, { 'cdk.out/Main.template.json': text, 'cdk.out/Other.template.json': GOOD });
    const result = runCli(['scan'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`cdk-image-pinning: cdk.out/Main.template.json: ${reason}\n`);
    expectGoodReported(result);
  });

  test('a manifest.json does not hide the templates under it: they are scanned, and said not to be listed', () => {
    const dir = assemblyWith({ Main: 'Main.template.json' }, {
      'cdk.out/Main.template.json': template({ Task: task('main', 'nginx:1.27.3') }),
      'cdk.out/extra/Hidden.template.json': GOOD,
      'cdk.out/asset.0123/deploy.yaml': 'Resources: [this is a bundled asset, not a stack',
    });
    const result = runCli(['scan'], { cwd: dir });
    expectCleanOutput(result);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^cdk\.out\/extra\/Hidden\.template\.json \(not listed in cdk\.out\/manifest\.json\)$/m);
    expectGoodReported(result);
    expect(result.stdout).toContain('1 error and 0 warnings (2 images in 2 files scanned).');
  });

  test('a manifest.json that cannot be read hides nothing either', () => {
    const dir = directoryWith({ 'repo/manifest.json': '{ "version": ', 'repo/infra/good.json': GOOD });
    const result = runCli(['scan', 'repo'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^cdk-image-pinning: repo\/manifest\.json: not valid JSON: /);
    expectGoodReported(result);
  });
});

describe('only what the user pointed at is read', () => {
  const OUTSIDE = template({ Secret: task('outside', 'outside:latest') });

  test('a templateFile that leaves the assembly directory is refused', () => {
    const dir = assemblyWith({ Evil: '../outside.template.json', Other: 'Other.template.json' }, { 'outside.template.json': OUTSIDE, 'cdk.out/Other.template.json': GOOD });
    const result = runCli(['scan'], { cwd: dir });
    expectCleanOutput(result);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('cdk-image-pinning: cdk.out/manifest.json: artifact "Evil": its templateFile "../outside.template.json" leads outside the cloud assembly directory: not read\n');
    expect(result.stdout).not.toContain('outside');
    expectGoodReported(result);
  });

  test('an absolute templateFile, and a symbolic link inside the assembly to a file outside it, are refused too', () => {
    const dir = assemblyWith({ Absolute: '/etc/hostname', Link: 'Link.template.json', Other: 'Other.template.json' }, { 'outside.template.json': OUTSIDE, 'cdk.out/Other.template.json': GOOD });
    fs.symlinkSync(path.join(dir, 'outside.template.json'), path.join(dir, 'cdk.out', 'Link.template.json'));
    const result = runCli(['scan'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      'cdk-image-pinning: cdk.out/manifest.json: artifact "Absolute": its templateFile "/etc/hostname" leads outside the cloud assembly directory: not read',
      'cdk-image-pinning: cdk.out/manifest.json: artifact "Link": its templateFile "Link.template.json" leads outside the cloud assembly directory: not read',
    ]);
    expect(result.stdout).not.toContain('outside');
    expectGoodReported(result);
  });

  test('a Stage\'s directoryName that leaves the assembly directory is refused', () => {
    const dir = assemblyWith({ Other: 'Other.template.json' }, {
      'cdk.out/Other.template.json': GOOD,
      'elsewhere/manifest.json': JSON.stringify({ version: '48.0.0', artifacts: { S: { type: 'aws:cloudformation:stack', properties: { templateFile: 'S.template.json' } } } }),
      'elsewhere/S.template.json': OUTSIDE,
    }, { Stage: { type: 'cdk:cloud-assembly', properties: { directoryName: '../elsewhere' } } });
    const result = runCli(['scan'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('cdk-image-pinning: cdk.out/manifest.json: artifact "Stage": its directoryName "../elsewhere" leads outside the cloud assembly directory: not read\n');
    expect(result.stdout).not.toContain('outside');
  });

  test('a nested stack\'s aws:asset:path that leaves the assembly directory is refused', () => {
    const dir = assemblyWith({ Main: 'Main.template.json' }, {
      'outside.template.json': OUTSIDE,
      'cdk.out/Main.template.json': template({
        Inner: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': '../outside.template.json' } },
        Task: task('good', 'busybox:latest'),
      }),
    });
    const result = runCli(['scan'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'cdk-image-pinning: cdk.out/Main.template.json: nested stack Inner: its template "../outside.template.json" leads outside the cloud assembly directory: not read\n',
    );
    expect(result.stdout).not.toContain('outside');
    expectGoodReported(result);
  });

  test('a named pipe (FIFO) is refused at once, given as a path or as a templateFile; never waited on', () => {
    const dir = assemblyWith({ Pipe: 'Pipe.template.json', Other: 'Other.template.json' }, { 'cdk.out/Other.template.json': GOOD });
    expect(spawnSync('mkfifo', [path.join(dir, 'pipe.json'), path.join(dir, 'cdk.out', 'Pipe.template.json')]).status).toBe(0);
    const result = timed(runCli(['scan', 'pipe.json', 'cdk.out'], { cwd: dir, timeout: BOUND_MS }));
    expectCleanOutput(result);
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      'cdk-image-pinning: pipe.json: is a named pipe (FIFO), not a regular file: not read',
      'cdk-image-pinning: cdk.out/Pipe.template.json: is a named pipe (FIFO), not a regular file: not read',
    ]);
    expectGoodReported(result);
  });

  test('a device (/dev/zero) is refused at once', () => {
    const dir = directoryWith({ 'good.json': GOOD });
    const result = timed(runCli(['scan', '/dev/zero', 'good.json'], { cwd: dir, timeout: BOUND_MS }));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('cdk-image-pinning: /dev/zero: is a character device, not a regular file: not read\n');
    expectGoodReported(result);
  });

  test('a socket is refused at once', async () => {
    const dir = directoryWith({ 'good.json': GOOD });
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'socket.json'), resolve));
    try {
      const result = timed(runCli(['scan', 'socket.json', 'good.json'], { cwd: dir, timeout: BOUND_MS }));
      expect(result.status).toBe(2);
      expect(result.stderr).toBe('cdk-image-pinning: socket.json: is a socket, not a regular file: not read\n');
      expectGoodReported(result);
    } finally {
      server.close();
    }
  });

  test('a 100 MB template is refused by its size, at once; the limit is --max-file-size', () => {
    const dir = directoryWith({ 'good.json': GOOD });
    const big = path.join(dir, 'big.template.json');
    const fd = fs.openSync(big, 'w');
    fs.writeSync(fd, `{"Resources": ${template({ Task: task('big', 'nginx') })}, "Metadata": {"Padding": "`);
    const chunk = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 100; i++) fs.writeSync(fd, chunk);
    fs.writeSync(fd, '"}}');
    fs.closeSync(fd);
    const result = timed(runCli(['scan', 'big.template.json', 'good.json'], { cwd: dir, timeout: BOUND_MS }));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('cdk-image-pinning: big.template.json: is 100 MB, more than the limit of 50 MB: not read (--max-file-size raises the limit)\n');
    expectGoodReported(result);
    const small = runCli(['scan', 'good.json', '--max-file-size', '100'], { cwd: dir });
    expect(small.status).toBe(2);
    expect(small.stderr).toMatch(/^cdk-image-pinning: good\.json: is \d+ bytes, more than the limit of 100 bytes: not read/);
  });

  test('YAML may be a tenth of the limit: it costs about ten times as much to read', () => {
    const yaml = `Resources:\n${Array.from({ length: 400 }, (_, i) => `  T${i}:\n    Type: AWS::ECS::TaskDefinition\n`).join('')}`;
    const dir = directoryWith({ 'big.yaml': yaml, 'good.json': GOOD });
    const result = timed(runCli(['scan', 'big.yaml', 'good.json', '--max-file-size', '100KB'], { cwd: dir, timeout: BOUND_MS }));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^cdk-image-pinning: big\.yaml: is 1\d\.\d KB of YAML, more than the limit of 10 KB for YAML: not read \(YAML takes about ten times/);
    expectGoodReported(result);
    expect(runCli(['scan', 'big.yaml', '--max-file-size', '1MB'], { cwd: dir }).status).toBe(0);
  });

  test('--max-file-size takes a size; anything else is a usage error', () => {
    const dir = directoryWith({ 'good.json': GOOD });
    expect(runCli(['scan', 'good.json', '--max-file-size', '1KB'], { cwd: dir }).status).toBe(1);
    const bad = runCli(['scan', 'good.json', '--max-file-size', 'lots'], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("option '--max-file-size <size>' argument 'lots' is invalid. write a size such as 50MB, 512KB, 1GB or a number of bytes (units of 1024).");
  });

  test('the policy file likewise: a pipe, a device, a file over the limit', () => {
    const dir = directoryWith({ 'good.json': GOOD, 'policy.json': JSON.stringify({ level: 'TAG', $schema: 'x'.repeat(2000) }) });
    expect(spawnSync('mkfifo', [path.join(dir, 'policy.fifo')]).status).toBe(0);
    for (const [args, message] of [
      [['--policy', 'policy.fifo'], 'cdk-image-pinning: policy file policy.fifo: is a named pipe (FIFO), not a regular file: not read\n'],
      [['--policy', '/dev/zero'], 'cdk-image-pinning: policy file /dev/zero: is a character device, not a regular file: not read\n'],
      [['--policy', 'policy.json', '--max-file-size', '1KB'], 'cdk-image-pinning: policy file policy.json: is 2 KB, more than the limit of 1 KB: not read (--max-file-size raises the limit)\n'],
    ] as const) {
      const result = timed(runCli(['scan', 'good.json', ...args], { cwd: dir, timeout: BOUND_MS }));
      expect(result).toMatchObject({ status: 2, stdout: '', stderr: message });
    }
  });
});

describe('one bad file never loses the report', () => {
  const DEPTH = 5000;

  test('a 5,000-deep JSON value is that file\'s input error; the other files\' findings are reported', () => {
    const deep = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;
    const dir = directoryWith({
      'deep.json': `{"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "x", "Image": ${deep}}]}}}}`,
      'good.json': GOOD,
    });
    const result = timed(runCli(['scan', 'deep.json', 'good.json'], { cwd: dir, timeout: BOUND_MS }));
    expectCleanOutput(result);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('cdk-image-pinning: deep.json: is nested more than 256 levels deep: not checked\n');
    expectGoodReported(result);
  });

  test('a 5,000-deep YAML document likewise', () => {
    const dir = directoryWith({ 'deep.yaml': `Resources:\n  T: ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n`, 'good.json': GOOD });
    const result = timed(runCli(['scan', 'deep.yaml', 'good.json'], { cwd: dir, timeout: BOUND_MS }));
    expectCleanOutput(result);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^cdk-image-pinning: deep\.yaml: is nested too deeply to be parsed \(Maximum call stack size exceeded.*\)\n$/);
    expectGoodReported(result);
  });
});

describe('terminal safety: what templates name is printed with its control characters escaped', () => {
  const NAME = 'web\r\u001b[2K\u001b[32mall images pinned\u001b[0m\nsecond line\u202e';
  const dir = () => directoryWith({
    'evil.json': JSON.stringify({ Resources: { 'Task\u001b[1A': { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: NAME, Image: 'nginx:latest\u0007' }] } } } }),
    'bad\nname.json': '{ "Resources": ',
  });

  test('the table and stderr escape them: no template can start, erase or colour a line', () => {
    const result = runCli(['scan', '.', '--inventory'], { cwd: dir() });
    expectCleanOutput(result); // no escape sequence at all
    expect(result.stdout).not.toMatch(/[\r\u0007\u202e]/);
    expect(result.stdout).toContain('  Task\\x1b[1A (AWS::ECS::TaskDefinition)\n');
    expect(result.stdout).toContain('error    ImagePinning-ECS1  Container "web\\r\\x1b[2K\\x1b[32mall images pinned\\x1b[0m\\nsecond line\\u202e": Invalid image reference');
    expect(result.stdout.split('\n').some((l) => l.startsWith('second line'))).toBe(false);
    expect(result.stderr).toMatch(/^cdk-image-pinning: bad\\nname\.json: not valid JSON: .*\n$/);
    expect(result.stderr.split('\n')).toHaveLength(2); // one line, and the final newline
  });

  test('JSON and SARIF keep the exact strings', () => {
    const cwd = dir();
    const json = stdoutJson(runCli(['scan', '.', '--format', 'json'], { cwd }));
    expect(json.findings[0]).toMatchObject({ container: NAME, resource: 'Task\u001b[1A', image: 'nginx:latest\u0007' });
    expect(json.inputErrors[0].file).toBe('bad\nname.json');
    const sarif = stdoutJson(runCli(['scan', '.', '--format', 'sarif'], { cwd }));
    expect(sarif.runs[0].results[0].properties).toMatchObject({ container: NAME, resource: 'Task\u001b[1A' });
  });
});

describe('writing the report', () => {
  test('a failed write to stdout (a full disk) is exit 2, with the reason', () => {
    const out = fs.openSync('/dev/full', 'w');
    try {
      const result = spawnSync(process.execPath, [BIN, 'scan', 'templates'], { cwd: FIXTURES, stdio: ['ignore', out, 'pipe'], encoding: 'utf8', timeout: BOUND_MS });
      expect(result.status).toBe(2);
      expect(result.stderr).toBe('cdk-image-pinning: cannot write to stdout (ENOSPC)\n');
    } finally {
      fs.closeSync(out);
    }
  });

  test('a closed pipe (| head) ends the output quietly, with the scan\'s own exit code', () => {
    const dir = directoryWith(Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`t${i}.json`, template({ [`Task${i}`]: task(`c${i}`, `example/app-${i}:latest`) })])));
    const result = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" scan . --inventory | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('1\n');
  });
});
