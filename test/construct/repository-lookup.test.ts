import { App, AspectPriority, Aspects, Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Node } from 'constructs';
import { ImagePinning, ImagePinningAspect, ImagePinningChecks } from '../../src';
import { pinningMessagesOf } from '../support/annotations';

/**
 * The tree walks the check makes (`findAll`, counted during synthesis) do not grow with the number
 * of repositories an app names but does not define: the index of repositories is built once per
 * check of a Stage, and a name it does not hold is not looked for again in a fresh walk.
 */
function walksToSynth(repositories: number, front: 'enforce' | 'pack' | 'aspect'): { walks: number; messages: number } {
  const app = new App({ context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  const owned = new ecr.Repository(stack, 'Owned', { imageTagMutability: ecr.TagMutability.IMMUTABLE });
  for (let i = 0; i < repositories; i++) {
    const task = new ecs.FargateTaskDefinition(stack, `Task${i}`);
    task.addContainer('imported', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, `Repo${i}`, `team/repo-${i}`), `v1.${i}.0`) });
    task.addContainer('owned', { image: ecs.ContainerImage.fromEcrRepository(owned, `v2.${i}.0`) });
  }
  if (front === 'enforce') ImagePinning.enforce(app, { trustImmutableTags: true });
  else if (front === 'pack') Validations.of(app).addPlugins(new ImagePinningChecks(app, { trustImmutableTags: true }));
  else Aspects.of(app).add(new ImagePinningAspect({ trustImmutableTags: true }), { priority: AspectPriority.READONLY });
  const findAll = jest.spyOn(Node.prototype, 'findAll');
  try {
    app.synth();
    return { walks: findAll.mock.calls.length, messages: pinningMessagesOf(stack).length };
  } finally {
    findAll.mockRestore();
  }
}

describe('the repository index', () => {
  test.each(['enforce', 'pack'] as const)('%s walks the tree as often for 40 repositories it does not define as for 2', (front) => {
    const few = walksToSynth(2, front);
    const many = walksToSynth(40, front);
    expect(many.walks).toBe(few.walks);
    // One to find nested Stages, one for the repositories, one for the stack's parameters.
    expect(few.walks).toBeLessThanOrEqual(3);
    // Version tags of imported repositories and of the immutable one are all compliant.
    expect(many.messages).toBe(0);
  });

  test('the Aspect added by hand, which checks while the tree may still grow, rebuilds at most once per name it misses', () => {
    expect(walksToSynth(40, 'aspect').walks).toBeLessThanOrEqual(41 + 2);
  });
});
