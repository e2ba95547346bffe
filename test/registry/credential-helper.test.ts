import { runCredentialHelper } from '../../src/registry/credential-helper';
import { dockerEnv } from '../support/registry/docker-env';

describe('runCredentialHelper (the docker-credential-helpers protocol, real processes)', () => {
  const env = dockerEnv({}, [
    { name: 'ok', answers: { 'r.example.com': { Username: 'u', Secret: 's3cret' }, 'tok.example.com': { Username: '<token>', Secret: 'refresh' } } },
    { name: 'empty', answers: { 'r.example.com': { Username: 'u', Secret: '' } } },
    { name: 'crash', fail: { code: 1, stderr: 'exec format error' } },
    { name: 'slow', sleepSeconds: 5, answers: { 'r.example.com': { Username: 'u', Secret: 's' } } },
  ]);
  afterAll(() => env.remove());

  test.each<[string, string, object]>([
    ['ok', 'r.example.com', { type: 'found', credential: { kind: 'basic', username: 'u', password: 's3cret' } }],
    ['ok', 'tok.example.com', { type: 'found', credential: { kind: 'identity-token', token: 'refresh' } }],
    ['ok', 'other.example.com', { type: 'not-found' }],
    ['empty', 'r.example.com', { type: 'not-found' }],
    ['crash', 'r.example.com', { type: 'failed', problem: 'docker-credential-crash get exited with 1: exec format error' }],
    ['missing', 'r.example.com', { type: 'failed', problem: 'docker-credential-missing is not on the PATH (the Docker config names it)' }],
    ['../evil', 'r.example.com', { type: 'failed', problem: 'credential helper name "../evil" is not a program name' }],
  ])('%s for %s', async (helper, server, expected) => {
    expect(await runCredentialHelper(helper, server, { env: env.env })).toEqual(expected);
  });

  test('a helper that hangs is killed after the timeout', async () => {
    const start = Date.now();
    const answer = await runCredentialHelper('slow', 'r.example.com', { env: env.env, timeoutMs: 300 });
    expect(answer).toEqual({ type: 'failed', problem: 'docker-credential-slow get did not answer within 300 ms' });
    expect(Date.now() - start).toBeLessThan(3000);
  });
});
