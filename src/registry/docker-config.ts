import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Credential } from './credential';
import { DOCKER_HUB } from '../reference/docker-hub';

/**
 * Docker's client configuration, `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`, read the way
 * the Docker CLI reads it (docker/cli `cli/config/configfile`, `credentials`):
 *
 *   { "auths": { "<server>": { "auth": "<base64 user:password>" | "identitytoken": "..." } },
 *     "credHelpers": { "<server>": "<helper>" },   // docker-credential-<helper>, for one registry
 *     "credsStore": "<helper>" }                   // the default helper for every registry
 *
 * Precedence: `credHelpers[server]`, then `credsStore`, then `auths[server]`. Docker Hub's server key
 * is `https://index.docker.io/v1/`. `auths` keys may be written with a scheme and a path
 * (`https://registry.example.com/v1/`): a key matches when its host part is the registry.
 */

/** Docker Hub's key in `auths`, `credHelpers` and for credential helpers. */
export const DOCKER_HUB_CONFIG_KEY = 'https://index.docker.io/v1/';

/** One `auths` entry. */
export interface DockerAuthEntry {
  readonly auth?: string;
  readonly username?: string;
  readonly password?: string;
  readonly identitytoken?: string;
  readonly registrytoken?: string;
}

/** The parts of config.json the registry client uses. */
export interface DockerConfig {
  /** The file it was read from. */
  readonly file: string;
  readonly auths: Readonly<Record<string, DockerAuthEntry>>;
  readonly credHelpers: Readonly<Record<string, string>>;
  readonly credsStore?: string;
}

/** The config file Docker reads: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigFile(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  const dir = env.DOCKER_CONFIG ? env.DOCKER_CONFIG : path.join(home, '.docker');
  return path.join(dir, 'config.json');
}

/**
 * Reads a Docker config file.
 *
 * @returns the config, undefined when the file does not exist, or a problem naming the file when it
 * cannot be read or parsed (the message never quotes the file's content: it holds secrets)
 */
export function readDockerConfig(file: string): DockerConfig | undefined | { readonly problem: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    return { problem: `cannot read the Docker config ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: `the Docker config ${file} is not valid JSON` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { problem: `the Docker config ${file} is not a JSON object` };
  }
  const config = json as Record<string, unknown>;
  return {
    file,
    auths: objectOf(config.auths) as Record<string, DockerAuthEntry>,
    credHelpers: Object.fromEntries(Object.entries(objectOf(config.credHelpers)).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
    credsStore: typeof config.credsStore === 'string' && config.credsStore !== '' ? config.credsStore : undefined,
  };
}

/** The key Docker uses for a registry in its config and with credential helpers. */
export function dockerConfigKey(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_CONFIG_KEY : registry;
}

/** The host part of a config key: scheme and path removed (docker/cli `ConvertToHostname`). */
export function convertToHostname(key: string): string {
  const withoutScheme = key.replace(/^https?:\/\//i, '');
  return withoutScheme.split('/')[0].toLowerCase();
}

/** The credential helper for a registry: `credHelpers` first, then `credsStore`. */
export function credentialHelperFor(config: DockerConfig, registry: string): { readonly helper: string; readonly from: 'credHelpers' | 'credsStore' } | undefined {
  const helper = lookupKey(config.credHelpers, registry);
  if (helper !== undefined) {
    return { helper, from: 'credHelpers' };
  }
  return config.credsStore === undefined ? undefined : { helper: config.credsStore, from: 'credsStore' };
}

/** The `auths` entry of a registry: the exact key first, then any key whose host part is the registry's. */
export function authEntryFor(config: DockerConfig, registry: string): DockerAuthEntry | undefined {
  const entry = lookupKey(config.auths, registry);
  return typeof entry === 'object' && entry !== null ? entry : undefined;
}

/** The credential an `auths` entry holds, or undefined for an empty entry (a credsStore placeholder). */
export function credentialOfAuthEntry(entry: DockerAuthEntry): Credential | undefined {
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
    return { kind: 'identity-token', token: entry.identitytoken };
  }
  if (typeof entry.registrytoken === 'string' && entry.registrytoken !== '') {
    return { kind: 'registry-token', token: entry.registrytoken };
  }
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    return undefined;
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.username !== '') {
    return { kind: 'basic', username: entry.username, password: entry.password };
  }
  return undefined;
}

function lookupKey<T>(map: Readonly<Record<string, T>>, registry: string): T | undefined {
  const key = dockerConfigKey(registry);
  if (Object.prototype.hasOwnProperty.call(map, key)) {
    return map[key];
  }
  const host = convertToHostname(key);
  for (const [candidate, value] of Object.entries(map)) {
    if (convertToHostname(candidate) === host) {
      return value;
    }
  }
  return undefined;
}

function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
