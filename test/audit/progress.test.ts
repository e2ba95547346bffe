import { terminalProgress } from '../../src/audit';

const progress = { accountsDone: 1, accountsTotal: 3, regionsDone: 4, regionsTotal: 6, calls: 120, account: '111111111111', region: 'eu-west-1' };

test('nothing when the stream is not a terminal', () => {
  const written: string[] = [];
  expect(terminalProgress({ isTTY: false, write: (t) => written.push(t) })).toBeUndefined();
  expect(terminalProgress({ write: (t) => written.push(t) })).toBeUndefined();
  expect(written).toEqual([]);
});

test('one line rewritten in place on a terminal, cleared when done', () => {
  const written: string[] = [];
  const reporter = terminalProgress({ isTTY: true, write: (t) => written.push(t) })!;
  reporter.onProgress(progress);
  reporter.onProgress({ ...progress, regionsDone: 5, region: undefined });
  reporter.done();
  expect(written).toEqual([
    '\r\x1b[2Kaudit: 1/3 accounts, 4/6 regions, 120 API calls (111111111111 eu-west-1)',
    '\r\x1b[2Kaudit: 1/3 accounts, 5/6 regions, 120 API calls (111111111111)',
    '\r\x1b[2K',
  ]);
});

test('done without progress writes nothing', () => {
  const written: string[] = [];
  terminalProgress({ isTTY: true, write: (t) => written.push(t) })!.done();
  expect(written).toEqual([]);
});
