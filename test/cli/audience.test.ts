import * as fs from 'fs';
import * as path from 'path';
import { removeTemporaryDirectories, runCli, stdoutJson, temporaryDirectory } from './cli-process';
import { DEMO_APP, synthesize } from '../support/demo-assembly';

afterAll(removeTemporaryDirectories);

/**
 * Fixes in the words of what was scanned: a cloud assembly is a CDK app's (aws-cdk-lib's API, CDK
 * context, acknowledgements), a template or a task definition file is edited where the image is
 * written. Each with the real aws-cdk-lib, the real CLI, and every report format.
 */

const ECR_APP = `
const { App, Stack } = require('aws-cdk-lib');
const ecr = require('aws-cdk-lib/aws-ecr');
const ecs = require('aws-cdk-lib/aws-ecs');
const app = new App();
const stack = new Stack(app, 'Ecr', { env: { account: '123456789012', region: 'eu-west-1' } });
const repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'app');
new ecs.FargateTaskDefinition(stack, 'Task').addContainer('app', { image: ecs.ContainerImage.fromEcrRepository(repo) });
app.synth();
`;

/** A container with the FireLens log driver: aws-cdk-lib adds a log router whose image comes from an SSM parameter. */
const FIRELENS_APP = `
const { App, Stack } = require('aws-cdk-lib');
const ecs = require('aws-cdk-lib/aws-ecs');
const app = new App();
const stack = new Stack(app, 'Logs');
new ecs.FargateTaskDefinition(stack, 'Task').addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3'), logging: ecs.LogDrivers.firelens({}) });
app.synth();
`;

interface Report {
  readonly json: any[];
  readonly sarif: string[];
  readonly table: string;
}

function report(args: readonly string[], cwd: string): Report {
  return {
    json: stdoutJson(runCli(['scan', ...args, '--format', 'json'], { cwd })).findings,
    sarif: stdoutJson(runCli(['scan', ...args, '--format', 'sarif'], { cwd })).runs[0].results.map((r: any) => r.message.text),
    table: runCli(['scan', ...args], { cwd }).stdout,
  };
}

/** The template of stack `stack` of an assembly, copied alone into a fresh directory (a plain template). */
function templateAlone(assembly: string, file: string): string {
  const dir = temporaryDirectory();
  fs.copyFileSync(path.join(assembly, file), path.join(dir, 'template.json'));
  return dir;
}

describe('fix hints fit the input', () => {
  let demo: string;
  let ecrApp: string;
  let firelensApp: string;
  beforeAll(() => {
    demo = synthesize({ file: DEMO_APP }, {}, temporaryDirectory());
    ecrApp = synthesize({ code: ECR_APP }, {}, temporaryDirectory());
    firelensApp = synthesize({ code: FIRELENS_APP }, {}, temporaryDirectory());
  });

  test('an ECR image with the default tag: a CDK app is told that fromEcrRepository defaults the tag; a template is not', () => {
    const cdk = report([ecrApp], ecrApp);
    expect(cdk.json).toHaveLength(1);
    expect(cdk.json[0].hint).toBe('with ecs.ContainerImage.fromEcrRepository(repo, tag), the tag is the second argument and defaults to "latest"');
    expect(cdk.json[0].fix).toMatch(/^replace ":latest" with a version tag/); // aws-cdk-lib writes the default tag out
    expect(cdk.json[0].message).toContain('(with ecs.ContainerImage.fromEcrRepository(repo, tag), the tag is the second argument');
    expect(cdk.sarif[0]).toContain('fromEcrRepository');
    expect(cdk.table).toContain('fromEcrRepository');

    const plain = report(['template.json'], templateAlone(ecrApp, 'Ecr.template.json'));
    expect(plain.json).toHaveLength(1);
    expect(plain.json[0].fix).toBe(cdk.json[0].fix);
    expect(plain.json[0].hint).toBeUndefined();
    for (const text of [plain.json[0].message, plain.sarif[0], plain.table]) expect(text).not.toMatch(/ecs\.|ContainerImage|aws-cdk-lib/);
  });

  test('an ECR image without a tag in a task definition file: no aws-cdk-lib API', () => {
    const dir = temporaryDirectory();
    fs.writeFileSync(path.join(dir, 'task.json'), JSON.stringify({
      family: 'web',
      containerDefinitions: [{ name: 'app', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app' }],
    }, undefined, 2));
    const r = report(['task.json'], dir);
    expect(r.json).toHaveLength(1);
    expect(r.json[0]).toMatchObject({ ruleId: 'ImagePinning-ECS1', reason: 'NO_TAG', fix: expect.stringContaining('123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:<version>') });
    expect(r.json[0].hint).toBeUndefined();
    for (const text of [r.json[0].message, r.sarif[0], r.table]) expect(text).not.toMatch(/ecs\.|ContainerImage|CDK/);
  });

  test('FireLens from the SSM parameter: addFirelensLogRouter for the CDK app, the container image for the template', () => {
    const cdk = report([firelensApp], firelensApp).json.find((f) => f.container === 'log-router');
    expect(cdk.fix).toContain("taskDefinition.addFirelensLogRouter('log-router'");
    const plain = report(['template.json'], templateAlone(firelensApp, 'Logs.template.json')).json.find((f) => f.container === 'log-router');
    expect(plain.fix).toBe('write the FireLens log router\'s image with a version instead of the SSM parameter, e.g. ' +
      '"public.ecr.aws/aws-observability/aws-for-fluent-bit:<version>" (the container with FirelensConfiguration Type fluentbit)');
    expect(plain.message).not.toContain('addFirelensLogRouter');
  });

  test('a tag only known at deploy time: CDK context and acknowledgements for the app, a literal and the policy file for the template', () => {
    const cdk = report([demo], demo);
    const api = cdk.json.find((f) => f.container === 'api');
    expect(api.fix).toContain('pass the tag or digest as a literal at synth time (for example from CDK context');
    expect(api.fix).toContain('acknowledge this finding');
    const plain = report(['template.json'], templateAlone(demo, 'assembly-Prod/ProdApi2466CF1F.template.json')).json.find((f) => f.container === 'api');
    expect(plain.fix).toBe('write the tag or digest into the template as a literal; if every deployment passes an immutable tag or digest, ' +
      'set unresolvedImages to IGNORE in the policy file (or scan with --unresolved ignore)');
    expect(plain.message).not.toMatch(/CDK|acknowledge/);
  });
});
