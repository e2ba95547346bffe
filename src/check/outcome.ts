import { ImageVerdict, PinningReason } from '../policy/image-verdict';
import { UnlockedImageAction, UnresolvedImageAction } from '../policy/pinning-level';

/**
 * What becomes of a finding: the one decision every front door and every output switches on.
 * The check decides it from the verdict and the policy; a front door with a construct tree
 * decides it again with the exemption and acknowledgement that apply there, through the same
 * function.
 */

/** What the options say to do with the findings that are not errors of their own accord. */
export interface ReportActions {
  readonly unresolvedImages: UnresolvedImageAction;
  readonly unlockedImages: UnlockedImageAction;
}

/** The level a finding is reported at. */
export type ReportLevel = 'error' | 'warning';

/** An exemption (`ImagePinning.exempt`), as data. */
export interface Exemption {
  readonly reason: string;
  /** The last day it applies, `YYYY-MM-DD` (UTC). */
  readonly expires?: string;
  /** The construct path of the exempted scope. */
  readonly scopePath: string;
}

/** What waives a finding, where the finding is placed. */
export interface Waivers {
  /** The exemption in force, or the expired one (so the error can say it expired). */
  readonly exemption?: { readonly inForce: boolean; readonly exemption: Exemption };
  /** The reason given, when the finding id was acknowledged. */
  readonly acknowledgedReason?: string;
}

export type Outcome =
  /** The image is pinned (or allowed). */
  | { readonly kind: 'compliant' }
  /** Not pinned, but the policy says not to report it (`unresolvedImages: IGNORE`). */
  | { readonly kind: 'ignored' }
  /** Reported at a level; with the exemption that no longer applies, if one expired. */
  | { readonly kind: 'reported'; readonly level: ReportLevel; readonly expiredExemption?: Exemption }
  /** Would be reported at `level`, but an exemption in force covers it. */
  | { readonly kind: 'exempted'; readonly level: ReportLevel; readonly exemption: Exemption }
  /** Would be reported at `level`, but its finding id was acknowledged. */
  | { readonly kind: 'acknowledged'; readonly level: ReportLevel; readonly reason: string; readonly expiredExemption?: Exemption };

/**
 * The outcome of one verdict: compliant; else the level the options give it (unresolved images
 * follow `unresolvedImages`, images missing from the lock file `unlockedImages`, everything else is
 * an error); then an exemption in force, else an acknowledgement, waives it.
 */
export function decideOutcome(verdict: ImageVerdict, actions: ReportActions, waivers: Waivers = {}): Outcome {
  if (verdict.compliant) {
    return COMPLIANT;
  }
  const level = levelOf(verdict, actions);
  if (level === undefined) {
    return IGNORED;
  }
  const exemption = waivers.exemption;
  if (exemption?.inForce) {
    return { kind: 'exempted', level, exemption: exemption.exemption };
  }
  const expiredExemption = exemption?.exemption;
  if (waivers.acknowledgedReason !== undefined) {
    return { kind: 'acknowledged', level, reason: waivers.acknowledgedReason, expiredExemption };
  }
  if (!expiredExemption) {
    return level === 'error' ? ERROR : WARNING;
  }
  return { kind: 'reported', level, expiredExemption };
}

/** Whether the outcome is reported as an error or a warning (and so fails or warns). */
export function reportedLevel(outcome: Outcome): ReportLevel | undefined {
  return outcome.kind === 'reported' ? outcome.level : undefined;
}

function levelOf(verdict: ImageVerdict, actions: ReportActions): ReportLevel | undefined {
  const action =
    verdict.reason === PinningReason.UNRESOLVED ? actions.unresolvedImages
      : verdict.reason === PinningReason.NOT_LOCKED ? actions.unlockedImages
        : 'ERROR';
  switch (action) {
    case 'ERROR':
      return 'error';
    case 'IGNORE':
      return undefined;
    default:
      return 'warning';
  }
}

// Shared instances for the common outcomes: most findings are one of these.
const COMPLIANT: Outcome = { kind: 'compliant' };
const IGNORED: Outcome = { kind: 'ignored' };
const ERROR: Outcome = { kind: 'reported', level: 'error' };
const WARNING: Outcome = { kind: 'reported', level: 'warning' };
