import { spawnSync } from 'child_process';
import * as path from 'path';
import { ensureRegistryTools, INSTALL_COMMAND, INSTALL_TIMEOUT_MS, missingTools } from '../support/registry/tools';

/** The test setup's install step: the registry tests never skip for a missing tool. */

test('after the setup, docker-registry, htpasswd and openssl are on the PATH', () => {
  ensureRegistryTools();
  expect(missingTools()).toEqual([]);
}, INSTALL_TIMEOUT_MS);

test('where the tools are missing and cannot be installed, the setup fails naming the one command to run', () => {
  const script = `require(${JSON.stringify(path.join(__dirname, '..', 'support', 'registry', 'tools.ts'))}).ensureRegistryTools()`;
  const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, PATH: '/nonexistent' }, // no tools, no apt-get, no shell
    timeout: 60_000,
  });
  expect(child.status).not.toBe(0);
  expect(child.stderr).toContain(`run \`${INSTALL_COMMAND}\``);
  expect(INSTALL_COMMAND).toBe('sudo apt-get install -y docker-registry apache2-utils openssl');
});
