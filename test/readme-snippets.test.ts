import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { CodeBlock, completeSnippet, CompleteSnippet, REPO_ROOT, typeCheckSnippets, typeScriptBlocks, userAppCompilerOptions } from './support/readme-snippets';

/**
 * Every TypeScript code block of the README compiles, in the fixture jsii-rosetta gives it
 * (rosetta/*.ts-fixture), against the compiled package (lib/, as `cdk-image-pinning`), with the
 * compiler options of an app made by `cdk init`. `npx projen rosetta` translates the same blocks.
 */

const README = 'README.md';
const FIXTURES = path.join(REPO_ROOT, 'rosetta');

/**
 * The cdk-nag 2 section's pack is for apps on cdk-nag 2: it compiles against cdk-nag 2 (installed
 * here as cdk-nag-v2), where the rest compiles against cdk-nag 3. (jsii-rosetta has one cdk-nag,
 * the package's: it translates the block with cdk-nag 3's types, which this block also fits.)
 */
const MODULE_RENAMES = { 'cdk-nag-2': { 'cdk-nag': 'cdk-nag-v2' } };

/** Blocks that must not compile, checked in the same program: the check can fail, and says where. */
const CANARIES = `
## Canary: a missing import

\`\`\`ts
ImagePinning.enforce(app, { level: PinningLevel.VERSION });
\`\`\`

## Canary: a fixture's variable of the wrong type

\`\`\`ts fixture=stack
import { ImagePinning } from 'cdk-image-pinning';

ImagePinning.enforce(taskDefinition.family);
\`\`\`

## Canary: cdk-nag 3's pack from a cdk-nag 2 block

\`\`\`ts fixture=cdk-nag-2
import { NagPack } from 'cdk-nag';
import { ImagePinningChecks } from 'cdk-image-pinning';

const pack: NagPack = new ImagePinningChecks();
\`\`\`
`;

const readmeBlocks = typeScriptBlocks(fs.readFileSync(path.join(REPO_ROOT, README), 'utf8'), README);
const canaryBlocks = typeScriptBlocks(CANARIES, 'canaries.md');

let checked: ReturnType<typeof typeCheckSnippets>;
const snippets = new Map<CodeBlock, CompleteSnippet>();

beforeAll(() => {
  if (!fs.existsSync(path.join(REPO_ROOT, 'lib', 'index.d.ts'))) {
    throw new Error('lib/index.d.ts is missing: the snippets compile against the built package (npx projen compile)');
  }
  for (const block of [...readmeBlocks, ...canaryBlocks]) {
    snippets.set(block, completeSnippet(block, FIXTURES, block.name.split(':')[0]));
  }
  checked = typeCheckSnippets([...snippets.values()], userAppCompilerOptions(), MODULE_RENAMES);
});

function errorsOf(block: CodeBlock): string[] {
  return checked.errors.get(snippets.get(block)!)!;
}

test('the README has TypeScript blocks, and the compiler options of a cdk init app are valid', () => {
  expect(readmeBlocks.length).toBeGreaterThanOrEqual(10);
  expect(checked.optionErrors).toEqual([]);
});

describe.each(readmeBlocks.map((block) => [block.name, block] as const))('%s', (_name, block) => {
  test('compiles against the built package', () => {
    const errors = errorsOf(block);
    if (errors.length > 0) {
      const snippet = snippets.get(block)!;
      throw new Error(`${block.name} does not compile (fixture: ${snippet.fixture ?? 'none'}):\n${errors.join('\n')}`);
    }
  });
});

describe('the check itself', () => {
  test('a block that misses an import fails, naming the README line', () => {
    expect(errorsOf(canaryBlocks[0])).toEqual([
      expect.stringMatching(/^canaries\.md:5: error TS2304: Cannot find name 'ImagePinning'\./),
      expect.stringMatching(/^canaries\.md:5: error TS2304: Cannot find name 'PinningLevel'\./),
    ]);
  });

  test('a fixture declares typed variables, and its imports are hoisted above it', () => {
    expect(errorsOf(canaryBlocks[1])).toEqual([
      expect.stringMatching(/^canaries\.md:13: error TS2345: Argument of type 'string' is not assignable to parameter of type 'IConstruct'\./),
    ]);
    const snippet = snippets.get(canaryBlocks[1])!;
    expect(snippet.origins[0]).toBe('canaries.md:11');
    expect(snippet.origins).toContain('rosetta/stack.ts-fixture:1');
  });

  test('the cdk-nag 2 block compiles against cdk-nag 2, whose NagPack is not the pack\'s', () => {
    expect(errorsOf(canaryBlocks[2])).toEqual([expect.stringMatching(/^canaries\.md:22: error TS2739: Type .ImagePinningChecks. is missing the following properties from type .NagPack.: /)]);
  });

  test('`cdk-image-pinning` is the compiled package: lib/index.d.ts, through package.json types', () => {
    const options = userAppCompilerOptions();
    const resolved = ts.resolveModuleName('cdk-image-pinning', path.join(REPO_ROOT, 'readme-snippets', 'app.ts'), options, ts.sys);
    expect(resolved.resolvedModule?.resolvedFileName).toBe(path.join(REPO_ROOT, 'lib', 'index.d.ts'));
    expect(options).toMatchObject({ strict: true, module: ts.ModuleKind.NodeNext, skipLibCheck: true });
  });
});
