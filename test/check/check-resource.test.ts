import { EMPTY_CONTEXT } from '../../src/cfn/template-context';
import { checkResource } from '../../src/check/check-resource';
import { compileOptions, ImagePinningOptions } from '../../src/check/check-settings';
import { PinningReason } from '../../src/policy/image-verdict';
import { UnresolvedImageAction } from '../../src/policy/pinning-level';

const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

function check(resourceType: string, properties: unknown, options: ImagePinningOptions = {}) {
  return checkResource(resourceType, properties, EMPTY_CONTEXT, compileOptions(options));
}

describe('checkResource: a finding with structured parts for every image', () => {
  test('a named container: rule, finding id, label, subject, image, reason, message, fix', () => {
    const [finding, ...rest] = check('AWS::ECS::TaskDefinition', { ContainerDefinitions: [{ Name: 'web', Image: 'nginx:latest' }] });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      ruleId: 'ImagePinning-ECS1',
      findingId: 'ImagePinning-ECS1[web]',
      label: 'web',
      subject: 'Container "web"',
      image: 'nginx:latest',
      reason: PinningReason.MOVING_TAG,
      message: 'image "nginx:latest" uses the moving tag "latest": the registry can point it at a different image at any time',
      fix: 'replace ":latest" with a version tag, e.g. "nginx:<version>", or add a digest: "nginx@sha256:<digest>"',
      hint: undefined,
      outcome: { kind: 'reported', level: 'error' },
    });
    expect(finding.found.propertyPath).toBe('ContainerDefinitions.0.Image');
  });

  test('an unnamed image is labelled by its property path, and compliant images are findings too', () => {
    const findings = check('AWS::Lambda::Function', { Code: { ImageUri: `${ECR}/fn:1.2.3` } });
    expect(findings.map((f) => [f.findingId, f.subject, f.outcome.kind])).toEqual([['ImagePinning-LAMBDA1[Code.ImageUri]', 'Function (Code.ImageUri)', 'compliant']]);
    expect(findings[0].fix).toBeUndefined();
  });

  test('an ECR image without a tag gets the hint on how aws-cdk-lib takes the tag, for CDK apps only; other images do not', () => {
    const [ecr, hub] = check('AWS::ECS::TaskDefinition', { ContainerDefinitions: [{ Name: 'a', Image: `${ECR}/app` }, { Name: 'b', Image: 'nginx' }] });
    expect(ecr.hint?.cdk).toMatch(/fromEcrRepository\(repo, tag\), the tag is the second argument/);
    expect(ecr.hint).toEqual({ cdk: ecr.hint?.cdk }); // a template or a task definition file writes its tag out
    expect(hub.hint).toBeUndefined();
  });

  test('an unresolved image is rule 2, at the level unresolvedImages gives', () => {
    const properties = { ContainerDefinitions: [{ Name: 'app', Image: { 'Fn::Join': ['', ['nginx:', { Ref: 'Tag' }]] } }] };
    expect(check('AWS::ECS::TaskDefinition', properties)[0]).toMatchObject({ ruleId: 'ImagePinning-ECS2', findingId: 'ImagePinning-ECS2[app]', outcome: { kind: 'reported', level: 'warning' } });
    expect(check('AWS::ECS::TaskDefinition', properties, { unresolvedImages: UnresolvedImageAction.IGNORE })[0].outcome).toEqual({ kind: 'ignored' });
  });

  test('resource types outside the sources table, or excluded, give no findings', () => {
    expect(check('AWS::ECS::Service', { ContainerDefinitions: [{ Name: 'web', Image: 'nginx' }] })).toEqual([]);
    expect(check('AWS::Lambda::Function', { Code: { ImageUri: 'nginx' } }, { excludeResourceTypes: ['AWS::Lambda::Function'] })).toEqual([]);
  });
});
