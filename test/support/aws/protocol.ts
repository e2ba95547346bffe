/**
 * The wire formats of the AWS protocols the fake endpoint speaks, as the AWS SDK for JavaScript v3
 * reads them:
 *
 * - awsJson1.1 (ECS, ECR, Organizations): `POST /`, the operation in `X-Amz-Target`
 *   (`AmazonEC2ContainerServiceV20141113.ListTasks`), JSON in and out as
 *   `application/x-amz-json-1.1`, timestamps as epoch seconds; errors as status 400 (5xx for
 *   server faults) with `{"__type": "ThrottlingException", "message": "..."}`.
 * - restJson1 (Lambda, Batch): the operation in the method and path, JSON bodies; errors with
 *   the code in the `x-amzn-ErrorType` header and the body, status 4xx/5xx.
 * - awsQuery (STS): form-encoded `Action=...&Version=...` in, XML out; errors as
 *   `<ErrorResponse><Error><Type/><Code/><Message/></Error></ErrorResponse>`.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** An error the fake answers with: the service's error code, message and HTTP status. */
export class ApiError extends Error {
  constructor(public readonly code: string, message: string, public readonly status = 400) {
    super(message);
  }
}

/** JSON as the AWS JSON protocols write it: timestamps as epoch seconds, no undefined members. */
export function awsJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return raw.getTime() / 1000;
    return v;
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType: string, headers: Record<string, string> = {}) {
  const text = awsJson(body);
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  });
  res.end(text);
}

/** An awsJson1.1 error. */
export function sendAwsJsonError(res: ServerResponse, error: ApiError) {
  sendJson(res, error.status, { __type: error.code, message: error.message }, 'application/x-amz-json-1.1');
}

/** A restJson1 error: the code in the header and the body, as Lambda and Batch send them. */
export function sendRestJsonError(res: ServerResponse, error: ApiError) {
  const headers: Record<string, string> = { 'x-amzn-ErrorType': `${error.code}:http://internal.amazon.com/coral/com.amazonaws/` };
  if (error.status === 429) headers['Retry-After'] = '0';
  sendJson(res, error.status, { Type: error.status >= 500 ? 'Service' : 'User', message: error.message }, 'application/json', headers);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Renders a plain object as awsQuery XML members (objects nest, arrays as `<member>`). */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

/** An awsQuery response: `<ActionResponse><ActionResult>...</ActionResult><ResponseMetadata/></ActionResponse>`. */
export function sendQueryResult(res: ServerResponse, action: string, xmlns: string, result: unknown) {
  const text =
    `<${action}Response xmlns="${xmlns}"><${action}Result>${toXml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendQueryError(res: ServerResponse, error: ApiError) {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  const text =
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
  res.writeHead(error.status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Limits of one paginated operation, from its API reference. */
export interface PageLimits {
  /** Page size when the request gives none. */
  readonly defaultSize: number;
  /** Largest page size the operation accepts; larger is a validation error. */
  readonly max: number;
  /** The error code the service uses for a bad parameter. */
  readonly invalidCode: string;
}

/**
 * One page of `items`. Tokens are opaque to the client and bound to the operation; `cap` makes
 * the fake return fewer items than asked, which every API reference allows.
 */
export function paginate<T>(
  operation: string,
  items: readonly T[],
  request: { token?: string; size?: number },
  limits: PageLimits,
  cap?: number,
): { items: T[]; nextToken?: string } {
  if (request.size !== undefined && (request.size < 1 || request.size > limits.max)) {
    throw new ApiError(limits.invalidCode, `maxResults must be between 1 and ${limits.max}, got ${request.size}`);
  }
  let offset = 0;
  if (request.token) {
    const decoded = Buffer.from(request.token, 'base64').toString('utf8');
    const match = /^(.+)#(\d+)$/.exec(decoded);
    if (!match || match[1] !== operation) {
      throw new ApiError(limits.invalidCode, 'The nextToken is invalid or was issued for another request.');
    }
    offset = Number(match[2]);
  }
  const size = Math.min(request.size ?? limits.defaultSize, cap ?? Infinity);
  const page = items.slice(offset, offset + size);
  const next = offset + page.length;
  return { items: page, nextToken: next < items.length ? Buffer.from(`${operation}#${next}`).toString('base64') : undefined };
}
