import { InvalidArgumentError } from 'commander';
import { RegistryClientOptions } from '../../registry/registry-client';

/**
 * The registry options of the online commands (`verify`, `lock`), as commander parses them, and
 * the registry client options they make. Shapes are checked as each value is read; a mirror the
 * client refuses (plain HTTP to a host that is neither loopback nor insecure) is a usage error
 * when the client is built.
 */
export interface RegistryFlags {
  readonly registryMirror?: string[];
  readonly insecureRegistry?: string[];
  readonly concurrency?: number;
  /** Seconds per request attempt. */
  readonly timeout?: number;
}

/** The client's own default per registry host, kept unless `--concurrency` is lower. */
const PER_HOST = 6;
const MAX_CONCURRENCY = 256;

/** `--registry-mirror HOST=URL`, repeatable. */
export function collectMirror(value: string, previous: string[] | undefined): string[] {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) {
    throw new InvalidArgumentError('write HOST=URL, e.g. docker.io=https://mirror.example.com');
  }
  try {
    new URL(value.slice(eq + 1).trim());
  } catch {
    throw new InvalidArgumentError(`${JSON.stringify(value.slice(eq + 1))} is not a URL; write HOST=URL, e.g. docker.io=https://mirror.example.com`);
  }
  return [...(previous ?? []), value];
}

/** `--insecure-registry HOST`, repeatable: `host` or `host:port`, no scheme. */
export function collectInsecure(value: string, previous: string[] | undefined): string[] {
  if (!/^[A-Za-z0-9.-]+(?::\d+)?$|^\[[0-9A-Fa-f:.]+\](?::\d+)?$/.test(value)) {
    throw new InvalidArgumentError('write a host or host:port, without a scheme, e.g. registry.internal:5000');
  }
  return [...(previous ?? []), value];
}

/** `--concurrency <n>`: registry requests in flight at once, 1 to 256. */
export function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_CONCURRENCY) {
    throw new InvalidArgumentError(`write a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  return n;
}

/** `--timeout <seconds>`: time for one request attempt, e.g. `30` or `2.5`. */
export function parseTimeout(value: string): number {
  const n = Number(value);
  if (!/^\d+(?:\.\d+)?$/.test(value) || n <= 0 || n > 3600) {
    throw new InvalidArgumentError('write a number of seconds greater than 0 and at most 3600, e.g. 30 or 2.5');
  }
  return n;
}

/** The registry client options the flags ask for. */
export function registryClientOptions(flags: RegistryFlags, env: NodeJS.ProcessEnv): RegistryClientOptions {
  return {
    env,
    registryMirrors: flags.registryMirror ?? [],
    insecureRegistries: flags.insecureRegistry ?? [],
    ...(flags.concurrency !== undefined ? { maxConcurrency: flags.concurrency, maxConcurrencyPerHost: Math.min(flags.concurrency, PER_HOST) } : {}),
    ...(flags.timeout !== undefined ? { timeoutMs: Math.round(flags.timeout * 1000) } : {}),
  };
}
