import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ImagePinningPolicy, PinningLevel } from '../../src';
import { viaAspect, viaNagPack, viaValidator } from '../support/front-doors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-pinning-policy-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('ImagePinningPolicy.readPolicyFile', () => {
  test('reads every option', () => {
    const file = write(
      'full.json',
      JSON.stringify({
        $schema: 'https://example.com/schema.json',
        level: 'VERSION',
        movingTags: ['latest'],
        additionalMovingTags: ['*-rc'],
        allowedImages: ['public.ecr.aws/aws-observability/*'],
        unresolvedImages: 'ERROR',
        allowAssetImages: false,
        trustImmutableTags: false,
        excludeResourceTypes: ['AWS::CodeBuild::Project'],
      }),
    );
    expect(ImagePinningPolicy.readPolicyFile(file)).toEqual({
      level: 'VERSION',
      movingTags: ['latest'],
      additionalMovingTags: ['*-rc'],
      allowedImages: ['public.ecr.aws/aws-observability/*'],
      unresolvedImages: 'ERROR',
      allowAssetImages: false,
      trustImmutableTags: false,
      excludeResourceTypes: ['AWS::CodeBuild::Project'],
    });
    const policy = new ImagePinningPolicy(ImagePinningPolicy.readPolicyFile(file));
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
    expect(() => ImagePinningPolicy.readPolicyFile(file)).toThrow(error);
  });
});

describe('the CDK context key cdk-image-pinning:policyFile', () => {
  const file = write('context.json', JSON.stringify({ level: 'DIGEST' }));
  const build = (app: App) => {
    app.node.setContext('cdk-image-pinning:policyFile', file);
    new ecs.FargateTaskDefinition(new Stack(app, 'S'), 'Task').addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
  };

  test('is read by the Aspect, the cdk-nag pack and the validation plugin', () => {
    const expected = [{ findingId: 'ImagePinning-ECS1[web]', severity: 'error' }];
    expect(viaAspect(build)).toEqual(expected);
    expect(viaNagPack(build)).toEqual(expected);
    expect(viaValidator(build).reported).toEqual(expected);
  });

  test('options given in code override the file', () => {
    expect(viaAspect(build, { level: PinningLevel.TAG })).toEqual([]);
    expect(viaNagPack(build, { level: PinningLevel.TAG })).toEqual([]);
    expect(viaValidator(build, { level: PinningLevel.TAG }).reported).toEqual([]);
  });

  test('a bad value fails with a message naming the key', () => {
    expect(() => viaAspect((a) => a.node.setContext('cdk-image-pinning:policyFile', 42))).toThrow(
      /cdk-image-pinning:policyFile must be the path of a policy file, got 42/,
    );
  });
});
