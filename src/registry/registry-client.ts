import { AuthOptions, Authenticator } from './authenticator';
import { CredentialSource } from './credential';
import { isSha256Digest, sha256Digest } from './digest';
import { DockerCredentialSource } from './docker-credentials';
import { EcrCredentialSource, EcrTokenSource, SdkEcrTokenSource } from './ecr-token';
import { RegistryEndpoint, RegistryHostOptions, RegistryHosts } from './hosts';
import { Keychain } from './keychain';
import { parseImageConfigPlatform, parseManifest } from './manifest';
import { bareMediaType, isIndexMediaType, MANIFEST_ACCEPT } from './media-types';
import { isDockerHubPullLimit, PullLimitNotice, pullLimitMessage } from './pull-limit';
import { describeRegistryErrors, parseRegistryErrors } from './registry-errors';
import { RequestCounts } from './request-counters';
import { Problem, Resolution } from './resolution';
import { SecretRedactor } from './secrets';
import { HttpAnswer, Transport, TransportFailure, TransportOptions, TransportRequest } from './transport';
import { ImageReference } from '../reference/image-reference';

/**
 * The OCI distribution client the online commands (`verify`, `lock`) use: tag to digest with one
 * HEAD (not a pull on Docker Hub), platforms with a GET by digest only when asked, every body
 * checked against its digest, answers as data ({@link Resolution}).
 *
 * Each distinct reference is resolved once per client (the promise is memoized), and so is each
 * manifest and config blob: 1,000 images naming 300 references make at most 300 HEADs.
 */

/** The largest manifest or config blob read (distribution's own manifest limit is 4 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Options of {@link RegistryClient}. */
export interface RegistryClientOptions extends RegistryHostOptions, TransportOptions, AuthOptions {
  /** Largest manifest or config body accepted; a larger one is `invalid-response`, not an out-of-memory. @default 4 MiB */
  readonly maxBodyBytes?: number;
  /** Where credentials come from. @default - the Docker config and its helpers, then `ecr:GetAuthorizationToken` for ECR hosts */
  readonly credentials?: CredentialSource;
  /** The Docker config file. @default - `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json` */
  readonly dockerConfigFile?: string;
  /** Environment for the Docker config and credential helpers. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** ECR authorization tokens. @default - the AWS SDK's `GetAuthorizationToken` with the default credential chain */
  readonly ecrTokenSource?: EcrTokenSource;
}

/** What to resolve. */
export interface ResolveOptions {
  /**
   * Also read the platforms: an index's platforms, or a single manifest's platform from its
   * config blob. Costs a GET of the manifest by digest (and of the config blob for a single
   * manifest); without it a resolution is one HEAD.
   *
   * @default false
   */
  readonly platforms?: boolean;
}

type HeadStep = { readonly digest: string; readonly mediaType?: string; readonly manifest?: ManifestStep } | Problem;
type ManifestStep = { readonly digest: string; readonly mediaType?: string; readonly body: Buffer } | Problem;
type BlobStep = { readonly body: Buffer } | Problem;
type Answered = { readonly answer: HttpAnswer; readonly sent?: string } | Problem;

export class RegistryClient {
  private readonly hosts: RegistryHosts;
  private readonly redactor = new SecretRedactor();
  private readonly transport: Transport;
  private readonly auth: Authenticator;
  private readonly maxBodyBytes: number;
  private readonly resolutions = new Map<string, Promise<Resolution>>();
  private readonly heads = new Map<string, Promise<HeadStep>>();
  private readonly manifests = new Map<string, Promise<ManifestStep>>();
  private readonly blobs = new Map<string, Promise<BlobStep>>();
  /** Registries that could not be reached at all (network, timeout, TLS) after retries: not tried again this run. */
  private readonly unreachable = new Map<string, Problem>();
  /** Registries whose pull limit was reached, with what it left unverified. */
  private readonly pullLimits = new Map<string, { readonly onHead: boolean; readonly references: Set<string> }>();

  /** @throws RegistryOptionError for malformed options (mirrors), before any request */
  constructor(options: RegistryClientOptions = {}) {
    this.hosts = new RegistryHosts(options);
    this.transport = new Transport(options, (host) => this.hosts.allowsPlainHttp(host), this.redactor);
    const credentials =
      options.credentials ??
      new Keychain(
        new DockerCredentialSource({ configFile: options.dockerConfigFile, env: options.env }),
        new EcrCredentialSource(options.ecrTokenSource ?? new SdkEcrTokenSource()),
      );
    this.auth = new Authenticator(this.transport, credentials, this.hosts, this.redactor, options);
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  /**
   * What the registry says about this reference. A reference with a digest resolves the digest
   * (the digest decides what is pulled, tag or not); one with neither tag nor digest resolves
   * `latest`, as Docker does. Never throws for anything a registry does.
   */
  public resolve(reference: ImageReference, options: ResolveOptions = {}): Promise<Resolution> {
    const key = `${reference.toString()}\n${options.platforms === true}`;
    let resolution = this.resolutions.get(key);
    if (!resolution) {
      resolution = this.resolveOnce(reference, options.platforms === true);
      this.resolutions.set(key, resolution);
    }
    return resolution;
  }

  /** The requests sent so far, by kind. */
  public requestCounts(): RequestCounts {
    return this.transport.counters.snapshot();
  }

  /** One notice per registry whose pull limit was reached, naming the references left unverified. */
  public pullLimitNotices(): PullLimitNotice[] {
    return [...this.pullLimits].map(([registry, limit]) => ({
      registry,
      references: [...limit.references],
      message: pullLimitMessage(registry, [...limit.references]),
    }));
  }

  private async resolveOnce(reference: ImageReference, platforms: boolean): Promise<Resolution> {
    const endpoint = this.hosts.endpoint(reference.registry);
    const repository = reference.repository;
    const target = reference.digest ?? reference.tag ?? 'latest';
    const base = { reference: reference.toString(), registry: endpoint.registry, repository };
    const fail = (problem: Problem): Resolution => {
      if (problem.kind === 'rate-limited' && problem.pullLimit) {
        this.pullLimits.get(endpoint.registry)?.references.add(base.reference);
      }
      const via = endpoint.mirrored ? ` (via ${endpoint.baseUrl})` : '';
      return { ...base, ...problem, message: this.redactor.redact(`${base.reference}${via}: ${problem.message}`) } as Resolution;
    };

    const head = await memo(this.heads, `${reference.name}|${target}`, () => this.head(endpoint, repository, target));
    if ('kind' in head) {
      return fail(head);
    }
    if (!platforms) {
      return { kind: 'found', ...base, digest: head.digest, mediaType: head.mediaType, index: indexOrUnknown(head.mediaType) };
    }
    const manifest = head.manifest ?? (await memo(this.manifests, `${reference.name}@${head.digest}`, () => this.getManifest(endpoint, repository, head.digest)));
    if ('kind' in manifest) {
      return fail(manifest);
    }
    const parsed = parseManifest(manifest.body, manifest.mediaType ?? head.mediaType);
    switch (parsed.kind) {
      case 'malformed':
        return fail({ kind: 'invalid-response', reason: 'malformed', message: `manifest ${manifest.digest}: ${parsed.problem}` });
      case 'unsupported':
        return { kind: 'found', ...base, digest: manifest.digest, mediaType: parsed.mediaType, index: false };
      case 'index':
        return { kind: 'found', ...base, digest: manifest.digest, mediaType: parsed.mediaType, index: true, platforms: parsed.platforms };
      case 'image': {
        const config = await memo(this.blobs, `${reference.name}@${parsed.configDigest}`, () => this.getBlob(endpoint, repository, parsed.configDigest));
        if ('kind' in config) {
          return fail(config);
        }
        const platform = parseImageConfigPlatform(config.body);
        return { kind: 'found', ...base, digest: manifest.digest, mediaType: parsed.mediaType, index: false, ...(platform ? { platform } : {}) };
      }
    }
  }

  /** Tag or digest to digest with one HEAD; a GET by tag only when the HEAD has no digest. */
  private async head(endpoint: RegistryEndpoint, repository: string, target: string): Promise<HeadStep> {
    const answered = await this.request(endpoint, repository, {
      kind: 'HEAD',
      method: 'HEAD',
      url: manifestUrl(endpoint, repository, target),
      headers: { accept: MANIFEST_ACCEPT },
      maxBodyBytes: 0,
    });
    if ('kind' in answered) {
      return answered;
    }
    const { answer } = answered;
    if (answer.status !== 200) {
      return this.statusProblem(endpoint, repository, target, answered);
    }
    const mediaType = bareMediaType(answer.headers.get('content-type'));
    const announced = answer.headers.get('docker-content-digest');
    const askedDigest = isSha256Digest(target);
    if (isSha256Digest(announced)) {
      if (askedDigest && announced !== target) {
        return { kind: 'invalid-response', reason: 'digest-mismatch', message: `asked for ${target}, the registry answered for ${announced}` };
      }
      return { digest: announced, mediaType };
    }
    if (askedDigest) {
      return { digest: target, mediaType };
    }
    // Some registries (Red Hat's) omit Docker-Content-Digest on HEAD: the digest is the body's hash.
    const manifest = await this.getManifest(endpoint, repository, target);
    if ('kind' in manifest) {
      return manifest;
    }
    return { digest: manifest.digest, mediaType: manifest.mediaType ?? mediaType, manifest };
  }

  /** A manifest body, accepted only when its sha256 is the digest asked for or announced. */
  private async getManifest(endpoint: RegistryEndpoint, repository: string, target: string): Promise<ManifestStep> {
    const answered = await this.request(endpoint, repository, {
      kind: 'GET',
      method: 'GET',
      url: manifestUrl(endpoint, repository, target),
      headers: { accept: MANIFEST_ACCEPT },
      maxBodyBytes: this.maxBodyBytes,
    });
    if ('kind' in answered) {
      return answered;
    }
    const { answer } = answered;
    if (answer.status !== 200) {
      return this.statusProblem(endpoint, repository, target, answered);
    }
    const actual = sha256Digest(answer.body);
    const announced = answer.headers.get('docker-content-digest');
    const expected = isSha256Digest(target) ? target : isSha256Digest(announced) ? announced : undefined;
    if (expected !== undefined && actual !== expected) {
      const how = expected === target ? 'asked for' : 'announced as';
      return { kind: 'invalid-response', reason: 'digest-mismatch', message: `the manifest ${how} ${expected} hashes to ${actual}: refusing it` };
    }
    return { digest: actual, mediaType: bareMediaType(answer.headers.get('content-type')), body: answer.body };
  }

  /** A blob (an image config), accepted only when its sha256 is its digest. Registries redirect blobs to storage. */
  private async getBlob(endpoint: RegistryEndpoint, repository: string, digest: string): Promise<BlobStep> {
    const answered = await this.request(endpoint, repository, {
      kind: 'GET',
      method: 'GET',
      url: new URL(`${endpoint.baseUrl}/v2/${repository}/blobs/${digest}`),
      maxBodyBytes: this.maxBodyBytes,
    });
    if ('kind' in answered) {
      return answered;
    }
    const { answer } = answered;
    if (answer.status === 404) {
      return { kind: 'invalid-response', reason: 'unexpected-status', message: `the image config blob ${digest} does not exist (404): the image is incomplete` };
    }
    if (answer.status !== 200) {
      return this.statusProblem(endpoint, repository, digest, answered);
    }
    if (sha256Digest(answer.body) !== digest) {
      return { kind: 'invalid-response', reason: 'digest-mismatch', message: `the config blob ${digest} hashes to ${sha256Digest(answer.body)}: refusing it` };
    }
    return { body: answer.body };
  }

  /**
   * One registry request with authentication: what earlier challenges taught first, then one
   * answer to a 401's challenge. Pull limits stop pulls before they are sent.
   */
  private async request(endpoint: RegistryEndpoint, repository: string, request: Omit<TransportRequest, 'authorization'>): Promise<Answered> {
    const limited = this.pullLimitedProblem(endpoint, request.method);
    if (limited) {
      return limited;
    }
    // A registry that is down would otherwise cost every one of its images the full timeout and
    // retries; the first failure speaks for the rest.
    const down = this.unreachable.get(endpoint.registry);
    if (down) {
      return { ...down, message: `not tried: the registry could not be reached earlier in this run (${down.message})` };
    }
    const before = await this.auth.before(endpoint, repository);
    if (before.type !== 'send') {
      return authProblem(before);
    }
    let sent = before.authorization;
    let outcome = await this.send(endpoint, { ...request, authorization: sent });
    if (outcome.type === 'answer' && outcome.status === 401) {
      const after = await this.auth.after401(endpoint, repository, outcome, sent);
      if (after.type !== 'send') {
        return authProblem(after);
      }
      if (after.authorization === undefined) {
        return { kind: 'unauthorized', message: this.auth.deniedMessage(endpoint, repository, outcome, sent) };
      }
      sent = after.authorization;
      outcome = await this.send(endpoint, { ...request, authorization: sent });
    }
    if (outcome.type === 'failure') {
      const problem = failureProblem(outcome);
      if (problem.kind === 'unreachable' && outcome.url.origin === new URL(endpoint.baseUrl).origin) {
        this.unreachable.set(endpoint.registry, problem);
      }
      return problem;
    }
    if (outcome.status === 429) {
      return this.rateLimitProblem(endpoint, request.method, outcome);
    }
    return { answer: outcome, sent };
  }

  private send(endpoint: RegistryEndpoint, request: TransportRequest) {
    return this.transport.send({ ...request, isFinal429: (answer) => isDockerHubPullLimit(endpoint.registry, answer) });
  }

  private rateLimitProblem(endpoint: RegistryEndpoint, method: string, answer: HttpAnswer): Problem {
    const retryAfterSeconds = answer.retryAfterMs === undefined ? undefined : Math.ceil(answer.retryAfterMs / 1000);
    const after = retryAfterSeconds === undefined ? '' : `, Retry-After ${retryAfterSeconds} s`;
    if (isDockerHubPullLimit(endpoint.registry, answer)) {
      // HEAD is not a pull: a limit met on a GET still lets HEADs through; one met on a HEAD stops everything.
      const previous = this.pullLimits.get(endpoint.registry);
      this.pullLimits.set(endpoint.registry, { onHead: method === 'HEAD' || previous?.onHead === true, references: previous?.references ?? new Set() });
      return { kind: 'rate-limited', pullLimit: true, retryAfterSeconds, message: `Docker Hub's pull rate limit was reached (429${after}); not retried` };
    }
    const detail = describeRegistryErrors(parseRegistryErrors(answer.body));
    return {
      kind: 'rate-limited',
      pullLimit: false,
      retryAfterSeconds,
      message: `the registry throttled the request (429${after}) after ${answer.attempts} attempt${answer.attempts === 1 ? '' : 's'}${detail ? `: ${detail}` : ''}`,
    };
  }

  private pullLimitedProblem(endpoint: RegistryEndpoint, method: string): Problem | undefined {
    const limit = this.pullLimits.get(endpoint.registry);
    if (limit === undefined || (method === 'HEAD' && !limit.onHead)) {
      return undefined;
    }
    return { kind: 'rate-limited', pullLimit: true, message: 'not verified: Docker Hub\'s pull rate limit was reached earlier in this run' };
  }

  /** The problem a non-success status means. */
  private statusProblem(endpoint: RegistryEndpoint, repository: string, target: string, answered: { answer: HttpAnswer; sent?: string }): Problem {
    const { answer, sent } = answered;
    const detail = describeRegistryErrors(parseRegistryErrors(answer.body));
    const suffix = detail ? ` (${detail})` : '';
    if (answer.status === 404) {
      const digest = isSha256Digest(target);
      const what = digest ? `the digest ${target}` : `the tag ${target}`;
      return { kind: 'not-found', missing: digest ? 'digest' : 'tag', message: `${what} does not exist in the registry (404)${suffix}` };
    }
    if (answer.status === 401 || answer.status === 403) {
      return { kind: 'unauthorized', message: this.auth.deniedMessage(endpoint, repository, answer, sent) };
    }
    const attempts = answer.attempts > 1 ? ` after ${answer.attempts} attempts` : '';
    if (answer.status >= 500) {
      return { kind: 'unreachable', reason: 'server-error', message: `the registry answered ${answer.status}${attempts}${suffix}` };
    }
    return { kind: 'invalid-response', reason: 'unexpected-status', message: `the registry answered ${answer.status}${suffix}` };
  }
}

function manifestUrl(endpoint: RegistryEndpoint, repository: string, target: string): URL {
  return new URL(`${endpoint.baseUrl}/v2/${repository}/manifests/${target}`);
}

function indexOrUnknown(mediaType: string | undefined): boolean | undefined {
  return mediaType === undefined ? undefined : isIndexMediaType(mediaType);
}

function authProblem(step: { type: 'denied' | 'unreachable'; message: string }): Problem {
  return step.type === 'denied'
    ? { kind: 'unauthorized', message: step.message }
    : { kind: 'unreachable', reason: 'token-service', message: step.message };
}

function failureProblem(failure: TransportFailure): Problem {
  const attempts = failure.attempts > 1 ? ` (${failure.attempts} attempts)` : '';
  switch (failure.reason) {
    case 'too-large':
      return { kind: 'invalid-response', reason: 'too-large', message: failure.message };
    case 'redirect':
      return { kind: 'invalid-response', reason: 'redirect', message: failure.message };
    default:
      return { kind: 'unreachable', reason: failure.reason, message: `${failure.message}${attempts}` };
  }
}

/** The memoized promise for `key`, made by `make` the first time. */
function memo<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let promise = map.get(key);
  if (!promise) {
    promise = make();
    map.set(key, promise);
  }
  return promise;
}
