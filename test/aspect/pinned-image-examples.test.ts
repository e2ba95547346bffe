import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// Issue 12 asks for PinnedImage "documented with examples that compile": the README's snippet and
// the class's @example are type-checked here against the sources, as an app would use them (the
// declarations they take for granted, `taskDefinition` and `this`, given by a small wrapper).

const ROOT = path.join(__dirname, '..', '..');

/** The README's TypeScript block that uses PinnedImage. */
function readmeSnippet(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => b.includes('PinnedImage.'));
  expect(blocks).toHaveLength(1);
  return blocks[0];
}

/** The @example of the PinnedImage class, without its comment markers. */
function jsdocExample(): string {
  const source = fs.readFileSync(path.join(ROOT, 'src', 'aspect', 'pinned-image.ts'), 'utf8');
  const example = /\* @example\n((?: \* .*\n)+?) \*\/\nexport class PinnedImage/.exec(source);
  expect(example).not.toBeNull();
  return example![1].replace(/^ \* /gm, '');
}

/** The snippet in an app's stack: its imports first, the rest in the constructor. */
function inStack(snippet: string): string {
  const lines = snippet.split('\n');
  const imports = lines.filter((l) => l.startsWith('import '));
  // The wrapper gives `taskDefinition`; any other declared name becomes a value of its type.
  const body = lines
    .filter((l) => !l.startsWith('import ') && !l.startsWith('declare const taskDefinition:'))
    .map((l) => l.replace(/^declare const (\w+): (.*);$/, 'const $1 = undefined as unknown as $2;'));
  return [
    ...imports,
    "import { Stack } from 'aws-cdk-lib';",
    "import * as ecs from 'aws-cdk-lib/aws-ecs';",
    "import * as lambda from 'aws-cdk-lib/aws-lambda';",
    ...(snippet.includes("from 'cdk-image-pinning'") ? [] : ["import { PinnedImage } from 'cdk-image-pinning';"]),
    'export class AppStack extends Stack {',
    '  public constructor() {',
    '    super();',
    '    const taskDefinition = new ecs.FargateTaskDefinition(this, \'Task\');',
    '    void taskDefinition; void lambda;',
    ...body.map((l) => `    ${l}`),
    '  }',
    '}',
  ].join('\n');
}

/** Type errors of these files, compiled with the package name mapped to the sources. */
function typeErrors(files: Record<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    baseUrl: ROOT,
    paths: { 'cdk-image-pinning': ['src/index.ts'] },
    types: [],
  };
  const virtual = new Map(Object.entries(files).map(([name, text]) => [path.join(ROOT, 'test', 'aspect', name), text]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    virtual.has(name) ? ts.createSourceFile(name, virtual.get(name)!, language) : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => virtual.has(name) || fileExists(name);
  const program = ts.createProgram([...virtual.keys()], options, host);
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && virtual.has(d.file.fileName))
    .map((d) => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

// One program for all the files (type-checking the sources takes a while).
const FILES = {
  'readme-snippet.ts': inStack(readmeSnippet()),
  'jsdoc-example.ts': inStack(jsdocExample()),
  // A snippet that misuses PinnedImage: shows the check can fail.
  'wrong.ts': inStack("taskDefinition.addContainer('web', { image: PinnedImage.uri(this, 'nginx:1.27.3') });"),
};
let errors: string[];
beforeAll(() => {
  errors = typeErrors(FILES);
}, 120_000);

test("the README's PinnedImage snippet and the class's @example type-check against the package", () => {
  expect(FILES['readme-snippet.ts']).toContain("PinnedImage.fromRegistry(this, 'nginx:1.27.3')");
  expect(FILES['readme-snippet.ts']).toContain('PinnedImage.uri(this, ');
  expect(FILES['jsdoc-example.ts']).toContain("PinnedImage.fromRegistry(taskDefinition, 'nginx:1.27.3')");
  expect(errors.filter((e) => !e.startsWith('wrong.ts: '))).toEqual([]);
});

test('the check can fail: a snippet that misuses PinnedImage is a type error', () => {
  expect(errors.filter((e) => e.startsWith('wrong.ts: '))).toEqual([expect.stringContaining("Type 'string' is not assignable to type 'ContainerImage'")]);
});
