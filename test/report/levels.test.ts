import { Outcome } from '../../src/check/outcome';
import { annotationLevel, nagLevel, sarifResult, violationSeverity } from '../../src/report/levels';

const EXEMPTION = { reason: 'r', scopePath: 'S' };

describe('one mapping from outcome to each output', () => {
  type Row = [
    Outcome,
    ReturnType<typeof annotationLevel>,
    ReturnType<typeof violationSeverity>,
    ReturnType<typeof nagLevel>,
    ReturnType<typeof sarifResult>,
  ];
  test.each<Row>([
    [{ kind: 'reported', level: 'error' }, 'error', 'error', 'ERROR', { level: 'error', kind: 'fail' }],
    [{ kind: 'reported', level: 'warning' }, 'warning', 'warning', 'WARN', { level: 'warning', kind: 'fail' }],
    [{ kind: 'exempted', level: 'error', exemption: EXEMPTION }, 'info', undefined, undefined, { level: 'none', kind: 'review' }],
    [{ kind: 'acknowledged', level: 'warning', reason: 'r' }, 'info', undefined, undefined, { level: 'none', kind: 'review' }],
    [{ kind: 'ignored' }, undefined, undefined, undefined, { level: 'none', kind: 'review' }],
    [{ kind: 'compliant' }, undefined, undefined, undefined, { level: 'none', kind: 'pass' }],
  ])('%j', (outcome, annotation, severity, nag, sarif) => {
    const mapped = [annotationLevel(outcome), violationSeverity(outcome), nagLevel(outcome), sarifResult(outcome)];
    expect(mapped).toEqual([annotation, severity, nag, sarif]);
  });
});
