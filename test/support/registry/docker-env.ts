import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A throwaway Docker client environment: a `DOCKER_CONFIG` folder with a config.json, and real
 * credential helper programs (`docker-credential-<name>`, small shell scripts speaking the helper
 * protocol) on a PATH of their own. Nothing here touches the user's ~/.docker.
 */
export interface DockerEnv {
  readonly dir: string;
  readonly configFile: string;
  /** Environment with DOCKER_CONFIG and a PATH that has the helpers first. */
  readonly env: NodeJS.ProcessEnv;
  /** Where each helper logs the server it was asked for, one line a call. */
  helperCalls(name: string): string[];
  remove(): void;
}

export interface HelperScript {
  /** `docker-credential-<name>` */
  readonly name: string;
  /** Server URL to the JSON the helper prints for it; any other server gets "credentials not found". */
  readonly answers?: Readonly<Record<string, { readonly Username: string; readonly Secret: string }>>;
  /** Instead of answering: exit with this code and this stderr. */
  readonly fail?: { readonly code: number; readonly stderr: string };
  /** Sleep this long before answering (seconds). */
  readonly sleepSeconds?: number;
}

export function dockerEnv(config: object, helpers: readonly HelperScript[] = []): DockerEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-pinning-docker-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const configFile = path.join(dir, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify(config));
  for (const helper of helpers) {
    const log = path.join(dir, `${helper.name}.calls`);
    const cases = Object.entries(helper.answers ?? {})
      .map(([server, answer]) => `  ${shellQuote(server)}) printf '%s' ${shellQuote(JSON.stringify({ ServerURL: server, ...answer }))} ;;`)
      .join('\n');
    const script = [
      '#!/bin/sh',
      '[ "$1" = get ] || exit 3',
      'read -r server',
      `printf '%s\\n' "$server" >> ${shellQuote(log)}`,
      helper.sleepSeconds ? `sleep ${helper.sleepSeconds}` : '',
      helper.fail ? `echo ${shellQuote(helper.fail.stderr)} >&2; exit ${helper.fail.code}` : '',
      'case "$server" in',
      cases,
      '  *) echo "credentials not found in native keychain"; exit 1 ;;',
      'esac',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(bin, `docker-credential-${helper.name}`), script, { mode: 0o755 });
  }
  return {
    dir,
    configFile,
    env: { ...process.env, DOCKER_CONFIG: dir, PATH: `${bin}:${process.env.PATH}` },
    helperCalls: (name) => {
      const file = path.join(dir, `${name}.calls`);
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** `auth` as config.json writes it. */
export function basicAuth(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`).toString('base64');
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}
