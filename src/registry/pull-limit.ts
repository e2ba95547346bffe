import { parseRegistryErrors } from './registry-errors';
import { HttpAnswer } from './transport';
import { DOCKER_HUB } from '../reference/docker-hub';

/**
 * Docker Hub's pull rate limit. A 429 from Docker Hub whose body says `TOOMANYREQUESTS` ("You have
 * reached your pull rate limit") or whose `ratelimit-remaining` header is 0 (HEAD answers have no
 * body) will not clear for hours: retrying only spends the next window. So it is final: no retry,
 * no further pulls from Docker Hub in this run, and one notice listing what was not verified.
 * Other registries' 429s are throttling, retried as `Retry-After` says.
 */

/** Is this answer Docker Hub reporting its pull limit? */
export function isDockerHubPullLimit(registry: string, answer: HttpAnswer): boolean {
  if (registry !== DOCKER_HUB || answer.status !== 429) {
    return false;
  }
  if (/^\s*0\s*(;|$)/.test(answer.headers.get('ratelimit-remaining') ?? '')) {
    return true;
  }
  return parseRegistryErrors(answer.body).some((e) => e.code === 'TOOMANYREQUESTS');
}

/** One registry's pull limit in this run, and the references it left unverified. */
export interface PullLimitNotice {
  readonly registry: string;
  /** The references not verified because of it, in the order they were asked. */
  readonly references: readonly string[];
  /** One message for the run: what was not verified and what to do. */
  readonly message: string;
}

/** The notice's message. */
export function pullLimitMessage(registry: string, references: readonly string[]): string {
  const shown = references.slice(0, 10).join(', ');
  const more = references.length > 10 ? ` and ${references.length - 10} more` : '';
  const count = `${references.length} image${references.length === 1 ? '' : 's'}`;
  return (
    `Docker Hub's pull rate limit was reached (429 TOOMANYREQUESTS from ${registry}): ${count} not verified: ${shown}${more}. ` +
    'Nothing more was pulled from Docker Hub in this run. Log in (`docker login`) for a higher limit, or run again later.'
  );
}
