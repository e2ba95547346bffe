import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, CfnResource, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ImagePinning, ImagePinningChecks, ImagePinningValidator, PinnedImage, PinningLevel, UnlockedImageAction } from '../../src';
import { annotatedFindingsUnder } from '../support/annotations';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-pinning-lock-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const INDEX = `sha256:${'1a'.repeat(32)}`;
const AMD64 = `sha256:${'2b'.repeat(32)}`;
const ARM64 = `sha256:${'3c'.repeat(32)}`;
const REDIS = `sha256:${'4d'.repeat(32)}`;

function writeLock(images: Record<string, unknown>, name = 'lock.json'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ lockfileVersion: 1, images }));
  return file;
}

const LOCK = writeLock({
  'docker.io/library/nginx:1.27.3': { digest: INDEX, mediaType: 'application/vnd.oci.image.index.v1+json', platforms: { 'linux/amd64': AMD64, 'linux/arm64': ARM64 } },
  'docker.io/library/redis:latest': { digest: REDIS },
  'public.ecr.aws/lambda/nodejs:20.2026.11.01': { digest: INDEX, platforms: { 'linux/amd64': AMD64, 'linux/arm64': ARM64 } },
});

function app(build: (stack: Stack) => void, context: Record<string, unknown> = {}) {
  const a = new App({ context });
  const stack = new Stack(a, 'S');
  build(stack);
  return { app: a, stack };
}

function containerImages(stack: Stack): Record<string, unknown> {
  const template = Template.fromStack(stack).toJSON();
  const images: Record<string, unknown> = {};
  for (const resource of Object.values(template.Resources) as Array<{ Type: string; Properties: any }>) {
    if (resource.Type === 'AWS::ECS::TaskDefinition') {
      for (const c of resource.Properties.ContainerDefinitions) images[c.Name] = c.Image;
    }
  }
  return images;
}

describe('the lock file at synthesis', () => {
  test('an image in the lock is synthesized pinned to its digest, the image as written kept in the metadata, and passes at DIGEST', () => {
    const { app: a, stack } = app((s) => {
      const task = new ecs.FargateTaskDefinition(s, 'Task');
      task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
      task.addContainer('cache', { image: ecs.ContainerImage.fromRegistry('redis:latest') });
    });
    ImagePinning.enforce(a, { lockFile: LOCK, level: PinningLevel.DIGEST });
    expect(containerImages(stack)).toEqual({ web: `nginx@${INDEX}`, cache: `redis@${REDIS}` });
    const task = Object.values(Template.fromStack(stack).findResources('AWS::ECS::TaskDefinition'))[0];
    expect(task.Metadata['cdk-image-pinning:locked']).toEqual({ 'ContainerDefinitions.0.Image': 'nginx:1.27.3', 'ContainerDefinitions.1.Image': 'redis:latest' });
    expect(annotatedFindingsUnder(a)).toEqual([]);
  });

  test('L1 resources too, and Lambda gets the child digest of its architecture (Lambda rejects an index)', () => {
    const { app: a, stack } = app((s) => {
      new ecs.CfnTaskDefinition(s, 'L1', { containerDefinitions: [{ name: 'l1', image: 'nginx:1.27.3' }] });
      new CfnResource(s, 'Fn', {
        type: 'AWS::Lambda::Function',
        properties: { PackageType: 'Image', Architectures: ['arm64'], Code: { ImageUri: 'public.ecr.aws/lambda/nodejs:20.2026.11.01' }, Role: 'arn:aws:iam::1:role/r' },
      });
    });
    ImagePinning.enforce(a, { lockFile: LOCK });
    const template = Template.fromStack(stack).toJSON();
    expect(template.Resources.L1.Properties.ContainerDefinitions[0].Image).toBe(`nginx@${INDEX}`);
    expect(template.Resources.Fn.Properties.Code.ImageUri).toBe(`public.ecr.aws/lambda/nodejs@${ARM64}`);
  });

  test('an image not in the lock is ImagePinning-<GROUP>3: a warning by default, an error or nothing as unlockedImages says', () => {
    const levels = { [UnlockedImageAction.WARN]: ['warning'], [UnlockedImageAction.ERROR]: ['error'], [UnlockedImageAction.IGNORE]: [] };
    for (const [unlockedImages, expected] of Object.entries(levels)) {
      const { app: a } = app((s) => new ecs.FargateTaskDefinition(s, 'Task').addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.4') }));
      ImagePinning.enforce(a, { lockFile: LOCK, unlockedImages: unlockedImages as UnlockedImageAction });
      a.synth();
      const found = annotatedFindingsUnder(a);
      expect(found.map((f) => f.level)).toEqual(expected);
      found.forEach((f) => expect(f).toMatchObject({ findingId: 'ImagePinning-ECS3[web]', text: expect.stringContaining('is not in the lock file') }));
    }
  });

  test('Stages are locked too; the CDK context key names the file', () => {
    const a = new App({ context: { 'cdk-image-pinning:lockFile': LOCK } });
    const stack = new Stack(new Stage(a, 'Prod'), 'Svc');
    new ecs.FargateTaskDefinition(stack, 'Task').addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
    ImagePinning.enforce(a);
    a.synth();
    expect(containerImages(stack)).toEqual({ web: `nginx@${INDEX}` });
  });

  test('a nested stack is locked too, and its template asset hashes what is written: its hash is taken before validations run, so its resources are checked when visited', () => {
    const { app: a } = app(() => undefined);
    const nested = new NestedStack(a.node.findChild('S'), 'Inner');
    const task = new ecs.FargateTaskDefinition(nested, 'Task');
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
    task.addContainer('api', { image: ecs.ContainerImage.fromRegistry('api') });
    const aspect = ImagePinning.enforce(a, { lockFile: LOCK });
    expect(Aspects.of(a).all).toEqual([aspect]);
    const assembly = a.synth();
    expect(containerImages(nested)).toEqual({ web: `nginx@${INDEX}`, api: 'api' });
    // The template's asset hash is taken from its content as prepared: it must be the content
    // written, or a deployment would upload (or skip, as already there) the template before the lock.
    const written = fs.readFileSync(path.join(assembly.directory, nested.templateFile), 'utf8');
    const assets = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'S.assets.json'), 'utf8')).files as Record<string, { source: { path: string } }>;
    const [hash] = Object.entries(assets).find(([, asset]) => asset.source.path === nested.templateFile)!;
    expect(hash).toBe(crypto.createHash('sha256').update(JSON.stringify(JSON.parse(written))).digest('hex'));
    expect(annotatedFindingsUnder(a).map((f) => [f.path, f.level, f.findingId])).toEqual([['/S/Inner/Task/api', 'error', 'ImagePinning-ECS1[api]']]);
  });

  test('a Kubernetes manifest is rewritten in its JSON', () => {
    const { app: a, stack } = app((s) => {
      const manifest = [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27.3' }] } }];
      new CfnResource(s, 'M', { type: 'Custom::AWSCDK-EKS-KubernetesResource', properties: { ServiceToken: 'arn:aws:lambda:x', Manifest: JSON.stringify(manifest) } });
    });
    ImagePinning.enforce(a, { lockFile: LOCK });
    const manifest = JSON.parse(Template.fromStack(stack).toJSON().Resources.M.Properties.Manifest);
    expect(manifest[0].spec.containers[0].image).toBe(`nginx@${INDEX}`);
  });

  test('the same lock gives byte-identical templates, and synthesis opens no socket', () => {
    // Every TCP or TLS connection, fetch's included, goes through net.Socket's connect.
    const connect = jest.spyOn(net.Socket.prototype, 'connect');
    const synth = (outdir: string) => {
      const a = new App({ outdir });
      const task = new ecs.FargateTaskDefinition(new Stack(a, 'S'), 'Task');
      task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
      ImagePinning.enforce(a, { lockFile: LOCK });
      return fs.readFileSync(path.join(a.synth().directory, 'S.template.json'), 'utf8');
    };
    const first = synth(path.join(dir, 'out1'));
    expect(synth(path.join(dir, 'out2'))).toBe(first);
    expect(first).toContain(`nginx@${INDEX}`);
    expect(connect).not.toHaveBeenCalled();
    connect.mockRestore();
  });

  test('the cdk-nag pack and the validation plugin read the locked images back, with the image they were written as', () => {
    const { app: a } = app((s) => new ecs.FargateTaskDefinition(s, 'Task').addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') }));
    ImagePinning.enforce(a, { lockFile: LOCK, level: PinningLevel.DIGEST });
    const assembly = a.synth();
    expect(new ImagePinningChecks(a, { level: PinningLevel.DIGEST, lockFile: LOCK }).validateScope(a).violations).toEqual([]);
    const templatePaths = assembly.stacks.map((s) => s.templateFullPath);
    const report = new ImagePinningValidator({ level: PinningLevel.DIGEST, lockFile: LOCK }).validate({ templatePaths, appConstruct: a });
    expect(report.violations).toEqual([]);
    const [finding] = ImagePinning.check(a.node.findChild('S').node.findChild('Task').node.defaultChild as CfnResource, { lockFile: LOCK });
    expect(finding.message).toContain(`image "nginx@${INDEX}" is pinned to a digest (locked from "nginx:1.27.3" in ${LOCK})`);
  });

  test('without enforce, a lock does not rewrite: the other doors judge the image as written, and report what the lock lacks', () => {
    const { app: a } = app((s) => {
      const task = new ecs.FargateTaskDefinition(s, 'Task');
      task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
      task.addContainer('new', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.4') });
    });
    const assembly = a.synth();
    const templatePaths = assembly.stacks.map((s) => s.templateFullPath);
    const report = new ImagePinningValidator({ lockFile: LOCK }).validate({ templatePaths, appConstruct: a });
    expect(report.violations.map((v) => `${v.ruleName} ${v.severity}`)).toEqual(['ImagePinning-ECS3[new] warning']);
  });

  test('a malformed lock file fails at once, naming the file, the key and the field', () => {
    const bad = writeLock({ 'docker.io/library/nginx:1.27.3': { digest: 'sha256:abc' } }, 'bad.json');
    const { app: a } = app(() => undefined);
    expect(() => ImagePinning.enforce(a, { lockFile: bad })).toThrow(/^lock file .*bad\.json: images\["docker\.io\/library\/nginx:1\.27\.3"\]\.digest: must be "sha256:"/);
    expect(() => ImagePinning.enforce(a, { lockFile: path.join(dir, 'missing.json') })).toThrow(/lock file .*missing\.json: cannot be read \(ENOENT\); run `npx cdk-image-pinning lock`/);
  });

  test('PinnedImage writes the pin out in code, from the lock the context names', () => {
    const { app: a, stack } = app((s) => {
      new ecs.FargateTaskDefinition(s, 'Task').addContainer('web', { image: PinnedImage.fromRegistry(s, 'nginx:1.27.3') });
      new lambda.DockerImageFunction(s, 'Fn', {
        code: lambda.DockerImageCode.fromImageAsset(path.join(__dirname, '..', 'fixtures', 'docker')),
        architecture: lambda.Architecture.ARM_64,
      });
      expect(PinnedImage.uri(s, 'public.ecr.aws/lambda/nodejs:20.2026.11.01', 'linux/arm64')).toBe(`public.ecr.aws/lambda/nodejs@${ARM64}`);
      expect(() => PinnedImage.uri(s, 'nginx:9.9.9')).toThrow(/PinnedImage\(nginx:9\.9\.9\): not in the lock file .*; run `npx cdk-image-pinning lock`/);
    }, { 'cdk-image-pinning:lockFile': LOCK });
    expect(containerImages(stack)).toEqual({ web: `nginx@${INDEX}` });
    expect(() => PinnedImage.uri(new Stack(new App(), 'X'), 'nginx:1.27.3')).toThrow(/no lock file/);
    void a;
  });
});
