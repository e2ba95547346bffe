import { IConstruct } from 'constructs';
import { Exemption, Waivers } from '../check/outcome';

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
export function exemptionFor(construct: IConstruct, today: string = todayUtc()): Waivers['exemption'] {
  let expired: Exemption | undefined;
  for (const scope of [...construct.node.scopes].reverse()) {
    const exemption = (scope as unknown as Record<symbol, Exemption | undefined>)[EXEMPTION];
    if (!exemption) continue;
    if (exemption.expires === undefined || exemption.expires >= today) {
      return { inForce: true, exemption };
    }
    expired ??= exemption;
  }
  return expired ? { inForce: false, exemption: expired } : undefined;
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
