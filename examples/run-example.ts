/**
 * Runs the example app through the real CDK CLI twice and checks both outcomes:
 * - the unpinned variant must fail synthesis (exit 1) and name every unpinned container;
 * - the pinned variant must synthesize (exit 0).
 * Prints what the CLI printed, and exits 0 only when both behave as expected.
 */
import { cdkSynth } from '../test/support/cdk-cli';

const APP = 'examples/app.ts';
const synth = (variant: 'unpinned' | 'pinned') => cdkSynth(APP, { variant }, { quiet: variant === 'unpinned' });

const failures: string[] = [];

console.log('$ cdk synth   (unpinned variant: expect errors and exit 1)\n');
const unpinned = synth('unpinned');
console.log(unpinned.output.trim());
console.log(`\n-> exit code ${unpinned.status}\n`);
if (unpinned.status !== 1) {
  failures.push(`the unpinned variant exited ${unpinned.status}, expected 1`);
}
for (const container of ['web', 'api', 'cache', 'log-router']) {
  if (!new RegExp(`Container "${container}"`).test(unpinned.output)) {
    failures.push(`the unpinned variant's output does not name the container "${container}"`);
  }
}

console.log('$ cdk synth -c variant=pinned   (expect success and exit 0)\n');
const pinned = synth('pinned');
// The template is printed (one stack, no --quiet): show the locked image, not the whole template.
const locked = /Image: (nginx@sha256:[0-9a-f]{64})/.exec(pinned.output);
console.log(locked ? `  the template's web container: ${locked[1]} (locked from nginx:1.27.3)` : pinned.output.trim());
console.log(`\n-> exit code ${pinned.status}\n`);
if (pinned.status !== 0) {
  failures.push(`the pinned variant exited ${pinned.status}, expected 0`);
}
if (!locked) {
  failures.push('the pinned variant\'s template does not hold nginx pinned to the digest of the example\'s lock file');
}

if (failures.length > 0) {
  console.error(`Example FAILED:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('Example OK: unpinned images fail synthesis, pinned images synthesize, locked images are synthesized with their digests.');
