import { Outcome } from '../check/outcome';

/**
 * How each output shows an outcome: the one mapping from outcome to level, for annotations,
 * cdk-nag, validation plugin reports, the CLI's table and SARIF.
 */

/** The annotation the Aspect adds: errors fail synthesis; exemptions and acknowledgements are shown as info. */
export function annotationLevel(outcome: Outcome): 'error' | 'warning' | 'info' | undefined {
  switch (outcome.kind) {
    case 'reported':
      return outcome.level;
    case 'exempted':
    case 'acknowledged':
      return 'info';
    default:
      return undefined;
  }
}

/** The severity of a validation plugin violation, or of a finding in the CLI's reports; undefined: not a violation. */
export function violationSeverity(outcome: Outcome): 'error' | 'warning' | undefined {
  return outcome.kind === 'reported' ? outcome.level : undefined;
}

/** The cdk-nag level (a key of cdk-nag's `NagMessageLevel`); undefined: no rule violation to report. */
export function nagLevel(outcome: Outcome): 'ERROR' | 'WARN' | undefined {
  const severity = violationSeverity(outcome);
  return severity === 'error' ? 'ERROR' : severity === 'warning' ? 'WARN' : undefined;
}

/** SARIF `level` and `kind`: failures are `fail`; compliant images `pass`; unreported ones `review`. */
export function sarifResult(outcome: Outcome): { readonly level: 'error' | 'warning' | 'none'; readonly kind: 'fail' | 'pass' | 'review' } {
  const severity = violationSeverity(outcome);
  if (severity) {
    return { level: severity, kind: 'fail' };
  }
  return { level: 'none', kind: outcome.kind === 'compliant' ? 'pass' : 'review' };
}
