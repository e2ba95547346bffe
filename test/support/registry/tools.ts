import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The programs the registry tests run: Debian's `docker-registry` (CNCF distribution 2.8),
 * `htpasswd` (apache2-utils, for bcrypt password files) and `openssl` (certificates).
 *
 * On a fresh machine they may be missing. As root with apt-get (the machines here and CI), the
 * test setup installs them; anywhere else it fails naming the one command to run. A registry test
 * is never skipped: a missing tool is a failure.
 */

const PACKAGES: Readonly<Record<string, string>> = {
  'docker-registry': 'docker-registry',
  'htpasswd': 'apache2-utils',
  'openssl': 'openssl',
};

/** The command that installs every tool, for the failure message. */
export const INSTALL_COMMAND = `sudo apt-get install -y ${[...new Set(Object.values(PACKAGES))].join(' ')}`;

/** jest workers install at most once at a time: apt holds a lock, and two installs would fight over it. */
const LOCK_DIR = path.join(os.tmpdir(), 'cdk-image-pinning-registry-tools.lock');
const LOCK_WAIT_MS = 10 * 60 * 1000;

/** Time for `ensureRegistryTools` in a `beforeAll` on a machine that must install (apt-get update + install). */
export const INSTALL_TIMEOUT_MS = 10 * 60 * 1000;

let ensured = false;

/**
 * Makes sure `docker-registry`, `htpasswd` and `openssl` are on the PATH, installing them with
 * apt-get when they are not and this process may.
 *
 * @throws Error naming the command to run, when they are missing and cannot be installed here
 */
export function ensureRegistryTools(): void {
  if (ensured) {
    return;
  }
  if (missingTools().length > 0) {
    withInstallLock(() => {
      const missing = missingTools();
      if (missing.length > 0) {
        install(missing);
      }
    });
  }
  const stillMissing = missingTools();
  if (stillMissing.length > 0) {
    throw new Error(`The registry tests need ${stillMissing.join(', ')}, which could not be installed here: run \`${INSTALL_COMMAND}\``);
  }
  ensured = true;
}

/** The tools not on the PATH. */
export function missingTools(): string[] {
  return Object.keys(PACKAGES).filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0);
}

function install(missing: readonly string[]): void {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    throw new Error(
      `The registry tests need ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed` +
        `${isRoot ? ' (and apt-get is not available)' : ' (and the tests do not run as root to install them)'}: run \`${INSTALL_COMMAND}\``,
    );
  }
  const packages = [...new Set(missing.map((tool) => PACKAGES[tool]))];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) =>
    spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], { env, encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS / 2 });
  // eslint-disable-next-line no-console
  console.log(`Installing ${packages.join(', ')} for the registry tests (apt-get install -y ${packages.join(' ')})`);
  let result = apt(['install', '-y', '--no-install-recommends', ...packages]);
  if (result.status !== 0) {
    // A fresh machine may have no package lists yet.
    apt(['update']);
    result = apt(['install', '-y', '--no-install-recommends', ...packages]);
  }
  if (result.status !== 0) {
    throw new Error(
      `apt-get install ${packages.join(' ')} failed (exit ${result.status}): ${(result.stderr ?? '').trim().split('\n').slice(-3).join(' ')}; ` +
        `run \`${INSTALL_COMMAND}\``,
    );
  }
}

function withInstallLock(fn: () => void): void {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw e;
      }
      if (Date.now() > deadline) {
        throw new Error(`Timed out waiting for another test worker's install (lock ${LOCK_DIR}; remove it if no install is running)`);
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    fn();
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}
