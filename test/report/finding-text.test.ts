import { EMPTY_CONTEXT } from '../../src/cfn/template-context';
import { checkResource } from '../../src/check/check-resource';
import { compileOptions } from '../../src/check/check-settings';
import { ImageFinding } from '../../src/check/finding';
import { Outcome } from '../../src/check/outcome';
import { findingMessage, fixFor, fixSentence, fixText, hintFor, statement, waivedMessage } from '../../src/report/finding-text';

const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const finding = (image: string, outcome?: Outcome): ImageFinding => {
  const [f] = checkResource('AWS::ECS::TaskDefinition', { ContainerDefinitions: [{ Name: 'web', Image: image }] }, EMPTY_CONTEXT, compileOptions());
  return outcome ? { ...f, outcome } : f;
};
const EXEMPTION = { reason: 'vendor image', expires: '2026-01-31', scopePath: 'S/Task' };

describe('the wording of a finding, built from its parts', () => {
  test('statement, fix and the one-line message', () => {
    const f = finding('nginx');
    expect(statement(f)).toBe('Container "web": image "nginx" has no tag, so it runs whatever "latest" points to when a task starts.');
    expect(fixSentence(f)).toBe('Fix: pin a version tag or a digest, e.g. "nginx:<version>" or "nginx@sha256:<digest>".');
    expect(findingMessage(f)).toBe(`[ImagePinning-ECS1] ${statement(f)} ${fixSentence(f)}`);
  });

  test('the hint follows the fix, in parentheses', () => {
    expect(fixSentence(finding(`${ECR}/app`))).toMatch(/app@sha256:<digest>" \(with ecs\.ContainerImage\.fromEcrRepository\(repo, tag\), .*"latest"\)\.$/);
  });

  test('each audience gets its words: the CDK hint only for CDK apps, the template fix for templates and task definition files', () => {
    const ecr = finding(`${ECR}/app`);
    expect(hintFor(ecr)).toMatch(/^with ecs\.ContainerImage\.fromEcrRepository/);
    expect(hintFor(ecr, 'cloudformation')).toBeUndefined();
    expect(hintFor(ecr, 'taskDefinition')).toBeUndefined();
    expect(fixText(ecr, 'taskDefinition')).toBe(fixFor(ecr, 'taskDefinition'));
    expect(fixFor(ecr, 'cloudformation')).toBe(fixFor(ecr)); // the same fix: only the hint is CDK's
    const unresolved = checkResource('AWS::ECS::TaskDefinition', { ContainerDefinitions: [{ Name: 'web', Image: { 'Fn::Sub': 'nginx:${Tag}' } }] }, EMPTY_CONTEXT, compileOptions())[0];
    expect(fixFor(unresolved)).toContain('CDK context');
    expect(fixFor(unresolved, 'cloudformation')).toMatch(/^write the tag or digest into the template as a literal/);
    expect(findingMessage(unresolved, { audience: 'cloudformation' })).not.toContain('CDK');
  });

  test('a compliant image has a statement and no fix', () => {
    const f = finding('nginx:1.27.3');
    expect(fixSentence(f)).toBeUndefined();
    expect(findingMessage(f)).toBe('[ImagePinning-ECS1] Container "web": image "nginx:1.27.3" is pinned to the tag "1.27.3".');
  });

  test('an expired exemption is named after the message; waived findings are framed by what waived them', () => {
    expect(findingMessage(finding('nginx', { kind: 'reported', level: 'error', expiredExemption: EXEMPTION }))).toMatch(
      / \(The exemption on S\/Task expired on 2026-01-31; reason given: vendor image\)$/,
    );
    expect(waivedMessage(finding('nginx', { kind: 'exempted', level: 'error', exemption: EXEMPTION }))).toMatch(
      /^Exempted until 2026-01-31 by ImagePinning\.exempt on S\/Task \(reason: vendor image\): \[ImagePinning-ECS1\] Container "web"/,
    );
    expect(waivedMessage(finding('nginx', { kind: 'acknowledged', level: 'error', reason: 'tested' }))).toMatch(/^Acknowledged \(reason: tested\): \[ImagePinning-ECS1\]/);
    expect(waivedMessage(finding('nginx'))).toBeUndefined();
  });
});
