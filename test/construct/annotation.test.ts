import { Annotations, App, CfnResource, Stack } from 'aws-cdk-lib';
import { addAnnotation } from '../../src/construct/annotation';

function resource(): { app: App; stack: Stack; res: CfnResource } {
  const app = new App({ context: { '@aws-cdk/core:stackTraces': true } });
  const stack = new Stack(app, 'S');
  const res = new CfnResource(stack, 'R', { type: 'AWS::ECS::TaskDefinition' });
  return { app, stack, res };
}

describe('addAnnotation', () => {
  test('writes the message with its finding id at each level, once however often it is called', () => {
    const { res } = resource();
    addAnnotation('error', res, 'ImagePinning-ECS1[web]', 'unpinned', res);
    addAnnotation('error', res, 'ImagePinning-ECS1[web]', 'unpinned', res);
    addAnnotation('warning', res, 'ImagePinning-ECS2[app]', 'unknown', res);
    addAnnotation('info', res, 'ImagePinning-ECS1[api]', 'exempted', res);
    const levels = ['aws:cdk:error', 'aws:cdk:warning', 'aws:cdk:info'];
    expect(res.node.metadata.filter((m) => levels.includes(m.type)).map((m) => [m.type, m.data])).toEqual([
      ['aws:cdk:error', 'unpinned (annotation::ImagePinning-ECS1[web])'],
      ['aws:cdk:warning', 'unknown (annotation::ImagePinning-ECS2[app])'],
      ['aws:cdk:info', 'exempted (annotation::ImagePinning-ECS1[api])'],
    ]);
  });

  test("reuses the resource's creation trace, which starts at the user's line, not this library's", () => {
    const { res } = resource();
    addAnnotation('error', res, 'ImagePinning-ECS1[web]', 'unpinned', res);
    const entry = res.node.metadata.find((m) => m.type === 'aws:cdk:error')!;
    expect(entry.trace?.[0]).toMatch(/annotation\.test\.ts:\d+:\d+\)$/);
    expect(entry.trace?.join('\n')).not.toContain('src/construct/annotation');
  });

  test('warnings and infos acknowledged with Annotations.acknowledgeWarning on an ancestor are not added; errors are', () => {
    const { stack, res } = resource();
    Annotations.of(stack).acknowledgeWarning('ImagePinning-ECS2[app]', 'the pipeline passes a digest');
    Annotations.of(stack).acknowledgeWarning('ImagePinning-ECS1[web]');
    addAnnotation('warning', res, 'ImagePinning-ECS2[app]', 'unknown', res);
    addAnnotation('warning', res, 'ImagePinning-ECS2[other]', 'other', res);
    addAnnotation('error', res, 'ImagePinning-ECS1[web]', 'unpinned', res);
    expect(res.node.metadata.filter((m) => m.type === 'aws:cdk:warning' || m.type === 'aws:cdk:error').map((m) => m.data)).toEqual([
      'other (annotation::ImagePinning-ECS2[other])',
      'unpinned (annotation::ImagePinning-ECS1[web])',
    ]);
  });
});
