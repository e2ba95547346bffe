/**
 * The one door every AWS call of the audit goes through: it bounds concurrency (one limiter for
 * the whole run), counts calls and retries per operation, and turns a failed call into an
 * {@link AuditError} on the scope it was made for, so the caller goes on with the rest.
 */
import { AuditError, AuditService, CallCounts } from './model';
import { AuditOperation } from './operations';
import { describeAwsError, Redactor } from '../aws/aws-error';
import { Limiter } from '../aws/limiter';

/** Where a call belongs: its account and region, and where its failures and counts go. */
export class CallScope {
  public readonly errors: AuditError[] = [];
  public readonly calls: CallCounts = {};
  private readonly succeeded: Partial<Record<string, number>> = {};
  private readonly failed: Partial<Record<string, number>> = {};

  constructor(public readonly account?: string, public readonly region?: string) {}

  /** Records the outcome of one call of a service. */
  public tally(service: string, ok: boolean) {
    const counts = ok ? this.succeeded : this.failed;
    counts[service] = (counts[service] ?? 0) + 1;
  }

  /** `complete`, `partial` or `failed` for one service from the calls made in this scope. */
  public status(service: AuditService): 'complete' | 'partial' | 'failed' {
    if (!this.failed[service]) return 'complete';
    return this.succeeded[service] ? 'partial' : 'failed';
  }
}

export interface CallOptions {
  /** What the call is about, for the error (a cluster ARN, a function name). */
  readonly resource?: string;
  /** Error codes that are not failures of the audit (a resource deleted between list and describe). */
  readonly ignore?: readonly string[];
  /**
   * Do not wait for a slot. For the calls the SDK makes from inside another call (renewing an
   * assumed role's credentials): waiting there for a slot that call holds could wait forever.
   */
  readonly unbounded?: boolean;
}

/** The SDK's response metadata, the only part of a response read here. */
interface WithMetadata {
  readonly $metadata?: { readonly attempts?: number };
}

export class ApiCalls {
  /** Calls per operation over the run. */
  public readonly calls: CallCounts = {};
  /** Retries per operation over the run. */
  public readonly retries: CallCounts = {};
  /** Called after each call, for progress. */
  public onCall?: () => void;

  constructor(private readonly limiter: Limiter, public readonly redactor: Redactor) {}

  /** The total number of calls made so far. */
  public get total(): number {
    return Object.values(this.calls).reduce((a, b) => a + b, 0);
  }

  /**
   * Makes one call when a slot is free. Resolves to its response, or to `undefined` when it failed
   * (the failure is recorded on `scope`, or ignored when its code is in `options.ignore`).
   */
  public async send<T extends WithMetadata>(
    scope: CallScope,
    operation: AuditOperation,
    call: () => Promise<T>,
    options: CallOptions = {},
  ): Promise<T | undefined> {
    const service = operation.slice(0, operation.indexOf(':'));
    const run = async () => {
      this.count(this.calls, operation);
      this.count(scope.calls, operation);
      try {
        const response = await call();
        this.count(this.retries, operation, (response.$metadata?.attempts ?? 1) - 1);
        scope.tally(service, true);
        return response;
      } catch (error) {
        const info = describeAwsError(error, this.redactor);
        this.count(this.retries, operation, (info.attempts ?? 1) - 1);
        if (options.ignore?.includes(info.code)) {
          scope.tally(service, true);
          return undefined;
        }
        scope.tally(service, false);
        scope.errors.push({
          ...(scope.account ? { account: scope.account } : {}),
          ...(scope.region ? { region: scope.region } : {}),
          operation,
          code: info.code,
          message: info.message,
          ...(options.resource ? { resource: options.resource } : {}),
          throttled: info.throttled,
        });
        return undefined;
      } finally {
        this.onCall?.();
      }
    };
    return options.unbounded ? run() : this.limiter.run(run);
  }

  /** Records a `failures[]` entry of a batch describe call (a reason such as `MISSING`). */
  public failure(scope: CallScope, operation: AuditOperation, arn: string | undefined, reason: string | undefined, detail?: string) {
    scope.errors.push({
      ...(scope.account ? { account: scope.account } : {}),
      ...(scope.region ? { region: scope.region } : {}),
      operation,
      code: reason ?? 'Failure',
      message: this.redactor.redact(detail ? `${reason}: ${detail}` : reason ?? 'failed'),
      ...(arn ? { resource: arn } : {}),
      throttled: false,
    });
    scope.tally(operation.slice(0, operation.indexOf(':')), false);
  }

  private count(counts: CallCounts, operation: string, n = 1) {
    if (n > 0) counts[operation] = (counts[operation] ?? 0) + n;
  }
}
