import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The README's TypeScript code blocks, completed with their jsii-rosetta fixtures and type-checked
 * together (one TypeScript program) the way a user's app compiles them.
 */

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** A fenced code block of a Markdown document. */
export interface CodeBlock {
  /** Where the block is: `README.md:213 (### Options)`, the line of its opening fence. */
  readonly name: string;
  /** 1-based line of the opening fence. */
  readonly fenceLine: number;
  /** The fence's first word (`ts`), and the rest as jsii-rosetta reads it (`fixture=stack`, `nofixture`). */
  readonly language: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** The lines between the fences. */
  readonly lines: readonly string[];
}

/**
 * The fenced code blocks of a Markdown document (fences of three backticks at the start of a line,
 * as the README writes them), each named by its file, line and the heading it is under.
 */
export function codeBlocks(markdown: string, fileName: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let heading = '(no heading)';
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(.*)$/.exec(lines[i]);
    if (!fence) {
      if (/^#{1,6} /.test(lines[i])) heading = lines[i];
      continue;
    }
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end === -1) throw new Error(`${fileName}:${i + 1}: code block not closed`);
    const [language = '', ...words] = fence[1].trim().split(/\s+/).filter(Boolean);
    const parameters: Record<string, string> = {};
    for (const word of words) {
      const [key, ...value] = word.split('=');
      parameters[key] = value.join('=');
    }
    blocks.push({ name: `${fileName}:${i + 1} (${heading})`, fenceLine: i + 1, language, parameters, lines: lines.slice(i + 1, end) });
    i = end;
  }
  return blocks;
}

/** The blocks jsii-rosetta translates: those whose language is `ts` or `typescript`. */
export function typeScriptBlocks(markdown: string, fileName: string): CodeBlock[] {
  return codeBlocks(markdown, fileName).filter((b) => b.language === 'ts' || b.language === 'typescript');
}

/** A snippet in its fixture: the source to compile, and where each of its lines comes from. */
export interface CompleteSnippet {
  readonly block: CodeBlock;
  /** The fixture used (`default`, a name given with `fixture=`), or undefined with `nofixture`. */
  readonly fixture?: string;
  readonly source: string;
  /** For each line of `source`, where it was written: `README.md:215`, `rosetta/stack.ts-fixture:12`. */
  readonly origins: readonly string[];
}

/**
 * Puts a block into its fixture as jsii-rosetta does (src/fixtures.ts of jsii-rosetta): the
 * fixture named by `fixture=`, none with `nofixture`, else `rosetta/default.ts-fixture` if there is
 * one; the block replaces the fixture's `/// here` line, and its imports and `declare` statements
 * are hoisted above the fixture. Like rosetta, an empty `export {}` makes every snippet a module.
 */
export function completeSnippet(block: CodeBlock, fixturesDirectory: string, sourceFileName: string): CompleteSnippet {
  const origin = (i: number) => `${sourceFileName}:${block.fenceLine + 1 + i}`;
  const named = block.parameters.fixture;
  const fixture = 'nofixture' in block.parameters ? undefined : (named ?? 'default');
  const fixtureFile = fixture === undefined ? undefined : path.join(fixturesDirectory, `${fixture}.ts-fixture`);
  if (named !== undefined && !fs.existsSync(fixtureFile!)) {
    throw new Error(`${block.name}: fixture=${named}, but there is no ${path.relative(REPO_ROOT, fixtureFile!)}`);
  }
  const snippetLines = block.lines.map((text, i) => ({ text, origin: origin(i) }));
  if (fixtureFile === undefined || !fs.existsSync(fixtureFile)) {
    return finish(undefined, snippetLines);
  }

  // Hoisted: import declarations and `declare` variable statements, as rosetta's sidelineImports.
  const parsed = ts.createSourceFile('snippet.ts', block.lines.join('\n'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const hoisted = new Set<number>();
  for (const statement of parsed.statements) {
    const isImport = ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement);
    const isDeclare = ts.isVariableStatement(statement) && (statement.modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
    if (!isImport && !isDeclare) continue;
    const first = parsed.getLineAndCharacterOfPosition(statement.getStart(parsed)).line;
    const last = parsed.getLineAndCharacterOfPosition(statement.getEnd()).line;
    for (let line = first; line <= last; line++) hoisted.add(line);
  }
  const fixtureName = path.relative(REPO_ROOT, fixtureFile);
  const fixtureLines = fs.readFileSync(fixtureFile, 'utf8').split('\n');
  const here = fixtureLines.findIndex((l) => /^\s*\/{3}[ \t]*here[ \t]*$/i.test(l));
  if (here === -1) throw new Error(`${fixtureName} has no '/// here' line`);
  const fromFixture = (from: number, to: number) => fixtureLines.slice(from, to).map((text, i) => ({ text, origin: `${fixtureName}:${from + 1 + i}` }));
  return finish(fixture, [
    ...snippetLines.filter((_, i) => hoisted.has(i)),
    ...fromFixture(0, here),
    ...snippetLines.filter((_, i) => !hoisted.has(i)),
    ...fromFixture(here + 1, fixtureLines.length),
  ]);

  function finish(used: string | undefined, lines: Array<{ text: string; origin: string }>): CompleteSnippet {
    const all = [...lines, { text: 'export {};', origin: '(added: every snippet is a module)' }];
    return { block, fixture: used, source: all.map((l) => l.text).join('\n'), origins: all.map((l) => l.origin) };
  }
}

/**
 * The compiler options of a user's TypeScript CDK app: the `tsconfig.json` that `cdk init app
 * --language typescript` writes (read from the installed aws-cdk CLI's template, so it follows the
 * CLI), with `cdk-image-pinning` resolved to this package's root the way a user's node_modules
 * would: through package.json `types`, i.e. the compiled lib/index.d.ts.
 */
export function userAppCompilerOptions(): ts.CompilerOptions {
  const template = path.join(REPO_ROOT, 'node_modules', 'aws-cdk', 'lib', 'init-templates', 'app', 'typescript', 'tsconfig.json');
  const config = ts.readConfigFile(template, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(template));
  if (parsed.errors.length > 0) throw new Error(parsed.errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, '\n')).join('\n'));
  return {
    ...parsed.options,
    typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
    paths: { 'cdk-image-pinning': [REPO_ROOT] },
  };
}

/** A snippet's compile errors, one string each: `README.md:215: error TS2304: Cannot find name ...`, and the line. */
export type SnippetErrors = Map<CompleteSnippet, string[]>;

/**
 * Type-checks all snippets in one program, each as its own file in a directory of this package
 * (never written). `moduleRenames` resolves, for the snippets of one fixture, an import of one
 * package as another (the cdk-nag 2 pack's `cdk-nag` as the installed `cdk-nag-v2`).
 */
export function typeCheckSnippets(
  snippets: readonly CompleteSnippet[],
  options: ts.CompilerOptions,
  moduleRenames: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
): { errors: SnippetErrors; optionErrors: string[] } {
  const directory = path.join(REPO_ROOT, 'readme-snippets');
  const files = new Map(snippets.map((s, i) => [path.join(directory, `snippet-${i + 1}-line-${s.block.fenceLine}.ts`), s]));
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f)?.source ?? readFile.call(host, f);
  host.getSourceFile = (f, language, ...rest) => {
    const snippet = files.get(f);
    return snippet ? ts.createSourceFile(f, snippet.source, language, true) : getSourceFile.call(host, f, language, ...rest);
  };
  const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), (f) => f, options);
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, compilerOptions, containingSourceFile) =>
    literals.map((literal) => {
      const fixture = files.get(containingFile)?.fixture;
      const name = (fixture !== undefined ? moduleRenames[fixture]?.[literal.text] : undefined) ?? literal.text;
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, compilerOptions);
      return ts.resolveModuleName(name, containingFile, compilerOptions, host, name === literal.text ? cache : undefined, redirected, mode);
    });

  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  const optionErrors = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  const errors: SnippetErrors = new Map();
  for (const [fileName, snippet] of files) {
    const sourceFile = program.getSourceFile(fileName)!;
    const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    errors.set(snippet, diagnostics.map((d) => describe(d, snippet)));
  }
  return { errors, optionErrors };
}

function describe(diagnostic: ts.Diagnostic, snippet: CompleteSnippet): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (diagnostic.file === undefined || diagnostic.start === undefined) return `error TS${diagnostic.code}: ${message}`;
  const line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line;
  return `${snippet.origins[line]}: error TS${diagnostic.code}: ${message}\n    ${snippet.source.split('\n')[line].trim()}`;
}
