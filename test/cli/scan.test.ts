import * as fs from 'fs';
import * as path from 'path';
import { expectCleanOutput, FIXTURES, lineOf, removeTemporaryDirectories, runCli, stdoutJson, temporaryDirectory, textAt } from './cli-process';
import { EMPTY_CONTEXT } from '../../src/cfn/template-context';
import { checkResource } from '../../src/check/check-resource';
import { compileOptions } from '../../src/check/check-settings';
import { scan } from '../../src/cli/scan';

afterAll(removeTemporaryDirectories);

function byContainer(findings: any[]): Record<string, any> {
  return Object.fromEntries(findings.map((f) => [f.container, f]));
}

describe('CloudFormation templates in YAML, with short-form tags', () => {
  const file = path.join(FIXTURES, 'templates', 'short-forms.yaml');

  test('every short form is read as its long JSON form, through the shared intrinsic reader', () => {
    const run = runCli(['scan', 'templates/short-forms.yaml', '--format', 'json', '--inventory']);
    expectCleanOutput(run);
    expect(run.status).toBe(1);
    const report = stdoutJson(run);
    const images = byContainer(report.inventory);
    expect(images.pinned).toMatchObject({ status: 'pinned', image: 'public.ecr.aws/nginx/nginx:1.27.3', registry: 'public.ecr.aws', repository: 'nginx/nginx' });
    // !Sub with pseudo parameters and a resource
    expect(images.latest).toMatchObject({ status: 'unpinned', reason: 'MOVING_TAG', image: '<account>.dkr.ecr.<region>.<urlsuffix>/<ref:Repo>:latest' });
    expect(images.latest).toMatchObject({ registry: '<account>.dkr.ecr.<region>.<urlsuffix>', repository: '<ref:Repo>', tag: 'latest' });
    // !Join with !GetAtt Repo.RepositoryUri (the scalar form, split at the first dot)
    expect(images.joined).toMatchObject({ status: 'pinned', image: '<Repo.RepositoryUri>:v1.2.3', tag: 'v1.2.3' });
    // !Join with !Ref to a parameter
    expect(images.parameter).toMatchObject({ status: 'unresolved', image: 'nginx:<param:ImageTag>', registry: 'docker.io', repository: 'library/nginx' });
    // !Sub [text, {Registry: !ImportValue ...}] in block style
    expect(images.imported).toMatchObject({ status: 'unpinned', image: '<import:shared-registry>/app:stable', tag: 'stable' });
    // !Select over !Split of a literal
    expect(images.selected).toMatchObject({ status: 'unpinned', reason: 'NO_TAG', image: 'busybox' });
    // !If: each branch is judged, with the condition it needs
    const conditional = report.inventory.filter((i: any) => i.container === 'conditional').map((i: any) => [i.image, i.status]);
    expect(conditional).toEqual([['nginx:1.27.3', 'pinned'], ['nginx:edge', 'unpinned']]);
    expect(report.findings.find((f: any) => f.container === 'conditional').message).toContain('Container "conditional" (when condition IsProd is false): image "nginx:edge"');
    // !FindInMap with a key from a parameter whose AllowedValues the mapping covers: the one value it can pick
    expect(images.mapped).toMatchObject({ status: 'pinned', image: 'nginx:1.27.3' });
    expect(report.summary).toMatchObject({ images: 9, errors: 4, warnings: 1, filesScanned: 1 });
  });

  test('line and column point at each image value in the YAML file', () => {
    const report = stdoutJson(runCli(['scan', 'templates/short-forms.yaml', '--format', 'json', '--inventory']));
    const images = byContainer(report.inventory);
    const at = (name: string) => textAt(file, images[name].line, images[name].column);
    expect(at('pinned')).toBe('public.ecr.aws/nginx/nginx:1.27.3');
    expect(at('latest')).toBe("'${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/${Repo}:latest'");
    expect(at('joined')).toBe("[':', [!GetAtt Repo.RepositoryUri, v1.2.3]]");
    expect(at('parameter')).toBe("['', [nginx, ':', !Ref ImageTag]]");
    expect(at('imported')).toBe("- '${Registry}/app:stable'");
    expect(at('selected')).toBe("[1, !Split [',', 'redis:7.2.4,busybox']]");
    expect(images.latest.line).toBe(lineOf(file, '- Name: latest') + 1);
    expect(images.imported.line).toBe(lineOf(file, '- Name: imported') + 2);
  });

  test('the table groups findings by file and resource, with line:column, severity, rule, message and fix', () => {
    const run = runCli(['scan', 'templates/short-forms.yaml']);
    expectCleanOutput(run);
    const line = lineOf(file, '- Name: latest') + 1;
    expect(run.stdout).toMatch(/^templates\/short-forms\.yaml\n {2}Web \(AWS::ECS::TaskDefinition\)\n/);
    expect(run.stdout).toContain(`    ${line}:23  error    ImagePinning-ECS1  Container "latest": image "<account>.dkr.ecr.<region>.<urlsuffix>/<ref:Repo>:latest" uses the moving tag "latest"`);
    expect(run.stdout).toMatch(/\n {39}Fix: replace ":latest" with a version tag/);
    expect(run.stdout).toMatch(/error {4}ImagePinning-ECS1 {2}Container "conditional" \(when condition IsProd is false\)/);
    expect(run.stdout).toMatch(/4 errors and 1 warning \(9 images in 1 file scanned\)\.\n$/);
  });

  test('a short form CloudFormation does not accept is reported with its position (exit 2)', () => {
    const run = runCli(['scan', 'malformed/wrong-form.yaml']);
    expectCleanOutput(run);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'cdk-image-pinning: malformed/wrong-form.yaml: not valid YAML: !Join takes a sequence, not a scalar: write !Join [delimiter, [values]] at line 7, column 18\n',
    );
  });
});

describe('CloudFormation templates in JSON', () => {
  test('findings with the line and column of the value, intrinsic functions included', () => {
    const file = path.join(FIXTURES, 'templates', 'service.json');
    const run = runCli(['scan', 'templates/service.json', '--format', 'json']);
    expect(run.status).toBe(1);
    const findings = byContainer(stdoutJson(run).findings);
    expect(Object.keys(findings).sort()).toEqual(['cache', 'worker']);
    expect(findings.cache).toMatchObject({ severity: 'error', reason: 'NO_TAG', resource: 'Api', propertyPath: 'Resources.Api.Properties.ContainerDefinitions.1.Image' });
    expect(textAt(file, findings.cache.line, findings.cache.column)).toBe('"redis" },');
    expect(findings.cache.endColumn - findings.cache.column).toBe('"redis"'.length);
    expect(findings.worker).toMatchObject({ severity: 'warning', image: 'ghcr.io/example/worker:<param:Tag>' });
    expect(textAt(file, findings.worker.line, findings.worker.column)).toMatch(/^\{ "Fn::Join"/);
  });

  test('duplicate keys: the last one counts, as in JSON.parse, and its position is reported', () => {
    const dir = temporaryDirectory();
    const text = '{"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [\n' +
      '  {"Name": "web", "Image": "nginx:1.27.3",\n   "Image": "nginx:latest"}]}}}}\n';
    fs.writeFileSync(path.join(dir, 'dup.json'), text);
    const run = runCli(['scan', 'dup.json', '--format', 'json'], { cwd: dir });
    const [finding] = stdoutJson(run).findings;
    expect(finding).toMatchObject({ image: 'nginx:latest', line: 3, column: 13 });
  });
});

describe('SAM templates', () => {
  test('functions packaged as images are checked as the sources table says', () => {
    // What the shared table says about AWS::Serverless::Function, asked through the shared check.
    const samChecked = checkResource('AWS::Serverless::Function', { PackageType: 'Image', ImageUri: 'hello:latest' }, EMPTY_CONTEXT, compileOptions()).length > 0;
    const run = runCli(['scan', 'sam/template.yaml', '--format', 'json', '--inventory']);
    expectCleanOutput(run);
    const report = stdoutJson(run);
    expect(report.summary.filesScanned).toBe(1);
    if (samChecked) {
      expect(run.status).toBe(1);
      expect(report.findings).toHaveLength(1);
      expect(report.findings[0]).toMatchObject({ resource: 'HelloFunction', resourceType: 'AWS::Serverless::Function', severity: 'error', reason: 'MOVING_TAG' });
      expect(textAt(path.join(FIXTURES, 'sam', 'template.yaml'), report.findings[0].line, report.findings[0].column)).toMatch(/^'\$\{AWS::AccountId\}/);
      expect(report.inventory.map((i: any) => `${i.resource}:${i.status}`).sort()).toEqual(['HelloFunction:unpinned', 'PinnedFunction:pinned']);
    } else {
      expect(run.status).toBe(0);
      expect(report.inventory).toEqual([]);
    }
  });
});

describe('ECS task definition files', () => {
  test('the register-task-definition input: containerDefinitions[].image', () => {
    const file = path.join(FIXTURES, 'task-definitions', 'register-web.json');
    const run = runCli(['scan', 'task-definitions/register-web.json', '--format', 'json', '--inventory']);
    expectCleanOutput(run);
    expect(run.status).toBe(1);
    const report = stdoutJson(run);
    const findings = byContainer(report.findings);
    expect(Object.keys(findings).sort()).toEqual(['log-router', 'proxy']);
    expect(findings.proxy).toMatchObject({
      resource: 'web',
      resourceType: 'AWS::ECS::TaskDefinition',
      propertyPath: 'containerDefinitions.1.image',
      message: expect.stringMatching(/^\[ImagePinning-ECS1\] Container "proxy": image "envoyproxy\/envoy:latest" uses the moving tag "latest"/),
    });
    expect(textAt(file, findings.proxy.line, findings.proxy.column)).toBe('"envoyproxy/envoy:latest",');
    expect(textAt(file, findings['log-router'].line, findings['log-router'].column)).toBe('"public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",');
    expect(byContainer(report.inventory).app).toMatchObject({
      status: 'pinned', registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', repository: 'app', tag: 'v1.4.2',
    });
  });

  test('the describe-task-definition output: taskDefinition.containerDefinitions[].image', () => {
    const file = path.join(FIXTURES, 'task-definitions', 'describe-worker.json');
    const run = runCli(['scan', 'task-definitions/describe-worker.json', '--format', 'json', '--inventory']);
    expect(run.status).toBe(1);
    const report = stdoutJson(run);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ container: 'worker', resource: 'worker:7', propertyPath: 'taskDefinition.containerDefinitions.0.image', reason: 'NO_TAG' });
    expect(textAt(file, report.findings[0].line, report.findings[0].column)).toBe('"busybox",');
    expect(byContainer(report.inventory).sidecar).toMatchObject({ status: 'pinned', digest: `sha256:${'abcdef'.repeat(10)}abcd` });
  });

  test('the table names the task definition file and its family', () => {
    const run = runCli(['scan', 'task-definitions']);
    expect(run.stdout).toContain('task-definitions/describe-worker.json (ECS task definition)\n  worker:7 (AWS::ECS::TaskDefinition)\n');
    expect(run.stdout).toContain('task-definitions/register-web.json (ECS task definition)\n  web (AWS::ECS::TaskDefinition)\n');
  });

  test('a task definition in YAML (aws ecs register-task-definition --cli-input-yaml) is recognized too', () => {
    const dir = temporaryDirectory();
    fs.writeFileSync(path.join(dir, 'task.yaml'), 'family: batch\ncontainerDefinitions:\n  - name: job\n    image: python:3.12.4-slim\n');
    const run = runCli(['scan', 'task.yaml'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('No unpinned images (1 image in 1 file scanned).\n');
  });
});

describe('templates scanned together', () => {
  test('an image imported from another template given in the same run is judged with what that template says', () => {
    const dir = temporaryDirectory();
    fs.writeFileSync(
      path.join(dir, 'registry.yaml'),
      'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      ImageTagMutability: IMMUTABLE\n' +
        'Outputs:\n  Repo:\n    Value: !Ref Repo\n    Export:\n      Name: shared-repo\n' +
        '  RepoArn:\n    Value: !GetAtt Repo.Arn\n    Export:\n      Name: shared-repo-arn\n',
    );
    // As aws-cdk-lib writes a repository of another stack: its account and region from its ARN.
    const field = (i: number) => `!Select [${i}, !Split [':', !ImportValue shared-repo-arn]]`;
    fs.writeFileSync(
      path.join(dir, 'service.yaml'),
      'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n' +
        `          Image: !Join ['', [${field(4)}, '.dkr.ecr.', ${field(3)}, '.amazonaws.com/', !ImportValue shared-repo, ':release']]\n` +
        '        - Name: pseudo\n' +
        "          Image: !Sub ['${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/${Repo}:release', {Repo: !ImportValue shared-repo}]\n",
    );
    const together = stdoutJson(runCli(['scan', '.', '--format', 'json', '--inventory', '--level', 'digest'], { cwd: dir }));
    const alone = stdoutJson(runCli(['scan', 'service.yaml', '--format', 'json', '--inventory', '--level', 'digest'], { cwd: dir }));
    expect(together.inventory[0]).toMatchObject({ container: 'app', reason: 'IMMUTABLE_TAG', status: 'pinned' });
    expect(alone.inventory[0]).toMatchObject({ container: 'app', reason: 'NO_DIGEST', status: 'unpinned' });
    // The pseudo parameters of this stack name this stack's account and region, which nothing says are the repository's.
    expect(together.inventory[1]).toMatchObject({ container: 'pseudo', reason: 'NO_DIGEST', status: 'unpinned' });
  });
});

describe('positions are taken while each file is checked, so its document can be let go', () => {
  test('every image carries its position as a value (not computed later from a document kept alive), at the image in the text', () => {
    const result = scan(['templates/service.json', 'templates/short-forms.yaml'], { settings: compileOptions(), cwd: FIXTURES });
    expect(result.problems).toEqual([]);
    expect(result.images.length).toBeGreaterThan(2);
    for (const image of result.images) {
      const descriptor = Object.getOwnPropertyDescriptor(image, 'position');
      expect(descriptor).toMatchObject({ value: expect.objectContaining({ startLine: expect.any(Number) }) });
      expect(descriptor?.get).toBeUndefined();
      const lines = fs.readFileSync(image.absolutePath, 'utf8').split('\n');
      const p = image.position!;
      // JSON: the image's value starts with its quote, or its intrinsic function's brace; YAML: at the value (after any tag).
      expect(lines[p.startLine - 1].slice(p.startColumn - 1)).toMatch(/^\S/);
      expect(lines[p.startLine - 1].slice(0, p.startColumn - 1)).toMatch(/(mage"?:\s*(!\w+\s+)?|\[\s*|-\s*|^\s*)$/);
    }
  });
});
