import { refreshingCredentials } from '../../src/aws/assume-role';

const creds = (n: number, expiresAt: number) => ({ accessKeyId: `ASIA${n}`, secretAccessKey: `secret-${n}`, sessionToken: `token-${n}`, expiration: new Date(expiresAt) });

describe('refreshingCredentials', () => {
  test('assumes once for many callers while the credentials are fresh', async () => {
    let now = 0;
    let calls = 0;
    const provider = refreshingCredentials(async () => creds(++calls, 3600_000), () => now);
    const all = await Promise.all([provider(), provider(), provider()]);
    expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set(['ASIA1']));
    now = 3600_000 - 6 * 60_000;
    expect((await provider()).accessKeyId).toBe('ASIA1');
    expect(calls).toBe(1);
  });

  test('assumes again within five minutes of expiry', async () => {
    let now = 0;
    let calls = 0;
    const provider = refreshingCredentials(async () => creds(++calls, now + 3600_000), () => now);
    await provider();
    now = 3600_000 - 4 * 60_000;
    expect((await provider()).accessKeyId).toBe('ASIA2');
  });

  test('a failure is thrown to the caller and the next call tries again', async () => {
    let fail = true;
    const provider = refreshingCredentials(async () => {
      if (fail) throw new Error('AccessDenied');
      return creds(1, Date.now() + 3600_000);
    });
    await expect(provider()).rejects.toThrow('AccessDenied');
    fail = false;
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'ASIA1' });
  });
});
