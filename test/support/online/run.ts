import { spawn } from 'child_process';
import { BIN, CliRun, FIXTURES } from '../../cli/cli-process';

/**
 * Runs the real bin as a process, without blocking the test process: the loopback servers of
 * the test support (the misbehaving registry, the fake AWS endpoint) live in this process and
 * must keep answering while the command runs. Colour variables are removed, as `runCli` does.
 */
export function runCliAsync(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliRun> {
  // An undefined value removes the variable (as the fake AWS endpoint's environment asks).
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries({ ...process.env, ...options.env }).filter(([, v]) => v !== undefined));
  if (!options.env?.NO_COLOR) delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? FIXTURES, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
