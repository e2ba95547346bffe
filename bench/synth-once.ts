/**
 * One measured synthesis, in a process of its own so no run inherits another's heap or
 * aws-cdk-lib's global token registry. Prints one JSON line: { synthSeconds, aspectSeconds }.
 *
 *   node --expose-gc -r ts-node/register/transpile-only bench/synth-once.ts without|noop|with
 *
 * `noop` adds an Aspect that does nothing, at the same priority: what aws-cdk-lib's own aspect
 * machinery costs on this tree, whatever the aspect does.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AspectPriority, Aspects } from 'aws-cdk-lib';
import { buildBenchmarkApp } from './generated-app';
import { ImagePinning, ImagePinningAspect } from '../src';

const variant = process.argv[2];

// Time spent inside the Aspect's visit, measured directly.
let insideAspect = 0n;
const visit = ImagePinningAspect.prototype.visit;
ImagePinningAspect.prototype.visit = function timedVisit(this: ImagePinningAspect, node) {
  const start = process.hrtime.bigint();
  try {
    visit.call(this, node);
  } finally {
    insideAspect += process.hrtime.bigint() - start;
  }
};

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-pinning-bench-'));
try {
  const app = buildBenchmarkApp(outdir);
  if (variant === 'with') {
    ImagePinning.enforce(app);
  } else if (variant === 'noop') {
    Aspects.of(app).add({ visit: () => undefined }, { priority: AspectPriority.READONLY });
  }
  (global as { gc?: () => void }).gc?.();
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  app.synth();
  const synthSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  console.log(JSON.stringify({ synthSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, aspectSeconds: Number(insideAspect) / 1e9 }));
} finally {
  fs.rmSync(outdir, { recursive: true, force: true });
}
