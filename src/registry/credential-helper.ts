import { spawn } from 'child_process';
import { Credential } from './credential';

/**
 * Docker credential helpers (docker/docker-credential-helpers): run `docker-credential-<name> get`,
 * write the server on stdin, read `{"ServerURL": "...", "Username": "...", "Secret": "..."}` on
 * stdout. `Username: "<token>"` means the secret is an identity token. A helper that has nothing
 * for the server exits non-zero and prints `credentials not found in native keychain`.
 */

/** What a helper answered. */
export type HelperAnswer =
  | { readonly type: 'found'; readonly credential: Credential }
  | { readonly type: 'not-found' }
  | { readonly type: 'failed'; readonly problem: string };

/** The user name a helper gives for an identity token. */
export const IDENTITY_TOKEN_USERNAME = '<token>';
/** Longest helper output read. */
const MAX_OUTPUT = 64 * 1024;
/** The helper protocol's "nothing stored" message. */
const NOT_FOUND = /credentials not found/i;

export interface HelperOptions {
  /** Time the helper may take. @default 15000 */
  readonly timeoutMs?: number;
  /** The helper's environment (its PATH decides which helper runs). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Asks `docker-credential-<helper>` for the credential of `serverUrl`. Never throws; a problem
 * never quotes the helper's stdout (it may hold the secret).
 */
export function runCredentialHelper(helper: string, serverUrl: string, options: HelperOptions = {}): Promise<HelperAnswer> {
  const program = `docker-credential-${helper}`;
  if (!/^[A-Za-z0-9._-]+$/.test(helper)) {
    return Promise.resolve({ type: 'failed', problem: `credential helper name ${JSON.stringify(helper)} is not a program name` });
  }
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (answer: HelperAnswer) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(answer);
      }
    };
    const child = spawn(program, ['get'], { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ type: 'failed', problem: `${program} get did not answer within ${options.timeoutMs ?? 15_000} ms` });
    }, options.timeoutMs ?? 15_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout = (stdout + chunk).slice(0, MAX_OUTPUT);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(0, MAX_OUTPUT);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish({
        type: 'failed',
        problem: e.code === 'ENOENT' ? `${program} is not on the PATH (the Docker config names it)` : `${program} could not run: ${e.code ?? e.message}`,
      });
    });
    child.on('close', (code) => {
      if (code !== 0) {
        if (NOT_FOUND.test(stdout) || NOT_FOUND.test(stderr)) {
          finish({ type: 'not-found' });
        } else {
          finish({ type: 'failed', problem: `${program} get exited with ${code}: ${firstLine(stderr) || 'no message'}` });
        }
        return;
      }
      finish(parseHelperOutput(program, stdout));
    });
    child.stdin.on('error', () => undefined); // a helper that exits before reading stdin: 'close' reports it
    child.stdin.end(serverUrl);
  });
}

function parseHelperOutput(program: string, stdout: string): HelperAnswer {
  let json: { Username?: unknown; Secret?: unknown };
  try {
    json = JSON.parse(stdout);
  } catch {
    return { type: 'failed', problem: `${program} get printed something that is not JSON` };
  }
  if (typeof json.Secret !== 'string' || json.Secret === '') {
    return { type: 'not-found' };
  }
  if (json.Username === IDENTITY_TOKEN_USERNAME) {
    return { type: 'found', credential: { kind: 'identity-token', token: json.Secret } };
  }
  return { type: 'found', credential: { kind: 'basic', username: typeof json.Username === 'string' ? json.Username : '', password: json.Secret } };
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0].slice(0, 200);
}
