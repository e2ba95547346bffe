import { App, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';

export const TASK_DEFINITIONS = 1000;
export const CONTAINERS_PER_TASK = 3;
/** Each task definition is 4 resources (task definition, task role, execution role and its policy); stay under 500 per stack. */
const TASKS_PER_STACK = 100;
const DIGEST = `sha256:${'5e'.repeat(32)}`;

/**
 * The benchmark app: 1,000 Fargate task definitions, each with a Docker Hub image with a version
 * tag, an ECR image with a version tag and an image pinned by digest. All compliant (the cost of
 * checking, not of reporting), and all 3,000 images distinct, so no cache flatters the figure.
 */
export function buildBenchmarkApp(outdir: string): App {
  const app = new App({ outdir });
  let stack: Stack | undefined;
  let repo: ecr.IRepository | undefined;
  for (let i = 0; i < TASK_DEFINITIONS; i++) {
    if (i % TASKS_PER_STACK === 0) {
      stack = new Stack(app, `Bench${i / TASKS_PER_STACK}`);
      repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'service');
    }
    const task = new ecs.FargateTaskDefinition(stack!, `Task${i}`);
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry(`example/web-${i}:1.27.3`) });
    task.addContainer('api', { image: ecs.ContainerImage.fromEcrRepository(repo!, `v1.${i}.0`) });
    task.addContainer('cache', { image: ecs.ContainerImage.fromRegistry(`example/cache-${i}:7.2.4@${DIGEST}`) });
  }
  return app;
}
