import { decideOutcome, reportedLevel } from '../../src/check/outcome';
import { ImageVerdict } from '../../src/policy/image-verdict';
import { UnlockedImageAction, UnresolvedImageAction } from '../../src/policy/pinning-level';

/** How a verdict is reported with no waivers: 'error', 'warning' or 'none' (the check's outcome.ts decides). */
export function reportedAs(verdict: ImageVerdict, unresolvedImages = UnresolvedImageAction.WARN): 'error' | 'warning' | 'none' {
  return reportedLevel(decideOutcome(verdict, { unresolvedImages, unlockedImages: UnlockedImageAction.WARN })) ?? 'none';
}
