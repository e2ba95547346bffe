import { createHash } from 'crypto';

/**
 * Pushes to a registry over the distribution API, without a Docker daemon: blobs with
 * `POST /v2/<repo>/blobs/uploads/` then `PUT <Location>&digest=sha256:...`, manifests with
 * `PUT /v2/<repo>/manifests/<tag or digest>` and their media type. Written apart from the client
 * under test (its own small auth: Basic, or a Bearer token with push scope), so a client bug
 * cannot hide itself by breaking the fixtures the same way.
 */

export interface PushCredentials {
  readonly username: string;
  readonly password: string;
}

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export class RegistryPusher {
  private readonly tokens = new Map<string, string>();

  /** @param baseUrl `http://127.0.0.1:<port>` */
  constructor(private readonly baseUrl: string, private readonly credentials?: PushCredentials) {}

  /** Uploads a blob (monolithic upload); returns its digest. */
  public async pushBlob(repository: string, bytes: Uint8Array): Promise<string> {
    const digest = sha256(bytes);
    const start = await this.call(repository, 'POST', `/v2/${repository}/blobs/uploads/`);
    await expectStatus(start, 202, `start upload to ${repository}`);
    const location = new URL(start.headers.get('location')!, this.baseUrl);
    location.searchParams.set('digest', digest);
    const put = await this.call(repository, 'PUT', location.toString(), bytes, 'application/octet-stream');
    await expectStatus(put, 201, `upload ${digest} to ${repository}`);
    return digest;
  }

  /** PUTs a manifest under a tag (or its digest); returns its digest. */
  public async pushManifest(repository: string, reference: string, mediaType: string, bytes: Uint8Array): Promise<string> {
    const put = await this.call(repository, 'PUT', `/v2/${repository}/manifests/${reference}`, bytes, mediaType);
    await expectStatus(put, 201, `put manifest ${repository}:${reference}`);
    return sha256(bytes);
  }

  /** Deletes a manifest by digest (the registry's `storage.delete` is enabled). */
  public async deleteManifest(repository: string, digest: string): Promise<void> {
    const del = await this.call(repository, 'DELETE', `/v2/${repository}/manifests/${digest}`);
    await expectStatus(del, 202, `delete ${repository}@${digest}`);
  }

  private async call(repository: string, method: string, pathOrUrl: string, body?: Uint8Array, contentType?: string): Promise<Response> {
    const url = new URL(pathOrUrl, this.baseUrl);
    const send = (authorization?: string) =>
      fetch(url, {
        method,
        body,
        headers: { ...(contentType ? { 'content-type': contentType } : {}), ...(authorization ? { authorization } : {}) },
        redirect: 'manual',
      });
    let response = await send(this.tokens.get(repository));
    if (response.status !== 401) {
      return response;
    }
    await response.arrayBuffer();
    const authorization = await this.authorize(repository, response.headers.get('www-authenticate') ?? '');
    this.tokens.set(repository, authorization);
    response = await send(authorization);
    return response;
  }

  private async authorize(repository: string, challenge: string): Promise<string> {
    const basic = this.credentials ? `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}` : undefined;
    if (/^Basic/i.test(challenge)) {
      if (!basic) {
        throw new Error('the registry wants Basic credentials and the pusher has none');
      }
      return basic;
    }
    const realm = /realm="([^"]+)"/.exec(challenge)?.[1];
    const service = /service="([^"]+)"/.exec(challenge)?.[1];
    if (!realm) {
      throw new Error(`unexpected challenge: ${challenge}`);
    }
    const url = new URL(realm);
    if (service) {
      url.searchParams.set('service', service);
    }
    url.searchParams.set('scope', `repository:${repository}:pull,push`);
    const response = await fetch(url, { headers: basic ? { authorization: basic } : {} });
    const json = (await response.json()) as { token?: string };
    if (!response.ok || !json.token) {
      throw new Error(`token request for ${repository} failed: ${response.status}`);
    }
    return `Bearer ${json.token}`;
  }
}

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  if (response.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.status}: ${await response.text()}`);
  }
}
