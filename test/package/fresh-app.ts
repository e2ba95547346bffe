import { execFileSync, spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Fresh npm projects that install the packed tarball, as a user would: `npm install <tarball>
 * aws-cdk-lib constructs [cdk-nag]`, then run test/package/user-app.js in them. The installs use
 * the user's npm cache (shared with `npm ci`), offline where it can.
 */

const ROOT = path.join(__dirname, '..', '..');
const MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** Installing aws-cdk-lib takes 5 to 10 s from a warm cache; allow a cold one. */
export const INSTALL_TIMEOUT = 300_000;

/** The versions of the peers this package is compiled and tested against. */
export const AWS_CDK_LIB = `aws-cdk-lib@${MANIFEST.devDependencies['aws-cdk-lib']}`;
export const CONSTRUCTS = `constructs@${MANIFEST.devDependencies.constructs}`;

/** Violations in aws-cdk-lib's validation report (`<plugin> <severity> <rule>`), exit code it set. */
export interface PluginResult {
  readonly violations: string[];
  readonly exitCode: number;
}

/** What user-app.js prints. */
export interface FreshAppResult {
  readonly exports: string[];
  /** Error annotations of the Aspect: `<construct path> <message>`. */
  readonly aspect: string[];
  readonly validator: PluginResult;
  /** The pack's result, or the error constructing it. */
  readonly pack: Partial<PluginResult> & { readonly error?: { name: string; message: string; stack: string } };
  readonly cdkNag2Pack?: string[];
}

export interface FreshApp {
  readonly dir: string;
  /** Whether npm installed a package (at the top level of node_modules) and its version. */
  installedVersion(name: string): string | undefined;
  /** Runs user-app.js. */
  run(...args: string[]): FreshAppResult;
  /** Runs the package's command-line scanner. */
  cli(...args: string[]): SpawnSyncReturns<string>;
  /** Type-checks a TypeScript file with the settings of `cdk init app --language typescript`. */
  typecheck(source: string, compilerOptions?: Record<string, unknown>): SpawnSyncReturns<string>;
}

/** The environment of a command run in a fresh app: none of the npm variables of `npm test`. */
function freshEnv(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(cache|userconfig|globalconfig|cafile|registry|.*proxy)$/i;
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !(key === 'INIT_CWD' || (/^npm_/i.test(key) && !keep.test(key)))),
  );
}

/** The package packed from the compiled lib/ (`npm pack`, about 1 s) into `work`. */
function packedTarball(work: string): string {
  for (const built of ['lib/index.js', '.jsii']) {
    if (!fs.existsSync(path.join(ROOT, built))) {
      throw new Error(`${built} is missing: compile first (npx projen compile)`);
    }
  }
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: ROOT, env: freshEnv(), encoding: 'utf8' });
  return path.join(work, out.trim().split('\n').pop()!);
}

/**
 * Installs the packed package and `packages` into a new npm project under the OS temp directory.
 * Call from `beforeAll` with INSTALL_TIMEOUT; `remove` deletes it.
 */
export function installFreshApp(name: string, packages: string[]): FreshApp & { remove(): void } {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `cdk-image-pinning-${name}-`));
  const dir = path.join(work, 'app');
  fs.mkdirSync(dir);
  // What `npm init -y` writes, without the user's npm-init defaults.
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `fresh-${name}`, version: '1.0.0', private: true }));
  const install = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', packedTarball(work), ...packages],
    { cwd: dir, env: freshEnv(), encoding: 'utf8' },
  );
  if (install.status !== 0) {
    throw new Error(`npm install in ${dir} failed (${install.status}):\n${install.stdout}\n${install.stderr}`);
  }
  fs.copyFileSync(path.join(__dirname, 'user-app.js'), path.join(dir, 'user-app.js'));

  const spawn = (command: string, args: string[]) => spawnSync(command, args, { cwd: dir, env: freshEnv(), encoding: 'utf8' });
  return {
    dir,
    installedVersion(pkg) {
      const manifest = path.join(dir, 'node_modules', pkg, 'package.json');
      return fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, 'utf8')).version : undefined;
    },
    run(...args) {
      const result = spawn(process.execPath, ['user-app.js', ...args]);
      if (result.status !== 0) {
        throw new Error(`user-app.js failed (${result.status}):\n${result.stderr}`);
      }
      return JSON.parse(result.stdout);
    },
    cli(...args) {
      return spawn(process.execPath, [path.join(dir, 'node_modules', 'cdk-image-pinning', 'bin', 'cdk-image-pinning'), ...args]);
    },
    typecheck(source, compilerOptions = {}) {
      fs.writeFileSync(path.join(dir, 'app.ts'), source);
      fs.writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          // The tsconfig.json of `cdk init app --language typescript` (aws-cdk 2.1148), without
          // the jest and node types, which a fresh app does not have.
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            lib: ['es2022'],
            strict: true,
            noImplicitReturns: true,
            strictPropertyInitialization: false,
            skipLibCheck: true,
            noEmit: true,
            isolatedModules: true,
            types: [],
            ...compilerOptions,
          },
          files: ['app.ts'],
        }),
      );
      return spawn(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir]);
    },
    remove() {
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

/** The app the typecheck compiles: the Aspect and the plugin, the imports a README reader writes. */
export const TYPESCRIPT_APP = `
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ImagePinning, ImagePinningValidator, PinningLevel } from 'cdk-image-pinning';

const app = new App();
new ecs.FargateTaskDefinition(new Stack(app, 'S'), 'Task').addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.3') });
ImagePinning.enforce(app);
Validations.of(app).addPlugins(new ImagePinningValidator({ level: PinningLevel.DIGEST }));
`;
