/**
 * A region of a given size, for pagination tests and the benchmark: task definition families with
 * several revisions, services spread over clusters (each on the latest revision of its family,
 * every tenth still rolling out from the previous one), running tasks per service with the
 * digests ECS resolved, and some Lambda image functions and Batch job definitions.
 */
import { digest, RegionBuilder } from './fake-account';

export interface AccountSize {
  readonly families: number;
  readonly revisionsPerFamily: number;
  readonly clusters: number;
  readonly services: number;
  readonly tasksPerService: number;
  readonly lambdaFunctions: number;
  readonly jobDefinitions: number;
}

export function generateRegion(r: RegionBuilder, size: AccountSize) {
  const latest = [];
  const previous = [];
  for (let f = 0; f < size.families; f++) {
    let last;
    let before;
    for (let rev = 1; rev <= size.revisionsPerFamily; rev++) {
      before = last;
      last = r.taskDefinition(`app-${f}`, [
        { name: 'app', image: r.ecrImage(`app-${f}`, `v${rev}`) },
        { name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0' },
      ], { revision: rev });
    }
    latest.push(last!);
    previous.push(before ?? last!);
  }
  for (let s = 0; s < size.services; s++) {
    const f = s % size.families;
    const cluster = `cluster-${s % size.clusters}`;
    const rolling = s % 10 === 9 && previous[f] !== latest[f];
    const td = latest[f];
    const service = r.service(cluster, `service-${s}`, td, {
      olderDeployments: rolling ? [previous[f]] : [],
      resolvedDigests: [{ 'app': digest(`${td.taskDefinitionArn}`), 'log-router': digest('fluent-bit') }, { app: digest(`${previous[f].taskDefinitionArn}`) }],
      desiredCount: size.tasksPerService,
    });
    for (let t = 0; t < size.tasksPerService; t++) {
      const from = rolling && t === 0 ? previous[f] : td;
      r.task(cluster, from, {
        service,
        containers: [{ name: 'app', imageDigest: digest(`${from.taskDefinitionArn}`) }, { name: 'log-router', imageDigest: digest('fluent-bit') }],
      });
    }
  }
  for (let i = 0; i < size.lambdaFunctions; i++) {
    if (i % 4 === 3) r.lambdaFunction(`zip-${i}`, { zip: true });
    else r.lambdaFunction(`fn-${i}`, { imageUri: r.ecrImage(`fn-${i}`, 'v1'), resolvedImageUri: r.ecrImage(`fn-${i}`, digest(`fn-${i}`)) });
  }
  for (let i = 0; i < size.jobDefinitions; i++) r.jobDefinition(`job-${i}`, [`busybox:1.${36 + (i % 3)}`]);
}
