import * as fs from 'fs';
import * as path from 'path';

/**
 * Prepares the directory `npx projen rosetta` compiles the examples in (dist/rosetta), and checks
 * that .jsii, from which jsii-rosetta reads the README and the doc comments, is not older than them.
 *
 * The directory's node_modules holds this package (a link to the project) and, as `cdk-nag`, the
 * cdk-nag 2 the README's cdk-nag 2 pack is written for (the cdk-nag-v2 dev dependency); aws-cdk-lib,
 * constructs and the rest resolve from the project's node_modules above it, and the package's own
 * imports from its real path, so the cdk-nag 3 pack is still compiled against cdk-nag 3.
 */

const ROOT = path.resolve(__dirname, '..');
const ASSEMBLY = path.join(ROOT, '.jsii');

function newestFile(entry: string): number {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(entry).map((name) => newestFile(path.join(entry, name))));
}

if (!fs.existsSync(ASSEMBLY)) {
  throw new Error('.jsii is missing: run npx projen compile first');
}
const stale = ['README.md', 'src'].filter((source) => newestFile(path.join(ROOT, source)) > fs.statSync(ASSEMBLY).mtimeMs);
if (stale.length > 0) {
  process.stderr.write(`.jsii is older than ${stale.join(' and ')}: run npx projen compile first\n`);
  process.exit(1);
}

const directory = path.join(ROOT, 'dist', 'rosetta');
fs.rmSync(directory, { recursive: true, force: true });
fs.rmSync(path.join(ROOT, '.jsii.tabl.json'), { force: true });
fs.mkdirSync(path.join(directory, 'node_modules'), { recursive: true });
fs.symlinkSync(path.relative(path.join(directory, 'node_modules'), ROOT), path.join(directory, 'node_modules', 'cdk-image-pinning'));
fs.symlinkSync(path.join('..', '..', '..', 'node_modules', 'cdk-nag-v2'), path.join(directory, 'node_modules', 'cdk-nag'));
