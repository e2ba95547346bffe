import * as http from 'http';
import { LINUX_AMD64, MEDIA, TestPlatform } from './images';
import { close, listen } from './loopback';
import { sha256 } from './push';

/**
 * A registry that misbehaves on purpose, on loopback, for what the real one never does: 429 with
 * `Retry-After`, 503s, no answer at all, HEAD without `Docker-Content-Digest`, a body that is not
 * its digest, redirects to another host, a token realm on another host, a huge manifest, Docker
 * Hub's pull limit. It serves one single-platform image per repository (`/v2/<repo>/manifests/<tag
 * or digest>`, its config blob) and records every request it sees, headers included, so tests can
 * assert what was (not) sent.
 */

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  readonly accept?: string;
}

export interface Faults {
  /** Answer this many requests with 429 (and this Retry-After) before behaving. */
  readonly status429?: { readonly times: number; readonly retryAfter?: string };
  /** Answer this many requests with 503 before behaving. */
  readonly status503?: { readonly times: number };
  /** Accept connections and never answer. */
  readonly neverAnswer?: boolean;
  /** Omit Docker-Content-Digest on HEAD (and GET). */
  readonly noDigestHeader?: boolean;
  /** Omit Docker-Content-Digest on HEAD only: GET still announces it. */
  readonly noDigestOnHead?: boolean;
  /** GET manifest answers other bytes than the digest it announces. */
  readonly wrongBody?: boolean;
  /** GET config blob answers other bytes than its digest. */
  readonly wrongBlob?: boolean;
  /** Redirect blob GETs to this base URL (`http://127.0.0.2:<port>`), path kept. */
  readonly redirectBlobsTo?: string;
  /** Require this Basic credential (challenge Basic). */
  readonly basic?: { readonly username: string; readonly password: string };
  /** Challenge Bearer with this realm; accept any `Bearer <token>` listed in `acceptTokens`. */
  readonly bearer?: { readonly realm: string; readonly service: string; readonly acceptTokens: readonly string[] };
  /** GET manifest answers this many bytes of JSON; with `declareLength`, a Content-Length too. */
  readonly hugeManifest?: { readonly bytes: number; readonly declareLength: boolean };
  /** Docker Hub's pull limit on every GET (429 TOOMANYREQUESTS), or on HEAD too (`head-and-get`; ratelimit-remaining: 0 too). */
  readonly pullLimit?: 'get' | 'head-and-get';
  /** Answer every request with this status (403, 400, ...). */
  readonly status?: number;
  /** HEAD announces another digest than the one asked for. */
  readonly lieDigestOnHead?: boolean;
  /** Config blobs are missing (404). */
  readonly missingBlob?: boolean;
  /** Error bodies quote the request's Authorization header back (a registry that echoes). */
  readonly echoAuthorization?: boolean;
}

export interface ServedImage {
  readonly digest: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
  readonly configDigest: string;
  readonly config: Buffer;
}

export interface MisbehavingServer {
  /** `127.0.0.1:<port>` */
  readonly host: string;
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** The faults in force; setting them resets the 429 and 503 counts. */
  faults: Faults;
  /** Serves a single-platform image at `<repo>:<tag>`. */
  addImage(repository: string, tag: string, platform?: TestPlatform): ServedImage;
  /** Serves these manifest bytes, as this media type, at `<repo>:<tag>` and by digest. */
  addManifest(repository: string, tag: string, mediaType: string, bytes: Buffer): string;
  stop(): Promise<void>;
}

export async function startMisbehavingServer(faults: Faults = {}, address = '127.0.0.1'): Promise<MisbehavingServer> {
  const manifests = new Map<string, ServedImage>(); // "<repo>:<tag>" and "<repo>@<digest>"
  const blobs = new Map<string, Buffer>();
  const requests: RecordedRequest[] = [];
  let count429 = 0;
  let count503 = 0;
  const state: { faults: Faults } = { faults };

  const server = http.createServer((req, res) => {
    const f = state.faults;
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, accept: req.headers.accept });
    if (f.neverAnswer) {
      return; // the socket stays open until the test closes the server
    }
    const fail = (status: number, code: string, headers: http.OutgoingHttpHeaders = {}) => {
      const echo = f.echoAuthorization ? ` (you sent ${req.headers.authorization ?? 'nothing'})` : '';
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify({ errors: [{ code, message: `${code.toLowerCase()}${echo}` }] }));
    };
    if (f.status429 && count429 < f.status429.times) {
      count429++;
      return fail(429, 'TOOMANYREQUESTS', f.status429.retryAfter === undefined ? {} : { 'retry-after': f.status429.retryAfter });
    }
    if (f.status503 && count503 < f.status503.times) {
      count503++;
      return fail(503, 'UNAVAILABLE');
    }
    if (f.status !== undefined) {
      return fail(f.status, f.status === 403 ? 'DENIED' : 'UNSUPPORTED');
    }
    if (f.pullLimit && (req.method === 'GET' || f.pullLimit === 'head-and-get')) {
      return fail(429, 'TOOMANYREQUESTS', { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600' });
    }
    if (f.basic) {
      const expected = `Basic ${Buffer.from(`${f.basic.username}:${f.basic.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected && !path.startsWith('/redirected')) {
        return fail(401, 'UNAUTHORIZED', { 'www-authenticate': 'Basic realm="misbehaving"' });
      }
    }
    // A redirect target serves the path it was sent to under /redirected.
    const match = /^(?:\/redirected)?\/v2\/(.+)\/(manifests|blobs)\/([^/?]+)$/.exec(path.split('?')[0]);
    if (f.bearer) {
      const token = req.headers.authorization?.replace(/^Bearer /, '');
      if (token === undefined || !f.bearer.acceptTokens.includes(token)) {
        const scope = match ? `,scope="repository:${match[1]}:pull"` : '';
        return fail(401, 'UNAUTHORIZED', { 'www-authenticate': `Bearer realm="${f.bearer.realm}",service="${f.bearer.service}"${scope}` });
      }
    }
    if (!match) {
      return fail(404, 'NOT_FOUND');
    }
    const [, repository, kind, reference] = match;
    if (kind === 'blobs') {
      if (f.redirectBlobsTo) {
        res.writeHead(307, { location: `${f.redirectBlobsTo}/redirected${path}` });
        res.end();
        return;
      }
      const blob = blobs.get(reference);
      if (!blob || f.missingBlob) {
        return fail(404, 'BLOB_UNKNOWN');
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length });
      res.end(req.method === 'HEAD' ? undefined : f.wrongBlob ? Buffer.from(blob.toString().replace('amd64', 'arm64')) : blob);
      return;
    }
    const image = manifests.get(reference.startsWith('sha256:') ? `${repository}@${reference}` : `${repository}:${reference}`);
    if (!image) {
      return fail(404, 'MANIFEST_UNKNOWN');
    }
    if (f.hugeManifest && req.method === 'GET') {
      streamHuge(res, f.hugeManifest.bytes, f.hugeManifest.declareLength, image.digest);
      return;
    }
    const body = f.wrongBody ? Buffer.from(image.bytes.toString().replace('"schemaVersion":2', '"schemaVersion": 2')) : image.bytes;
    res.writeHead(200, {
      'content-type': image.mediaType,
      'content-length': body.length,
      ...(f.noDigestHeader || (f.noDigestOnHead && req.method === 'HEAD') ? {} : { 'docker-content-digest': image.digest }),
      ...(f.lieDigestOnHead && req.method === 'HEAD' ? { 'docker-content-digest': `sha256:${'0'.repeat(64)}` } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  const host = await listen(server, address);
  return {
    host,
    url: `http://${host}`,
    requests,
    get faults() {
      return state.faults;
    },
    set faults(value: Faults) {
      state.faults = value;
      count429 = 0;
      count503 = 0;
    },
    addImage(repository, tag, platform = LINUX_AMD64) {
      const variant = platform.variant ? { variant: platform.variant } : {};
      const config = Buffer.from(JSON.stringify({ architecture: platform.architecture, os: platform.os, ...variant }));
      const configDigest = sha256(config);
      blobs.set(configDigest, config);
      const bytes = Buffer.from(JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociManifest,
        config: { mediaType: MEDIA.ociConfig, digest: configDigest, size: config.length },
        layers: [],
      }));
      const image = { digest: sha256(bytes), mediaType: MEDIA.ociManifest, bytes, configDigest, config };
      manifests.set(`${repository}:${tag}`, image);
      manifests.set(`${repository}@${image.digest}`, image);
      return image;
    },
    addManifest(repository, tag, mediaType, bytes) {
      const image = { digest: sha256(bytes), mediaType, bytes, configDigest: '', config: Buffer.alloc(0) };
      manifests.set(`${repository}:${tag}`, image);
      manifests.set(`${repository}@${image.digest}`, image);
      return image.digest;
    },
    stop: () => close(server),
  };
}

/** Writes `bytes` of a JSON manifest in 64 KiB chunks, stopping early when the client goes away. */
function streamHuge(res: http.ServerResponse, bytes: number, declareLength: boolean, digest: string): void {
  res.writeHead(200, {
    'content-type': MEDIA.ociIndex,
    'docker-content-digest': digest,
    ...(declareLength ? { 'content-length': bytes } : {}),
  });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let written = 0;
  const write = () => {
    while (written < bytes && !res.destroyed) {
      const size = Math.min(chunk.length, bytes - written);
      written += size;
      if (!res.write(chunk.subarray(0, size))) {
        res.once('drain', write);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => (written = bytes));
  write();
}
