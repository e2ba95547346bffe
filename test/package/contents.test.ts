import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * What `npm pack` puts in the tarball: the compiled library, its command line, the jsii manifest
 * the shipped schema and the snippet fixtures, and none of the sources, tests, benchmarks or build tools. Read with
 * `npm pack --dry-run --json`, which lists the files and sizes without writing a tarball.
 */
const ROOT = path.resolve(__dirname, '..', '..');

/** The packed tarball's size bound: about 1.3 MB today; a file packed by mistake (a fixture, a cloud assembly) passes it. */
const MAX_PACKED_BYTES = 2_000_000;

interface PackEntry {
  readonly path: string;
  readonly size: number;
}

interface PackResult {
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: PackEntry[];
}

describe('the npm package', () => {
  let pack: PackResult;

  beforeAll(() => {
    for (const built of ['lib/index.js', '.jsii']) {
      if (!fs.existsSync(path.join(ROOT, built))) {
        throw new Error(`${built} is missing: compile first (npx projen compile)`);
      }
    }
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    [pack] = JSON.parse(out) as PackResult[];
  }, 60_000);

  test('holds the compiled library, its command line, the jsii manifest and the schemas', () => {
    const files = pack.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'LICENSE', '.jsii', 'lib/index.js', 'lib/index.d.ts', 'lib/cli/main.js']),
    );
    expect(files.some((f) => f.startsWith('schemas/'))).toBe(true);
    // jsii-rosetta looks for snippet fixtures in the package's rosetta/ directory when it
    // translates the examples of an installed package (as Construct Hub does).
    expect(files).toEqual(expect.arrayContaining(['rosetta/default.ts-fixture']));
    for (const bin of Object.values(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).bin as Record<string, string>)) {
      expect(files).toContain(bin.replace(/^\.\//, ''));
    }
  });

  test('holds no sources, tests, benchmarks, examples or build tools', () => {
    const unwanted = pack.files.map((f) => f.path).filter((f) => /^(src|test|bench|examples|build-tools|projenrc|\.ci|\.bench|coverage|test-reports|cdk\.out)\//.test(f) || (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)));
    expect(unwanted).toEqual([]);
  });

  test(`packs under ${MAX_PACKED_BYTES.toLocaleString('en-US')} bytes`, () => {
    expect(pack.size).toBeGreaterThan(0);
    expect(pack.size).toBeLessThan(MAX_PACKED_BYTES);
  });
});
