import { awscdk, javascript, JsonFile } from 'projen';

const CDK_VERSION = '2.258.0';
const CONSTRUCTS_VERSION = '10.5.1';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-image-pinning',
  description:
    'Fails `cdk synth` when a container image is not pinned: an Aspect, a cdk-nag v3 pack and a validation plugin sharing one check.',
  author: 'cdk-image-pinning contributors',
  authorAddress: 'maintainers@cdk-image-pinning.dev',
  repositoryUrl: 'https://github.com/cdk-image-pinning/cdk-image-pinning.git',
  keywords: ['cdk', 'aws-cdk', 'ecs', 'container', 'image', 'pinning', 'digest', 'guardrail', 'cdk-nag'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  // engines.node: the lowest Node.js that aws-cdk-lib and commander 14 accept, and the one CI runs
  // (.ci/run on the machine's Node 20, the GitHub workflow on 20.x). The AWS SDK ranges below stop
  // before the releases that need Node.js 22; raise all three together to drop Node.js 20.
  minNodeVersion: '20.0.0',
  workflowNodeVersion: '20.x',
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  // ts-node and ts-jest run the tests and the example; TypeScript 6 deprecates the options they use.
  typescriptVersion: '~5.9.3',

  // The lowest aws-cdk-lib we support is the one we compile and test against, so an API
  // that appeared later cannot slip in unnoticed. cdk-nag 3 needs 2.258.0 in practice.
  cdkVersion: CDK_VERSION,
  constructsVersion: CONSTRUCTS_VERSION,

  // The cdk-nag pack extends cdk-nag 3's NagPack, so cdk-nag is a peer like aws-cdk-lib, but an
  // optional one (peerDependenciesMeta below): the pack loads it when it is constructed
  // (src/nag/cdk-nag-loader.ts), nothing else needs it. npm still rejects an optional peer that is
  // installed at a version outside the range (ERESOLVE), so the range admits cdk-nag 2 for apps
  // that use ImagePinning.check from their own cdk-nag 2 pack; the pack itself says it needs 3.
  // One plain range, not `^2 || ^3`: jsii-pacmak writes `||` as an unsatisfiable list for Python
  // and as a union NuGet rejects.
  peerDeps: ['cdk-nag@>=2.0.0 <4.0.0'],
  // projen would make each peer's lowest version a dev dependency, cdk-nag 2.0.0 among them; the
  // dev dependencies after this constructor name the versions we compile and test against instead.
  peerDependencyOptions: { pinnedDevDependency: false },

  // The command-line scanner's libraries, bundled into the package (jsii requires that of
  // dependencies that are not jsii modules): YAML with source positions, argument parsing.
  // JSON positions come from our own offset scan (cli/parse-document.ts). commander 15 needs
  // Node.js 22; we support 20.
  bundledDeps: ['yaml@^2.9.1', 'commander@^14.0.3'],
  bin: { 'cdk-image-pinning': 'bin/cdk-image-pinning' },

  devDeps: [
    'jsonc-parser@^3.3.1', // the reference the tests compare our JSON positions with
    'aws-cdk@^2.1148.1', // the real CLI, for the example and the end-to-end tests
    'fast-check@^4',
    '@types/node@^20', // the Node.js these tests and the CLI run on
    'cdk-nag-v2@npm:cdk-nag@^2.37.55', // to test the documented way to use the rule from a cdk-nag 2 pack
    '@microsoft/jest-sarif', // ships the SARIF 2.1.0 JSON schema the CLI's output is validated against
    'ajv@^8',
    'ajv-formats@^3',
    // The AWS SDK for the online commands (verify, lock, audit). Not a dependency of the package:
    // it is loaded lazily when one of those commands needs it (see src/aws/sdk.ts). The range stops
    // before the releases that require Node.js 22 (early 2027): the CLI supports Node.js 20.
    '@aws-sdk/client-ecr@>=3.1164.0 <3.1200.0',
    '@aws-sdk/client-ecs@>=3.1164.0 <3.1200.0',
    '@aws-sdk/client-lambda@>=3.1164.0 <3.1200.0',
    '@aws-sdk/client-batch@>=3.1138.0 <3.1200.0',
    '@aws-sdk/client-sts@>=3.1164.0 <3.1200.0',
    '@aws-sdk/client-organizations@>=3.1164.0 <3.1200.0',
  ],

  // Bindings for the other CDK languages, named the way cdk-nag and other cdklabs libraries name
  // theirs: the npm name where the registry allows it (PyPI, Maven artifact), the GitHub owner as
  // the namespace (Maven Central verifies io.github.<owner>), and the name without hyphens where
  // the language forbids them (Python module, Java package, .NET namespace, Go package). The
  // library is the owner's only one, so the namespace is the package: no ...cdkimagepinning.cdkimagepinning.
  publishToPypi: { distName: 'cdk-image-pinning', module: 'cdk_image_pinning' },
  publishToMaven: {
    mavenGroupId: 'io.github.cdk-image-pinning',
    mavenArtifactId: 'cdk-image-pinning',
    javaPackage: 'io.github.cdkimagepinning',
  },
  publishToNuget: { packageId: 'CdkImagePinning', dotNetNamespace: 'CdkImagePinning' },
  // Go modules live in their own repository, as cdk-nag's do (github.com/cdklabs/cdk-nag-go);
  // the package is cdkimagepinning.
  publishToGo: { moduleName: 'github.com/cdk-image-pinning/cdk-image-pinning-go' },

  prettier: false,
  githubOptions: { mergify: false },
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  // `npm test` (CI's command) must fail on a snapshot or lint regression, not fix it: jest runs with
  // --ci (no snapshot is written) and eslint without --fix, failing on warnings too (import order,
  // which --fix used to rewrite silently, is a warning). Fixing has its own tasks:
  // `npx projen test:update` and `npx projen eslint:fix`.
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'build-tools'],
    commandOptions: { fix: false, extraArgs: ['--max-warnings=0'] },
  },
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // Two cores here; jest's default of (cores - 1) would run the suite on one worker.
      maxWorkers: 2,
      testTimeout: 60_000,
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/'],
    },
  },

  gitignore: ['cdk.out', '/examples/cdk.out', '/.bench/'],
  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/bench/', '/.bench/', '/.ci/', '/docs/', '/build-tools/', 'cdk.out'] },
});

project.package.addField('peerDependenciesMeta', { 'cdk-nag': { optional: true } });
// The peers at the versions we compile and test against: the lowest supported aws-cdk-lib and
// constructs, and cdk-nag 3, whose NagPack the pack extends. (Added after the constructor, which
// replaces any constructs dev dependency given in its options.)
project.addDevDeps(`aws-cdk-lib@${CDK_VERSION}`, `constructs@${CONSTRUCTS_VERSION}`, 'cdk-nag@3.0.2');

// jsii warns that a peer range should be tested at its lowest version (cdk-nag 2.0.0). The pack
// needs cdk-nag 3 and is compiled against it; cdk-nag 2 is only allowed beside it, which the
// packed-tarball tests check (test/package/).
const JSII_FLAGS = '--silence-warnings=reserved-word --silence-warnings=metadata/missing-dev-dependency';
project.compileTask.reset(`jsii ${JSII_FLAGS}`);
project.tasks.tryFind('watch')?.reset(`jsii -w ${JSII_FLAGS}`);

// Extra source folders outside src/ and test/: the runnable example app, the benchmark and the
// build scripts (build-tools/).
// Each gets a tsconfig so eslint and ts-node can type-check it like the tests.
for (const dir of ['examples', 'bench', 'build-tools']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..' },
      include: ['**/*.ts'],
    },
  });
  project.eslint?.addLintPattern(dir);
}

// Folders import in one direction: each layer may import the layers before it, never those after.
// Folders of one layer do not import each other unless listed together in `peers`.
const LAYERS: string[][] = [
  ['reference'],
  ['value', 'aws', 'lock'],
  ['cfn', 'policy'],
  ['rules'],
  ['check'],
  ['report', 'assembly', 'registry'],
  ['construct'],
  ['aspect', 'nag', 'validator', 'audit', 'cli'],
];
/** Same-layer imports that are allowed: the CLI runs the registry and audit commands. */
const PEERS: Record<string, string[]> = { cli: ['audit'] };
const zones = LAYERS.flatMap((layer, i) =>
  layer.map((folder) => ({
    target: `./src/${folder}`,
    from: [...LAYERS.slice(i + 1).flat(), ...layer.filter((f) => f !== folder && !(PEERS[folder] ?? []).includes(f))].map((f) => `./src/${f}`),
    message: `src/${folder} may import only the layers before it (see LAYERS in .projenrc.ts and the README's Design section)`,
  })),
).filter((zone) => zone.from.length > 0);
project.eslint?.addRules({ 'import/no-restricted-paths': ['error', { zones }] });
// The folders below the construct layer are plain TypeScript: no aws-cdk-lib, constructs or cdk-nag,
// so the policy, the check and the CLI run without a construct tree.
project.eslint?.addOverride({
  files: ['src/{reference,value,aws,lock,cfn,policy,rules,check,report,assembly,registry,cli,audit}/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag'], message: 'only construct/ and the CDK front doors use the CDK' }] }],
  },
});

// The eslint task's file list, with --fix (the task passes its arguments on to eslint).
project.addTask('eslint:fix', { description: 'Runs eslint against the codebase and fixes what it can', exec: 'projen eslint --fix' });

// The CLI tests spawn the real bin, which runs the compiled lib/: compile before testing.
project.testTask.prependSpawn(project.compileTask);

// Packaging a language needs its toolchain (Maven, pip with PyPI, dotnet, go); the GitHub build
// workflow packages each in its own job. Locally and in .ci/run, `package` makes the npm tarball
// only, and `bindings` generates every language's code, which needs no toolchain: an API that a
// language cannot express fails there. (projen's default runs package-all outside CI.)
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);
const bindings = project.addTask('bindings', {
  description: 'Generates the Python, Java, .NET and Go bindings (code only, no toolchain) into dist/bindings',
  exec: 'jsii-pacmak --code-only --target python --target java --target dotnet --target go --outdir dist/bindings',
});
const pythonSyntax = project.addTask('bindings:python-syntax', {
  description: 'Byte-compiles the generated Python, when python3 is installed',
  condition: 'python3 --version',
  exec: 'python3 -m compileall -q dist/bindings/python/src',
});
bindings.spawn(pythonSyntax);

// The README's TypeScript blocks and the `@example` blocks of the doc comments, translated to
// Python, Java, C# and Go by jsii-rosetta in strict mode: a block that does not compile, or uses
// what rosetta cannot translate (an arrow function, `?:`, `continue`), fails. Fixtures are
// rosetta/*.ts-fixture (`ts fixture=stack` in a fence). Rosetta reads the README and the doc
// comments from .jsii, so it runs on a compiled tree (build-tools/rosetta-directory.ts says when
// .jsii is older than them), and compiles the blocks in dist/rosetta, an app directory that this
// script prepares: no npm install runs. (Rosetta then warns about "packages ... missing from
// supplied directory" with an empty list: nothing is missing.)
project.gitignore.addPatterns('/.jsii.tabl.json');
const rosetta = project.addTask('rosetta', {
  description: 'Translates the README\'s TypeScript blocks and the @example blocks with jsii-rosetta, strict (after compile)',
});
rosetta.exec('ts-node --transpile-only build-tools/rosetta-directory.ts');
rosetta.exec('jsii-rosetta extract --strict --directory dist/rosetta .jsii');

project.addTask('example', {
  description: 'Runs the example app through the real CDK CLI: unpinned images must fail synth, pinned ones must pass',
  exec: 'ts-node --transpile-only examples/run-example.ts',
});

const bench = project.addTask('bench', {
  description: 'Benchmarks synthesis with and without each front door, the command-line scanner, verify against a local registry and the account audit',
  exec: 'ts-node --transpile-only bench/run-bench.ts',
});
bench.exec('ts-node --transpile-only bench/scan-bench.ts');
bench.exec('ts-node --transpile-only bench/verify-bench.ts');
bench.exec('ts-node --transpile-only bench/audit-bench.ts');
bench.exec('ts-node --transpile-only bench/audit-report-bench.ts');

// Big and hostile inputs (a 100 MB template, deep documents): minutes and memory, so not in `bench`.
project.addTask('bench:hostile', {
  description: 'Benchmarks the scanner on big and hostile inputs (size limits, deep documents), with peak memory',
  exec: 'ts-node --transpile-only bench/scan-hostile.ts',
});

project.synth();
