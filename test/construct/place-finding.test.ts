import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { compileOptions } from '../../src/check/check-settings';
import { checkConstruct } from '../../src/construct/check-construct';
import { addExemption } from '../../src/construct/exemption';
import { placeFinding } from '../../src/construct/place-finding';

function setup() {
  const app = new App();
  const stack = new Stack(app, 'S');
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  const web = task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:latest') });
  const settings = compileOptions();
  const place = () => {
    const resource = task.node.defaultChild as CfnResource;
    return checkConstruct(resource, settings).map((f) => placeFinding(resource, f, settings));
  };
  return { task, web, place };
}

describe('placeFinding: where a finding is reported, and its outcome there', () => {
  test('on the ContainerDefinition, reported as an error', () => {
    const { place } = setup();
    const [placed] = place();
    expect(placed.target.node.path).toBe('S/Task/web');
    expect(placed.finding.outcome).toEqual({ kind: 'reported', level: 'error' });
  });

  test('an acknowledgement on an ancestor of the container applies', () => {
    const { task, place } = setup();
    Validations.of(task).acknowledge({ id: 'ImagePinning-ECS1[web]', reason: 'vendor image' });
    expect(place()[0].finding.outcome).toEqual({ kind: 'acknowledged', level: 'error', reason: 'vendor image' });
  });

  test('an exemption on the container applies', () => {
    const { web, place } = setup();
    addExemption(web, { reason: 'replaced next sprint' });
    expect(place()[0].finding.outcome).toMatchObject({ kind: 'exempted', exemption: { reason: 'replaced next sprint', scopePath: 'S/Task/web' } });
  });
});
