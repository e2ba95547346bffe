import { App, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';

export const TASK_DEFINITIONS = 1000;
export const CONTAINERS_PER_TASK = 3;
/** Each task definition is 4 resources (task definition, task role, execution role and its policy); stay under 500 per stack. */
export const TASKS_PER_STACK = 100;
const DIGEST = `sha256:${'5e'.repeat(32)}`;

/**
 * The kinds of generated app, each task definition with 3 containers (web, api, cache), all 3,000
 * images distinct so no cache flatters the figure:
 *
 * - `pinned`: web is a Docker Hub image with a version tag, api an image of an ECR repository the
 *   app imports (`fromRepositoryName`) with a version tag, cache an image pinned by digest. All
 *   compliant: the cost of checking, not of reporting.
 * - `unpinned`: the same, but every web image is `example/web-<n>:latest`: a third of the
 *   containers unpinned, one error each (the cost of reporting).
 * - `owned`: the same as `pinned`, but each stack owns its repository (`new ecr.Repository`) and
 *   api is `fromEcrRepository(repo, tag)`, the common pattern: the image is a token referring to
 *   a resource of the app.
 */
export type AppKind = 'pinned' | 'unpinned' | 'owned';
export const APP_KINDS: readonly AppKind[] = ['pinned', 'unpinned', 'owned'];

export interface AppSpec {
  readonly kind: AppKind;
  readonly taskDefinitions: number;
  /** @default TASKS_PER_STACK */
  readonly tasksPerStack?: number;
}

export function stacksOf(spec: AppSpec): number {
  return Math.ceil(spec.taskDefinitions / (spec.tasksPerStack ?? TASKS_PER_STACK));
}

export function buildApp(spec: AppSpec, outdir: string): App {
  const app = new App({ outdir });
  const perStack = spec.tasksPerStack ?? TASKS_PER_STACK;
  let stack: Stack | undefined;
  let repo: ecr.IRepository | undefined;
  for (let i = 0; i < spec.taskDefinitions; i++) {
    if (i % perStack === 0) {
      stack = new Stack(app, `Bench${i / perStack}`);
      repo = spec.kind === 'owned' ? new ecr.Repository(stack, 'Repo') : ecr.Repository.fromRepositoryName(stack, 'Repo', 'service');
    }
    const task = new ecs.FargateTaskDefinition(stack!, `Task${i}`);
    const web = spec.kind === 'unpinned' ? `example/web-${i}:latest` : `example/web-${i}:1.27.3`;
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry(web) });
    task.addContainer('api', { image: ecs.ContainerImage.fromEcrRepository(repo!, `v1.${i}.0`) });
    task.addContainer('cache', { image: ecs.ContainerImage.fromRegistry(`example/cache-${i}:7.2.4@${DIGEST}`) });
  }
  return app;
}

/** The original benchmark app: 1,000 task definitions, all pinned. */
export function buildBenchmarkApp(outdir: string): App {
  return buildApp({ kind: 'pinned', taskDefinitions: TASK_DEFINITIONS }, outdir);
}
