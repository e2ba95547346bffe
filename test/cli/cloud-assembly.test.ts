import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { expectCleanOutput, removeTemporaryDirectories, runCli, stdoutJson, temporaryDirectory, textAt } from './cli-process';

// Cloud assemblies made by really synthesizing apps: stacks, a nested stack, a Stage and a Stage
// inside it, each with its own manifest.json. `workdir/cdk.out` is the assembly.
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
let workdir: string;
let cleanWorkdir: string;

function synthesize(outdir: string, build: (app: App) => void): void {
  // Path metadata, as the cdk CLI asks for it, so findings name their constructs.
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  build(app);
  app.synth();
}

beforeAll(() => {
  workdir = temporaryDirectory();
  synthesize(path.join(workdir, 'cdk.out'), (app) => {
    const main = new Stack(app, 'Main');
    const task = new ecs.FargateTaskDefinition(main, 'Task');
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx') });
    task.addContainer('pinned', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
    const inner = new NestedStack(main, 'Inner');
    new ecs.FargateTaskDefinition(inner, 'Task').addContainer('worker', { image: ecs.ContainerImage.fromRegistry('busybox:latest') });

    const prod = new Stage(app, 'Prod');
    const service = new Stack(prod, 'Svc');
    const tag = new CfnParameter(service, 'Tag');
    const serviceTask = new ecs.FargateTaskDefinition(service, 'Task');
    serviceTask.addContainer('api', { image: ecs.ContainerImage.fromRegistry(`ghcr.io/example/api:${tag.valueAsString}`) });
    serviceTask.addContainer('sidecar', { image: ecs.ContainerImage.fromRegistry(`ghcr.io/example/sidecar@${DIGEST}`) });
    const eu = new Stage(prod, 'Eu');
    new ecs.FargateTaskDefinition(new Stack(eu, 'Cache'), 'Task').addContainer('cache', { image: ecs.ContainerImage.fromRegistry('redis:7.2.4') });
  });
  cleanWorkdir = temporaryDirectory();
  synthesize(path.join(cleanWorkdir, 'cdk.out'), (app) => {
    const stack = new Stack(new Stage(app, 'Prod'), 'Web');
    new ecs.FargateTaskDefinition(stack, 'Task').addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
  });
});
afterAll(removeTemporaryDirectories);

describe('a synthesized cloud assembly', () => {
  test('scan with no path reads ./cdk.out: every stack, the nested stack, the Stage and the Stage inside it (exit 1)', () => {
    const run = runCli(['scan'], { cwd: workdir });
    expectCleanOutput(run);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('cdk.out/Main.template.json (stack Main)');
    expect(run.stdout).toMatch(/cdk\.out\/MainInner[0-9A-F]+\.nested\.template\.json \(nested stack \w+ in cdk\.out\/Main\.template\.json, stack Main\)/);
    expect(run.stdout).toMatch(/cdk\.out\/assembly-Prod\/ProdSvc[0-9A-F]+\.template\.json \(stack Prod\/Svc\)/);
    expect(run.stdout).toContain('Container "web": image "nginx" has no tag');
    expect(run.stdout).toContain('Container "worker": image "busybox:latest" uses the moving tag "latest"');
    expect(run.stdout).toContain('Container "api": the tag or digest of image "ghcr.io/example/api:<param:Tag>" is only known at deploy time');
    expect(run.stdout).not.toContain('"pinned"');
    expect(run.stdout).not.toContain('"cache"'); // redis:7.2.4 passes at the default level
    expect(run.stdout).toContain('Main/Task/Resource'); // the construct path aws-cdk-lib recorded
    expect(run.stdout).toMatch(/2 errors and 1 warning \(6 images in 4 files scanned\)\.\n$/);
  });

  test('--inventory lists every image, the one in the Stage inside the Stage included', () => {
    const run = runCli(['scan', '--inventory', '--format', 'json'], { cwd: workdir });
    const inventory = stdoutJson(run).inventory;
    expect(inventory.map((i: any) => `${i.stack}:${i.container}:${i.status}`).sort()).toEqual([
      'Main:pinned:pinned',
      'Main:web:unpinned',
      'Main:worker:unpinned',
      'Prod/Eu/Cache:cache:pinned',
      'Prod/Svc:api:unresolved',
      'Prod/Svc:sidecar:pinned',
    ]);
    const cache = inventory.find((i: any) => i.container === 'cache');
    expect(cache.file).toMatch(/^cdk\.out\/assembly-Prod\/assembly-Prod-Eu\/ProdEuCache[0-9A-F]+\.template\.json$/);
    expect(cache).toMatchObject({ registry: 'docker.io', repository: 'library/redis', tag: '7.2.4', constructPath: 'Prod/Eu/Cache/Task/Resource' });
  });

  test('each finding has the file, line and column of the image value in the synthesized JSON', () => {
    const run = runCli(['scan', '--format', 'json'], { cwd: workdir });
    expect(run.status).toBe(1);
    const report = stdoutJson(run);
    expect(report.summary).toEqual({ exitCode: 1, filesScanned: 4, images: 6, errors: 2, warnings: 1, inputErrors: 0 });
    const byContainer = Object.fromEntries(report.findings.map((f: any) => [f.container, f]));
    expect(Object.keys(byContainer).sort()).toEqual(['api', 'web', 'worker']);
    expect(byContainer.web).toMatchObject({ severity: 'error', stack: 'Main', resourceType: 'AWS::ECS::TaskDefinition', constructPath: 'Main/Task/Resource' });
    expect(byContainer.api).toMatchObject({ severity: 'warning', ruleId: 'ImagePinning-ECS2', stack: 'Prod/Svc' });
    expect(textAt(path.join(workdir, byContainer.web.file), byContainer.web.line, byContainer.web.column)).toMatch(/^"nginx",?$/);
    expect(textAt(path.join(workdir, byContainer.worker.file), byContainer.worker.line, byContainer.worker.column)).toMatch(/^"busybox:latest",?$/);
    expect(textAt(path.join(workdir, byContainer.api.file), byContainer.api.line, byContainer.api.column)).toMatch(/^\{$/); // the Fn::Join
    expect(byContainer.web.propertyPath).toMatch(/^Resources\.Task\w+\.Properties\.ContainerDefinitions\.0\.Image$/);
  });

  test('the manifest.json, the directory above cdk.out, and the assembly directory itself give the same findings', () => {
    const direct = stdoutJson(runCli(['scan', 'cdk.out', '--format', 'json'], { cwd: workdir }));
    const manifest = stdoutJson(runCli(['scan', 'cdk.out/manifest.json', '--format', 'json'], { cwd: workdir }));
    const walked = stdoutJson(runCli(['scan', '.', '--format', 'json'], { cwd: workdir }));
    expect(manifest.findings).toEqual(direct.findings);
    expect(walked.findings).toEqual(direct.findings); // walked into cdk.out as one assembly, nothing twice
    expect(walked.summary.filesScanned).toBe(4);
  });

  test('a stack template given as a file is scanned with its nested stacks', () => {
    const run = runCli(['scan', 'cdk.out/Main.template.json', '--format', 'json'], { cwd: workdir });
    expect(run.status).toBe(1);
    expect(stdoutJson(run).findings.map((f: any) => f.container).sort()).toEqual(['web', 'worker']);
  });

  test('an assembly whose images are all pinned passes (exit 0)', () => {
    const run = runCli(['scan'], { cwd: cleanWorkdir });
    expectCleanOutput(run);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('No unpinned images (1 image in 1 file scanned).\n');
  });

  test('a template the manifest lists that cannot be read is reported with its path and reason; the other stacks are still scanned (exit 2)', () => {
    const broken = temporaryDirectory();
    fs.cpSync(path.join(workdir, 'cdk.out'), path.join(broken, 'cdk.out'), { recursive: true });
    const main = path.join(broken, 'cdk.out', 'Main.template.json');
    fs.rmSync(main);
    fs.mkdirSync(main); // a directory where the manifest promises a file
    const prodDir = path.join(broken, 'cdk.out', 'assembly-Prod');
    const svc = fs.readdirSync(prodDir).find((f) => f.endsWith('.template.json'))!;
    fs.writeFileSync(path.join(prodDir, svc), '{ "Resources": ');

    const run = runCli(['scan'], { cwd: broken });
    expectCleanOutput(run);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('cdk-image-pinning: cdk.out/Main.template.json: is a directory where a file was expected (EISDIR)\n');
    expect(run.stderr).toContain(`cdk-image-pinning: cdk.out/assembly-Prod/${svc}: not valid JSON: `);
    expect(run.stdout).toContain('2 inputs could not be scanned (reported on stderr).');
    // The Stage inside the Stage, and the nested stack of the unreadable Main: found in the
    // assembly's directory, not through Main, so it is said to be unlisted.
    expect(run.stdout).toContain('2 images in 2 files scanned');
    expect(run.stdout).toMatch(/^cdk\.out\/MainInner\w+\.nested\.template\.json \(not listed in cdk\.out\/manifest\.json\)$/m);
  });

  test('without cdk.out, the default path is a usage error with a hint (exit 2)', () => {
    const run = runCli(['scan'], { cwd: temporaryDirectory() });
    expectCleanOutput(run);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('cdk-image-pinning: cdk.out: does not exist (run cdk synth first, or name the files and directories to scan)\n');
  });
});
