import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { expectCleanOutput, FIXTURES, removeTemporaryDirectories, runCli, stdoutJson, temporaryDirectory } from './cli-process';
import { ImagePinning } from '../../src';
import { CLI_OPTIONS } from '../../src/cli/policy-options';
import { ImagePinningPolicy } from '../../src/policy/image-pinning-policy';

afterAll(removeTemporaryDirectories);

const REGISTER_WEB = 'task-definitions/register-web.json';

/** container -> status, from the JSON inventory. */
function statuses(args: string[], cwd?: string): Record<string, string> {
  const run = runCli([...args, '--format', 'json', '--inventory'], { cwd });
  expectCleanOutput(run);
  return Object.fromEntries(stdoutJson(run).inventory.map((i: any) => [i.container, i.status]));
}

describe('--policy: the policy file the library reads too', () => {
  test('its options apply: level DIGEST, and an allowed image', () => {
    expect(statuses(['scan', REGISTER_WEB, '--policy', 'policy/digest.json'])).toEqual({ 'app': 'unpinned', 'proxy': 'allowed', 'log-router': 'unpinned' });
  });

  test('the library, reading the same file, gives the same verdicts', () => {
    const props = ImagePinning.readPolicyFile(path.join(FIXTURES, 'policy', 'digest.json'));
    const policy = new ImagePinningPolicy(props);
    const file = JSON.parse(fs.readFileSync(path.join(FIXTURES, REGISTER_WEB), 'utf8'));
    const fromLibrary = Object.fromEntries(file.containerDefinitions.map((c: any) => [c.name, policy.evaluate(c.image).compliant]));
    const fromCli = statuses(['scan', REGISTER_WEB, '--policy', 'policy/digest.json']);
    expect(Object.fromEntries(Object.entries(fromCli).map(([name, status]) => [name, status !== 'unpinned']))).toEqual(fromLibrary);
  });

  test('options on the command line override the file; a list given on the command line replaces the file\'s', () => {
    expect(statuses(['scan', REGISTER_WEB, '--policy', 'policy/digest.json', '--level', 'tag'])).toEqual({ 'app': 'pinned', 'proxy': 'allowed', 'log-router': 'unpinned' });
    expect(statuses(['scan', REGISTER_WEB, '--policy', 'policy/digest.json', '--level', 'tag', '--allow', 'public.ecr.aws/aws-observability/*'])).toEqual({
      'app': 'pinned',
      'proxy': 'unpinned',
      'log-router': 'allowed',
    });
  });

  test.each([
    ['policy/unknown-key.json', 'cdk-image-pinning: policy file policy/unknown-key.json: unknown key "movingTag" (allowed: $schema, level, '],
    ['policy/bad-level.json', 'cdk-image-pinning: policy file policy/bad-level.json: level must be one of TAG, VERSION, DIGEST, got "STRICT"\n'],
    ['policy/missing.json', 'cdk-image-pinning: policy file policy/missing.json: cannot be read (ENOENT)\n'],
    ['templates/short-forms.yaml', 'cdk-image-pinning: policy file templates/short-forms.yaml: not valid JSON ('],
  ])('a bad policy file (%s) is a usage error naming the file and what is wrong (exit 2)', (file, message) => {
    const run = runCli(['scan', REGISTER_WEB, '--policy', file]);
    expectCleanOutput(run);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.startsWith(message)).toBe(true);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('every library option is reachable from the command line', () => {
  test('each key a policy file may hold has a command-line option, listed in the help', () => {
    // The library's own list of keys, as its error for an unknown key gives it.
    const dir = temporaryDirectory();
    fs.writeFileSync(path.join(dir, 'p.json'), '{ "nope": 1 }');
    let allowed: string[] = [];
    try {
      ImagePinning.readPolicyFile(path.join(dir, 'p.json'));
    } catch (e) {
      allowed = /\(allowed: ([^)]+)\)/.exec((e as Error).message)![1].split(', ').filter((k) => k !== '$schema');
    }
    expect(Object.keys(CLI_OPTIONS).sort()).toEqual([...allowed].sort());
    const help = runCli(['scan', '--help']).stdout;
    for (const { option } of Object.values(CLI_OPTIONS)) {
      const names = option.startsWith('--[no-]') ? [`--${option.slice(7)}`, `--no-${option.slice(7)}`] : [option];
      for (const name of names) expect(help).toContain(`${name} `);
    }
  });

  test('--replace-moving-tags replaces the built-in list ("" for none); --moving-tag adds to it', () => {
    const dir = temporaryDirectory();
    const channels = { containerDefinitions: [{ name: 'edge', image: 'ghcr.io/x/a:edge-2' }, { name: 'stable', image: 'ghcr.io/x/b:stable-7' }, { name: 'v1', image: 'ghcr.io/x/c:v1.4.2' }] };
    fs.writeFileSync(path.join(dir, 'channels.json'), JSON.stringify(channels));
    expect(statuses(['scan', 'channels.json'], dir)).toEqual({ edge: 'unpinned', stable: 'unpinned', v1: 'pinned' });
    expect(statuses(['scan', 'channels.json', '--replace-moving-tags', ''], dir)).toEqual({ edge: 'pinned', stable: 'pinned', v1: 'pinned' });
    expect(statuses(['scan', 'channels.json', '--replace-moving-tags', 'stable'], dir)).toEqual({ edge: 'pinned', stable: 'unpinned', v1: 'pinned' });
    expect(statuses(['scan', 'channels.json', '--moving-tag', 'v1.*'], dir)).toEqual({ edge: 'unpinned', stable: 'unpinned', v1: 'unpinned' });
  });

  test('--level version and --allow', () => {
    const dir = temporaryDirectory();
    const images = [{ name: 'node', image: 'ghcr.io/example/node:20' }, { name: 'exact', image: 'ghcr.io/example/node:20.11.1' }];
    fs.writeFileSync(path.join(dir, 't.json'), JSON.stringify({ containerDefinitions: images }));
    expect(statuses(['scan', 't.json'], dir)).toEqual({ node: 'pinned', exact: 'pinned' });
    expect(statuses(['scan', 't.json', '--level', 'Version'], dir)).toEqual({ node: 'unpinned', exact: 'pinned' });
    expect(statuses(['scan', 't.json', '--level', 'version', '--allow', 'ghcr.io/example/node'], dir)).toEqual({ node: 'allowed', exact: 'pinned' });
  });

  test('--no-allow-asset-images (and --allow-asset-images over a file that says false), on a synthesized assembly', () => {
    const dir = temporaryDirectory();
    // A real asset image: the assembly's asset manifest says which repository the stack pushes to.
    const app = new App({ outdir: path.join(dir, 'cdk.out') });
    const stack = new Stack(app, 'S');
    new ecs.FargateTaskDefinition(stack, 'T').addContainer('app', { image: ecs.ContainerImage.fromAsset(path.join(__dirname, '..', 'fixtures', 'docker')) });
    app.synth();
    fs.writeFileSync(path.join(dir, 'no-assets.json'), JSON.stringify({ level: 'DIGEST', allowAssetImages: false }));
    expect(statuses(['scan', 'cdk.out', '--level', 'digest'], dir)).toEqual({ app: 'asset' });
    expect(statuses(['scan', 'cdk.out', '--level', 'digest', '--no-allow-asset-images'], dir)).toEqual({ app: 'unpinned' });
    expect(statuses(['scan', 'cdk.out', '--policy', 'no-assets.json'], dir)).toEqual({ app: 'unpinned' });
    expect(statuses(['scan', 'cdk.out', '--policy', 'no-assets.json', '--allow-asset-images'], dir)).toEqual({ app: 'asset' });
  });

  test('the same asset string in a template of its own is a tag: nothing says it is in its stack\'s asset repository', () => {
    const dir = temporaryDirectory();
    const asset = `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/cdk-hnb659fds-container-assets-\${AWS::AccountId}-\${AWS::Region}:${'a1'.repeat(32)}`;
    fs.writeFileSync(path.join(dir, 'asset.json'), JSON.stringify({ Resources: { T: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Image: { 'Fn::Sub': asset } }] } } } }));
    expect(statuses(['scan', 'asset.json', '--level', 'digest'], dir)).toEqual({ app: 'unpinned' });
    expect(statuses(['scan', 'asset.json'], dir)).toEqual({ app: 'pinned' });
  });


  test('--no-trust-immutable-tags', () => {
    const dir = temporaryDirectory();
    fs.writeFileSync(
      path.join(dir, 'app.yaml'),
      'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      ImageTagMutability: IMMUTABLE\n' +
        '  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n' +
        "          Image: !Sub '${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/${Repo}:release-42'\n",
    );
    expect(statuses(['scan', 'app.yaml', '--level', 'digest'], dir)).toEqual({ app: 'pinned' });
    expect(statuses(['scan', 'app.yaml', '--level', 'digest', '--no-trust-immutable-tags'], dir)).toEqual({ app: 'unpinned' });
  });

  test('--exclude-resource-type', () => {
    const run = runCli(['scan', 'templates/service.json', '--exclude-resource-type', 'AWS::ECS::TaskDefinition']);
    expect(run).toMatchObject({ status: 0, stdout: 'No container images found (1 file scanned).\n' });
  });
});
