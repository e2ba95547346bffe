import * as http from 'http';
import { isLoopbackHost } from '../../src/registry/hosts';
import { SecretRedactor } from '../../src/registry/secrets';
import { HttpAnswer, Transport, TransportOptions, TransportRequest } from '../../src/registry/transport';
import { close, freePort, listen } from '../support/registry/loopback';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;
const answerOk: Handler = (_req, res) => res.end('ok');

/** A loopback server whose handler a test sets; records each request's path, host and Authorization. */
class TestServer {
  public handler: Handler = answerOk;
  public readonly seen: Array<{ path: string; authorization?: string }> = [];
  public inFlight = 0;
  public peakInFlight = 0;
  public host = '';
  private readonly server = http.createServer((req, res) => {
    this.seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
    this.handler(req, res, this.seen.length);
  });

  public async start(address = '127.0.0.1'): Promise<this> {
    this.host = await listen(this.server, address);
    return this;
  }

  public url(path: string): URL {
    return new URL(`http://${this.host}${path}`);
  }

  public stop(): Promise<void> {
    return close(this.server);
  }
}

const FAST: TransportOptions = { retries: 2, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000 };

function transport(options: TransportOptions = FAST, redactor = new SecretRedactor()): Transport {
  return new Transport(options, isLoopbackHost, redactor);
}

function get(url: URL, extra: Partial<TransportRequest> = {}): TransportRequest {
  return { kind: 'GET', method: 'GET', url, maxBodyBytes: 1024 * 1024, ...extra };
}

describe('Transport', () => {
  const server = new TestServer();
  const other = new TestServer(); // "another host": 127.0.0.2
  beforeAll(async () => {
    await server.start();
    await other.start('127.0.0.2');
  });
  afterAll(async () => {
    await server.stop();
    await other.stop();
  });
  beforeEach(() => {
    server.seen.length = 0;
    other.seen.length = 0;
    server.peakInFlight = 0;
  });

  // statuses the server answers in turn, the status the caller sees, attempts
  test.each<[string, number[], number, number]>([
    ['503, 503, then 200: retried', [503, 503, 200], 200, 3],
    ['500 then 200', [500, 200], 200, 2],
    ['408 then 200', [408, 200], 200, 2],
    ['three 502s: retries exhausted, the last answer returned', [502, 502, 502, 200], 502, 3],
    ['404 is an answer, not retried', [404, 200], 404, 1],
    ['401 is an answer, not retried', [401, 200], 401, 1],
    ['501 is not retried', [501, 200], 501, 1],
  ])('%s', async (_name, statuses, expected, attempts) => {
    server.handler = (_req, res, n) => {
      res.writeHead(statuses[Math.min(n - 1, statuses.length - 1)]);
      res.end();
    };
    const t = transport();
    const answer = (await t.send(get(server.url('/x')))) as HttpAnswer;
    expect(answer).toMatchObject({ type: 'answer', status: expected, attempts });
    expect(t.counters.snapshot()).toMatchObject({ get: attempts, retries: attempts - 1, total: attempts });
  });

  test('429 with Retry-After: 1 waits a second, then succeeds', async () => {
    server.handler = (_req, res, n) => {
      res.writeHead(n === 1 ? 429 : 200, n === 1 ? { 'retry-after': '1' } : {});
      res.end('done');
    };
    const start = Date.now();
    const answer = (await transport().send(get(server.url('/x')))) as HttpAnswer;
    expect(answer).toMatchObject({ status: 200, attempts: 2 });
    expect(answer.body.toString()).toBe('done');
    expect(Date.now() - start).toBeGreaterThanOrEqual(950);
  });

  test('a Retry-After longer than allowed ends the retries at once, reporting the wait', async () => {
    server.handler = (_req, res) => {
      res.writeHead(429, { 'retry-after': '3600' });
      res.end();
    };
    const start = Date.now();
    const answer = (await transport({ ...FAST, maxRetryAfterMs: 5000 }).send(get(server.url('/x')))) as HttpAnswer;
    expect(answer).toMatchObject({ status: 429, attempts: 1, retryAfterMs: 3_600_000 });
    expect(Date.now() - start).toBeLessThan(1000);
  });

  test('a 429 the caller calls final is not retried', async () => {
    server.handler = (_req, res) => {
      res.writeHead(429);
      res.end('{"errors":[{"code":"TOOMANYREQUESTS"}]}');
    };
    const answer = (await transport().send(get(server.url('/x'), { isFinal429: (a) => a.body.toString().includes('TOOMANYREQUESTS') }))) as HttpAnswer;
    expect(answer).toMatchObject({ status: 429, attempts: 1 });
    expect(server.seen).toHaveLength(1);
  });

  test('a server that never answers times out on every attempt', async () => {
    server.handler = () => undefined;
    const start = Date.now();
    const outcome = await transport({ ...FAST, timeoutMs: 200, retries: 1 }).send(get(server.url('/hang')));
    expect(outcome).toMatchObject({ type: 'failure', reason: 'timeout', attempts: 2 });
    expect((outcome as { message: string }).message).toBe(`GET http://${server.host}/hang: no answer within 200 ms`);
    expect(Date.now() - start).toBeLessThan(2000);
  });

  test('a refused connection is a network failure, retried', async () => {
    const port = await freePort();
    const outcome = await transport().send(get(new URL(`http://127.0.0.1:${port}/v2/`)));
    expect(outcome).toMatchObject({ type: 'failure', reason: 'network', attempts: 3 });
    expect((outcome as { message: string }).message).toContain('ECONNREFUSED');
  });

  test('TLS to a plain-HTTP server fails once, with a hint, without retries', async () => {
    const outcome = await transport().send(get(new URL(`https://${server.host}/v2/`)));
    expect(outcome).toMatchObject({ type: 'failure', reason: 'tls', attempts: 1 });
    expect((outcome as { message: string }).message).toContain('does not speak TLS');
  });

  describe('redirects', () => {
    test.each<[string, string, boolean]>([
      ['same origin keeps the credentials', 'same', true],
      ['another host gets none', 'other', false],
    ])('%s', async (_name, target, forwarded) => {
      other.handler = (_req, res) => res.end('from other');
      server.handler = (req, res) => {
        if (req.url === '/start') {
          const location = target === 'same' ? '/final' : `http://${other.host}/final`;
          res.writeHead(307, { location });
          res.end();
        } else {
          res.end('from same');
        }
      };
      const t = transport();
      const answer = (await t.send(get(server.url('/start'), { authorization: 'Bearer secret-token' }))) as HttpAnswer;
      expect(answer.status).toBe(200);
      const final = target === 'same' ? server.seen[1] : other.seen[0];
      expect(final.authorization).toBe(forwarded ? 'Bearer secret-token' : undefined);
      expect(server.seen[0].authorization).toBe('Bearer secret-token');
      expect(t.counters.snapshot()).toMatchObject({ get: 2, redirects: 1 });
    });

    test('credentials stripped at another host are not restored when it redirects back', async () => {
      other.handler = (_req, res) => {
        res.writeHead(302, { location: `http://${server.host}/back` });
        res.end();
      };
      server.handler = (req, res) => {
        if (req.url === '/start') {
          res.writeHead(302, { location: `http://${other.host}/hop` });
        }
        res.end();
      };
      await transport().send(get(server.url('/start'), { authorization: 'Basic c2VjcmV0' }));
      expect(server.seen.map((s) => s.authorization)).toEqual(['Basic c2VjcmV0', undefined]);
      expect(other.seen[0].authorization).toBeUndefined();
    });

    test.each<[number, boolean]>([
      [307, false],
      [308, false],
      [303, true],
      [302, true],
    ])('a POST redirected with %d to another host: its body follows never (followed as GET: %s)', async (status, followed) => {
      other.handler = (_req, res) => res.end('{}');
      server.handler = (_req, res) => {
        res.writeHead(status, { location: `http://${other.host}/token` });
        res.end();
      };
      const outcome = await transport().send({
        kind: 'token', method: 'POST', url: server.url('/token'), body: 'grant_type=refresh_token&refresh_token=identity-secret', maxBodyBytes: 1000,
      });
      if (followed) {
        expect(outcome).toMatchObject({ type: 'answer', status: 200 });
        expect(other.seen).toHaveLength(1);
      } else {
        expect(outcome).toMatchObject({ type: 'failure', reason: 'redirect' });
        expect((outcome as { message: string }).message).toContain('refused to send a request body on to');
        expect(other.seen).toHaveLength(0);
      }
    });

    test.each([
      ['plain HTTP off loopback', 'http://registry.example.com/blob', 'refused a redirect to http://registry.example.com'],
      ['a loop', '/start', 'more than 5 redirects'],
    ])('%s is refused', async (_name, location, message) => {
      server.handler = (_req, res) => {
        res.writeHead(301, { location });
        res.end();
      };
      const outcome = await transport().send(get(server.url('/start')));
      expect(outcome).toMatchObject({ type: 'failure', reason: 'redirect', attempts: 1 });
      expect((outcome as { message: string }).message).toContain(message);
    });
  });

  describe('body size cap', () => {
    test.each([
      ['declared by Content-Length', true],
      ['streamed without a length', false],
    ])('a body over the cap, %s, is refused', async (_name, declare) => {
      server.handler = (_req, res) => {
        res.writeHead(200, declare ? { 'content-length': 10 * 1024 * 1024 } : {});
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        let sent = 0;
        const pump = () => {
          while (sent < 10 * 1024 * 1024 && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        pump();
      };
      const outcome = await transport().send(get(server.url('/huge'), { maxBodyBytes: 256 * 1024 }));
      expect(outcome).toMatchObject({ type: 'failure', reason: 'too-large', attempts: 1 });
      expect((outcome as { message: string }).message).toContain('larger than 262144 bytes');
    });

    test('an error body is cut at 64 KiB rather than refused', async () => {
      server.handler = (_req, res) => {
        res.writeHead(500);
        res.end(Buffer.alloc(200 * 1024, 0x62));
      };
      const answer = (await transport({ ...FAST, retries: 0 }).send(get(server.url('/err')))) as HttpAnswer;
      expect(answer.status).toBe(500);
      expect(answer.body.length).toBe(64 * 1024);
    });
  });

  test('at most maxConcurrencyPerHost requests are in flight to one host', async () => {
    server.handler = (_req, res) => setTimeout(() => res.end('slow'), 30);
    const t = transport({ ...FAST, maxConcurrency: 10, maxConcurrencyPerHost: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => t.send(get(server.url(`/c${i}`)))));
    expect(server.seen).toHaveLength(12);
    expect(server.peakInFlight).toBe(3);
  });

  test('requests are counted by kind', async () => {
    server.handler = (_req, res) => res.end();
    const t = transport();
    await t.send({ kind: 'HEAD', method: 'HEAD', url: server.url('/h'), maxBodyBytes: 0 });
    await t.send({ kind: 'HEAD', method: 'HEAD', url: server.url('/h'), maxBodyBytes: 0 });
    await t.send(get(server.url('/g')));
    await t.send({ kind: 'token', method: 'GET', url: server.url('/token'), maxBodyBytes: 1000 });
    expect(t.counters.snapshot()).toEqual({ head: 2, get: 1, token: 1, total: 4, retries: 0, redirects: 0 });
  });

  test('debug lines never carry the Authorization nor the query', async () => {
    server.handler = (_req, res) => res.end();
    const lines: string[] = [];
    const redactor = new SecretRedactor();
    redactor.add('sup3r-secret');
    const t = transport({ ...FAST, log: (l) => lines.push(l) }, redactor);
    await t.send(get(server.url('/v2/x?token=sup3r-secret'), { authorization: 'Bearer sup3r-secret' }));
    expect(lines).toEqual([`GET http://${server.host}/v2/x -> 200`]);
  });
});
