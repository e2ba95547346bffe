import { IConstruct } from 'constructs';

/**
 * Options of an exemption from image pinning.
 */
export interface ImagePinningExemptionProps {
  /**
   * Why the images under this scope need not be pinned. Shown to reviewers in an info annotation.
   */
  readonly reason: string;

  /**
   * The last day the exemption applies, as `YYYY-MM-DD` (UTC). From the day after, the findings
   * are errors again and say that the exemption expired.
   *
   * @default - the exemption does not expire
   */
  readonly expires?: string;
}

/** An exemption as stored on its scope. */
export interface Exemption {
  readonly reason: string;
  readonly expires?: string;
  /** The construct path of the exempted scope. */
  readonly scopePath: string;
}

/** What an exemption does to one finding. */
export type ExemptionOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'exempted'; readonly exemption: Exemption }
  | { readonly kind: 'expired'; readonly exemption: Exemption };

/**
 * Stored on the construct itself under a global symbol, so that any copy of this library in an
 * app (and every front door: the Aspect, the cdk-nag pack, the validation plugin) finds it.
 */
const EXEMPTION = Symbol.for('cdk-image-pinning.exemption');
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Records an exemption on a scope, after checking its options. */
export function addExemption(scope: IConstruct, props: ImagePinningExemptionProps): void {
  if (!props || typeof props.reason !== 'string' || props.reason.trim().length === 0) {
    throw new Error(`ImagePinning.exempt(${scope.node.path || '<root>'}): reason is required and must say why the images need not be pinned`);
  }
  if (props.expires !== undefined && !isCalendarDate(props.expires)) {
    throw new Error(
      `ImagePinning.exempt(${scope.node.path || '<root>'}): expires must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(props.expires)}`,
    );
  }
  const exemption: Exemption = { reason: props.reason.trim(), expires: props.expires, scopePath: scope.node.path || '<root>' };
  Object.defineProperty(scope, EXEMPTION, { value: exemption, configurable: true, enumerable: false, writable: true });
}

/**
 * The exemption that applies to `construct`: the nearest one in force on it or an ancestor, or
 * else the nearest expired one (so the error can say it expired).
 */
export function exemptionOutcome(construct: IConstruct, today: string = todayUtc()): ExemptionOutcome {
  let expired: Exemption | undefined;
  for (const scope of [...construct.node.scopes].reverse()) {
    const exemption = (scope as unknown as Record<symbol, Exemption | undefined>)[EXEMPTION];
    if (!exemption) continue;
    if (exemption.expires === undefined || exemption.expires >= today) {
      return { kind: 'exempted', exemption };
    }
    expired ??= exemption;
  }
  return expired ? { kind: 'expired', exemption: expired } : { kind: 'none' };
}

/** The message of an exempted finding, for the info annotation reviewers read. */
export function exemptedMessage(findingMessage: string, exemption: Exemption): string {
  const until = exemption.expires ? ` until ${exemption.expires}` : '';
  return `Exempted${until} by ImagePinning.exempt on ${exemption.scopePath} (reason: ${exemption.reason}): ${findingMessage}`;
}

/** The message of a finding whose exemption expired. */
export function expiredMessage(findingMessage: string, exemption: Exemption): string {
  return `${findingMessage} (The exemption on ${exemption.scopePath} expired on ${exemption.expires}; reason given: ${exemption.reason})`;
}

function isCalendarDate(value: unknown): boolean {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
