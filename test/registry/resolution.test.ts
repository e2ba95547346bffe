import { isJudged, Resolution } from '../../src/registry/resolution';

describe('isJudged: did the registry answer about the image?', () => {
  const base = { reference: 'docker.io/library/nginx:1.27.3', registry: 'docker.io', repository: 'library/nginx', message: 'm' };
  test.each<[Resolution, boolean]>([
    [{ ...base, kind: 'found', digest: `sha256:${'a'.repeat(64)}` }, true],
    [{ ...base, kind: 'not-found', missing: 'tag' }, true],
    [{ ...base, kind: 'unauthorized' }, true],
    [{ ...base, kind: 'unreachable', reason: 'timeout' }, false],
    [{ ...base, kind: 'rate-limited', pullLimit: true }, false],
    [{ ...base, kind: 'invalid-response', reason: 'digest-mismatch' }, false],
  ])('%p -> %s', (resolution, judged) => {
    expect(isJudged(resolution)).toBe(judged);
  });
});
