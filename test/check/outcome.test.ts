import { decideOutcome, Exemption, Outcome, reportedLevel, Waivers } from '../../src/check/outcome';
import { ImagePinningPolicy } from '../../src/policy/image-pinning-policy';
import { UnlockedImageAction, UnresolvedImageAction } from '../../src/policy/pinning-level';
import { ImageValue } from '../../src/value/image-value';

const policy = new ImagePinningPolicy();
const PINNED = policy.evaluate('nginx:1.27.3');
const UNPINNED = policy.evaluate('nginx:latest');
const UNRESOLVED = policy._evaluateValue(ImageValue.concat(['nginx:', ImageValue.unknown({ kind: 'parameter', name: 'Tag' }, '<param:Tag>')]));
const EXEMPTION: Exemption = { reason: 'vendor image', expires: '2027-01-31', scopePath: 'S/Task' };
const IN_FORCE: Waivers = { exemption: { inForce: true, exemption: EXEMPTION } };
const EXPIRED: Waivers = { exemption: { inForce: false, exemption: EXEMPTION } };

describe('decideOutcome: the one decision every front door switches on', () => {
  const act = (unresolvedImages: UnresolvedImageAction) => ({ unresolvedImages, unlockedImages: UnlockedImageAction.WARN });
  test.each<[string, Parameters<typeof decideOutcome>, Outcome]>([
    ['a compliant image, whatever waives it', [PINNED, act(UnresolvedImageAction.ERROR), IN_FORCE], { kind: 'compliant' }],
    ['an unpinned image is an error', [UNPINNED, act(UnresolvedImageAction.WARN), {}], { kind: 'reported', level: 'error' }],
    ['unresolvedImages does not change other findings', [UNPINNED, act(UnresolvedImageAction.IGNORE), {}], { kind: 'reported', level: 'error' }],
    ['an unresolved image is a warning by default', [UNRESOLVED, act(UnresolvedImageAction.WARN), {}], { kind: 'reported', level: 'warning' }],
    ['unresolvedImages ERROR', [UNRESOLVED, act(UnresolvedImageAction.ERROR), {}], { kind: 'reported', level: 'error' }],
    ['unresolvedImages IGNORE', [UNRESOLVED, act(UnresolvedImageAction.IGNORE), IN_FORCE], { kind: 'ignored' }],
    ['an exemption in force', [UNPINNED, act(UnresolvedImageAction.WARN), IN_FORCE], { kind: 'exempted', level: 'error', exemption: EXEMPTION }],
    ['an exemption wins over an acknowledgement', [UNPINNED, act(UnresolvedImageAction.WARN), { ...IN_FORCE, acknowledgedReason: 'r' }], { kind: 'exempted', level: 'error', exemption: EXEMPTION }],
    ['an expired exemption: reported, saying it expired', [UNPINNED, act(UnresolvedImageAction.WARN), EXPIRED], { kind: 'reported', level: 'error', expiredExemption: EXEMPTION }],
    ['an acknowledgement', [UNRESOLVED, act(UnresolvedImageAction.WARN), { acknowledgedReason: 'the pipeline passes a digest' }], { kind: 'acknowledged', level: 'warning', reason: 'the pipeline passes a digest' }],
    ['an acknowledgement after an expired exemption', [UNPINNED, act(UnresolvedImageAction.WARN), { ...EXPIRED, acknowledgedReason: 'r' }], { kind: 'acknowledged', level: 'error', reason: 'r', expiredExemption: EXEMPTION }],
  ])('%s', (_title, args, expected) => {
    expect(decideOutcome(...args)).toEqual(expected);
  });

  test('only a reported outcome has a reported level', () => {
    expect(reportedLevel({ kind: 'reported', level: 'warning' })).toBe('warning');
    expect(reportedLevel({ kind: 'exempted', level: 'error', exemption: EXEMPTION })).toBeUndefined();
    expect(reportedLevel({ kind: 'acknowledged', level: 'error', reason: 'r' })).toBeUndefined();
    expect(reportedLevel({ kind: 'ignored' })).toBeUndefined();
    expect(reportedLevel({ kind: 'compliant' })).toBeUndefined();
  });
});
