import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ImagePinning, ImagePinningPolicy, PinningLevel } from '../../src';
import { everyFrontDoor, fromEachFrontDoor, viaAspect } from '../support/front-doors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-pinning-policy-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('ImagePinning.readPolicyFile', () => {
  test('reads every option', () => {
    const options = {
      level: 'VERSION',
      movingTags: ['latest'],
      additionalMovingTags: ['*-rc'],
      allowedImages: ['public.ecr.aws/aws-observability/*'],
      unresolvedImages: 'ERROR',
      allowAssetImages: false,
      trustImmutableTags: false,
      excludeResourceTypes: ['AWS::CodeBuild::Project'],
    };
    const file = write('full.json', JSON.stringify({ $schema: 'https://example.com/schema.json', ...options }));
    // Every option comes back, and `$schema` (for editors) does not.
    expect(ImagePinning.readPolicyFile(file)).toEqual(options);
    const policy = new ImagePinningPolicy(ImagePinning.readPolicyFile(file));
    expect(policy.evaluate('app:1.0-rc').reason).toBe('MOVING_TAG');
  });

  test.each([
    ['missing.json', undefined, /policy file .*missing\.json: cannot be read \(ENOENT\)/],
    ['bad.json', '{ level: ', /policy file .*bad\.json: not valid JSON/],
    ['array.json', '[]', /policy file .*array\.json: must hold a JSON object/],
    ['unknown.json', '{"levels": "TAG"}', /policy file .*unknown\.json: unknown key "levels" \(allowed: \$schema, level, /],
    ['level.json', '{"level": "STRICT"}', /policy file .*level\.json: level must be one of TAG, VERSION, DIGEST, got "STRICT"/],
    ['pattern.json', '{"allowedImages": ["nginx:1.2"]}', /policy file .*pattern\.json: allowedImages\[0\] \("nginx:1.2"\)/],
  ])('%s: a clear error naming the file and the key', (name, content, error) => {
    const file = content === undefined ? path.join(dir, name) : write(name, content);
    expect(() => ImagePinning.readPolicyFile(file)).toThrow(error);
  });
});

describe('the CDK context key cdk-image-pinning:policyFile', () => {
  const file = write('context.json', JSON.stringify({ level: 'DIGEST' }));
  const build = (app: App) => {
    app.node.setContext('cdk-image-pinning:policyFile', file);
    new ecs.FargateTaskDefinition(new Stack(app, 'S'), 'Task').addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
  };

  test('is read by the Aspect, the cdk-nag pack and the validation plugin', () => {
    expect(everyFrontDoor(build)).toEqual(fromEachFrontDoor(['ImagePinning-ECS1[web] error']));
  });

  test('options given in code override the file', () => {
    expect(everyFrontDoor(build, { level: PinningLevel.TAG })).toEqual(fromEachFrontDoor([]));
  });

  test('a bad value fails with a message naming the key', () => {
    expect(() => viaAspect((a) => a.node.setContext('cdk-image-pinning:policyFile', 42))).toThrow(
      /cdk-image-pinning:policyFile must be the path of a policy file, got 42/,
    );
  });
});
