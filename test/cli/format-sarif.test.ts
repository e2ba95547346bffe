import * as fs from 'fs';
import * as path from 'path';
import { expectCleanOutput, FIXTURES, REPO_ROOT, removeTemporaryDirectories, runCli, stdoutJson, temporaryDirectory, textAt } from './cli-process';
import { allRuleIds } from '../../src/rules/rule-ids';
import { expectValidSarif, validate } from '../support/sarif';

afterAll(removeTemporaryDirectories);

describe('--format sarif', () => {
  const inputs = ['templates', 'sam', 'task-definitions', 'malformed'];

  test('is valid SARIF 2.1.0 (and the validator does reject an invalid log)', () => {
    const run = runCli(['scan', ...inputs, '--format', 'sarif']);
    expectCleanOutput(run);
    expect(run.status).toBe(2); // malformed inputs
    const log = stdoutJson(run);
    expectValidSarif(log);
    expect(log).toMatchObject({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0' });
    const broken = JSON.parse(JSON.stringify(log));
    broken.runs[0].results[0].level = 'fatal';
    expect(validate(broken)).toBe(false);
  });

  test('rule help says how to fix each kind of rule, for CDK apps and for templates and task definition files', () => {
    const rules = new Map(stdoutJson(runCli(['scan', 'templates', '--format', 'sarif'])).runs[0].tool.driver.rules.map((r: any) => [r.id, r.help]));
    const ecs1 = rules.get('ImagePinning-ECS1') as any;
    expect(ecs1.text).toContain("In a CDK app, write it in the image you pass (`ecs.ContainerImage.fromRegistry('nginx:1.27.3')`)");
    expect(ecs1.text).toContain('with ecs.ContainerImage.fromEcrRepository(repo, tag), the tag is the second argument and defaults to "latest"');
    expect(ecs1.text).toContain('In a CloudFormation template or an ECS task definition file, write it in the image value.');
    expect((rules.get('ImagePinning-LAMBDA1') as any).text).toContain('lambda.DockerImageCode.fromEcr(repo, { tagOrDigest })');
    expect((rules.get('ImagePinning-ECS2') as any).text).toContain('In a template, write it as a literal.');
    expect((rules.get('ImagePinning-CFN2') as any).text).toContain('aws cloudformation get-template --template-stage Processed');
  });

  test('the driver has its name, the package version, a home page and one rule per rule id, with help', () => {
    const log = stdoutJson(runCli(['scan', 'templates', '--format', 'sarif']));
    const driver = log.runs[0].tool.driver;
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(driver).toMatchObject({ name: 'cdk-image-pinning', version: pkg.version, informationUri: expect.stringMatching(/^https:\/\//) });
    expect(driver.rules.map((r: any) => r.id)).toEqual(allRuleIds());
    for (const rule of driver.rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(10);
      expect(rule.fullDescription.text).toContain(rule.shortDescription.text);
      expect(rule.help.text).toContain('An image that is not pinned runs whatever the registry holds');
      // The fix, in general, for each kind of input; each result's message has its own, with the image written out.
      expect(rule.help.text).toMatch(/ How to fix: .{40,}/);
      expect(rule.help.markdown).toMatch(/\n\n\*\*How to fix\.\*\* .{40,}$/);
      expect(rule.defaultConfiguration.level).toBe(rule.id.endsWith('1') ? 'error' : 'warning');
    }
  });

  test('results: rule, level, message, and file, line and column of the image value, in JSON and YAML files', () => {
    const run = runCli(['scan', ...inputs, '--format', 'sarif']);
    const [sarifRun] = stdoutJson(run).runs;
    const table = stdoutJson(runCli(['scan', ...inputs, '--format', 'json'])).findings;
    expect(sarifRun.results).toHaveLength(table.length);
    const ruleIds = sarifRun.tool.driver.rules.map((r: any) => r.id);
    for (const result of sarifRun.results) {
      expect(result.ruleIndex).toBe(ruleIds.indexOf(result.ruleId));
      expect(['error', 'warning']).toContain(result.level);
      expect(result.message.text).toMatch(new RegExp(`^\\[${result.ruleId}\\] `));
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      expect(artifactLocation.uriBaseId).toBe('%SRCROOT%');
      const file = path.join(FIXTURES, decodeURIComponent(artifactLocation.uri));
      expect(fs.existsSync(file)).toBe(true);
      const text = textAt(file, region.startLine, region.startColumn);
      // The value starts there: the image, bare or quoted, or the intrinsic function that makes it.
      const image: string = result.properties.image;
      const startsWithImage = [image, JSON.stringify(image), `'${image}'`].some((written) => text.startsWith(written));
      const startsWithFunction = /^(\[|\{ ?"Fn::|- |'\$\{)/.test(text);
      expect({ image, text, ok: startsWithImage || startsWithFunction }).toMatchObject({ ok: true });
      expect(region.endLine).toBeGreaterThanOrEqual(region.startLine);
      expect(result.locations[0].logicalLocations[0]).toMatchObject({ name: result.properties.container, kind: 'resource' });
    }
    const proxy = sarifRun.results.find((r: any) => r.properties.container === 'proxy');
    const proxyRegion = proxy.locations[0].physicalLocation.region;
    const registerWeb = path.join(FIXTURES, 'task-definitions', 'register-web.json');
    expect(textAt(registerWeb, proxyRegion.startLine, proxyRegion.startColumn)).toBe('"envoyproxy/envoy:latest",');
    expect(proxyRegion.endColumn - proxyRegion.startColumn).toBe('"envoyproxy/envoy:latest"'.length);
    expect(proxy.locations[0].logicalLocations[0].fullyQualifiedName).toBe('web/proxy');
    const selected = sarifRun.results.find((r: any) => r.properties.container === 'selected');
    const selectedRegion = selected.locations[0].physicalLocation.region;
    expect(textAt(path.join(FIXTURES, 'templates', 'short-forms.yaml'), selectedRegion.startLine, selectedRegion.startColumn)).toBe(
      "[1, !Split [',', 'redis:7.2.4,busybox']]",
    );
  });

  test('inputs that could not be scanned are tool execution notifications, and the run is not successful', () => {
    const [sarifRun] = stdoutJson(runCli(['scan', ...inputs, '--format', 'sarif'])).runs;
    const invocation = sarifRun.invocations[0];
    expect(invocation).toMatchObject({ executionSuccessful: false, exitCode: 2 });
    expect(invocation.toolExecutionNotifications.map((n: any) => n.locations[0].physicalLocation.artifactLocation.uri).sort()).toEqual([
      'malformed/truncated.json',
      'malformed/unclosed.yaml',
      'malformed/wrong-form.yaml',
    ]);
    expect(invocation.toolExecutionNotifications[0]).toMatchObject({ level: 'error', message: { text: expect.stringContaining('not valid JSON') } });
  });

  test('a clean run is valid SARIF with no results and a successful invocation (exit 0)', () => {
    const dir = temporaryDirectory();
    fs.writeFileSync(path.join(dir, 'ok.yaml'), 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - {Name: a, Image: nginx:1.27.3}\n');
    const run = runCli(['scan', '.', '--format', 'sarif'], { cwd: dir });
    expect(run.status).toBe(0);
    const log = stdoutJson(run);
    expectValidSarif(log);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].invocations[0]).toMatchObject({ executionSuccessful: true, exitCode: 0, toolExecutionNotifications: [] });
  });

  test('with --inventory, compliant images are results of kind "pass" and level "none", with the image parts', () => {
    const run = runCli(['scan', 'task-definitions', '--format', 'sarif', '--inventory']);
    const log = stdoutJson(run);
    expectValidSarif(log);
    const passes = log.runs[0].results.filter((r: any) => r.kind === 'pass');
    expect(passes.map((r: any) => r.properties.container).sort()).toEqual(['app', 'sidecar']);
    expect(passes.every((r: any) => r.level === 'none')).toBe(true);
    expect(passes.find((r: any) => r.properties.container === 'app').properties).toMatchObject({
      status: 'pinned', registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', repository: 'app', tag: 'v1.4.2',
    });
    expect(log.runs[0].results.filter((r: any) => r.kind === 'fail')).toHaveLength(3);
  });

  test('a file outside the working directory gets a file: URI; --output writes the log to a file', () => {
    const dir = temporaryDirectory();
    const out = path.join(dir, 'pinning.sarif');
    const run = runCli(['scan', path.join(FIXTURES, 'task-definitions', 'describe-worker.json'), '--format', 'sarif', '--output', out], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('');
    const log = JSON.parse(fs.readFileSync(out, 'utf8'));
    expectValidSarif(log);
    const location = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    expect(location.uri).toBe(`file://${path.join(FIXTURES, 'task-definitions', 'describe-worker.json')}`);
    expect(location.uriBaseId).toBeUndefined();
  });
});
