/**
 * STS for the fake endpoint (awsQuery): `GetCallerIdentity` and `AssumeRole`, and the identities
 * behind access keys. AssumeRole issues temporary credentials (`ASIA...` with a session token)
 * that the endpoint then accepts as the assumed role in the target account, and only with their
 * session token: a client that drops the token is refused as the real services refuse it.
 */
import { randomBytes } from 'node:crypto';
import { CALLER_ACCESS_KEY_ID, FakeAws } from './fake-account';
import { ApiError } from './protocol';

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export interface Identity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
  readonly sessionToken?: string;
  readonly expiresAt?: number;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function randomKeyTail(length: number): string {
  return [...randomBytes(length)].map((b) => ALNUM[b % ALNUM.length]).join('');
}

/** Who each access key is: the caller, extra static keys, and every role session issued. */
export class Identities {
  private readonly byKey = new Map<string, Identity>();
  /** Every secret handed out, so tests can check none leaks into output. */
  public readonly issuedSecrets: string[] = [];
  /** The parameters of every AssumeRole request, in order (`RoleArn`, `RoleSessionName`, `ExternalId`, ...). */
  public readonly assumeRoleRequests: Array<Record<string, string>> = [];

  constructor(private readonly model: FakeAws, private readonly lifetimeSeconds: number) {
    this.byKey.set(CALLER_ACCESS_KEY_ID, this.user(model.callerAccount, model.callerUserName));
  }

  /** The identity of a request's access key and session token. */
  public identify(accessKeyId: string, sessionToken: string | undefined, now = Date.now()): Identity {
    // Extra static keys may be added to the model after the endpoint started.
    const extra = this.model.accessKeys[accessKeyId];
    if (extra && !this.byKey.has(accessKeyId)) this.byKey.set(accessKeyId, this.user(extra, `user-${accessKeyId.slice(-4).toLowerCase()}`));
    const identity = this.byKey.get(accessKeyId);
    if (!identity || identity.sessionToken !== sessionToken) {
      throw new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
    }
    if (identity.expiresAt !== undefined && identity.expiresAt <= now) {
      throw new ApiError('ExpiredTokenException', 'The security token included in the request is expired', 400);
    }
    return identity;
  }

  public getCallerIdentity(identity: Identity) {
    return { UserId: identity.userId, Account: identity.account, Arn: identity.arn };
  }

  public assumeRole(caller: Identity, params: URLSearchParams) {
    this.assumeRoleRequests.push(Object.fromEntries([...params].filter(([k]) => k !== 'Action' && k !== 'Version')));
    const roleArn = params.get('RoleArn') ?? '';
    const sessionName = params.get('RoleSessionName') ?? '';
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
      throw new ApiError('ValidationError', `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint`, 400);
    }
    const match = /^arn:([\w-]+):iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/.exec(roleArn);
    const account = match ? this.model.accounts[match[2]] : undefined;
    if (!match || match[1] !== this.model.partition || !account || !account.roles.includes(match[3])) {
      throw new ApiError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
    }
    const duration = Number(params.get('DurationSeconds') ?? 3600);
    const lifetime = Math.min(duration, this.lifetimeSeconds);
    const accessKeyId = `ASIA${randomKeyTail(16)}`;
    const secretAccessKey = randomBytes(30).toString('base64');
    const sessionToken = randomBytes(96).toString('base64');
    const expiresAt = Date.now() + lifetime * 1000;
    const roleId = `AROA${randomKeyTail(17)}`;
    const assumedArn = `arn:${this.model.partition}:sts::${match[2]}:assumed-role/${match[3]}/${sessionName}`;
    this.byKey.set(accessKeyId, { account: match[2], arn: assumedArn, userId: `${roleId}:${sessionName}`, sessionToken, expiresAt });
    this.issuedSecrets.push(secretAccessKey, sessionToken);
    return {
      Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, SessionToken: sessionToken, Expiration: new Date(expiresAt) },
      AssumedRoleUser: { AssumedRoleId: `${roleId}:${sessionName}`, Arn: assumedArn },
      PackedPolicySize: 0,
    };
  }

  private user(account: string, name: string): Identity {
    return { account, arn: `arn:${this.model.partition}:iam::${account}:user/${name}`, userId: `AIDA${randomKeyTail(17)}` };
  }
}
