import { App, Stack } from 'aws-cdk-lib';
import { addExemption, exemptionFor } from '../../src/construct/exemption';

function tree() {
  const app = new App();
  const stack = new Stack(app, 'S');
  const child = new Stack(app, 'Other');
  return { app, stack, child };
}

describe('exemptions stored on the construct tree', () => {
  test('the nearest exemption in force applies, on the scope or an ancestor', () => {
    const { app, stack } = tree();
    addExemption(app, { reason: 'app-wide' });
    addExemption(stack, { reason: 'this stack', expires: '2027-03-31' });
    expect(exemptionFor(stack, '2027-03-31')).toEqual({ inForce: true, exemption: { reason: 'this stack', expires: '2027-03-31', scopePath: 'S' } });
    // The day after, the stack's has expired and the app's still applies.
    expect(exemptionFor(stack, '2027-04-01')).toEqual({ inForce: true, exemption: { reason: 'app-wide', expires: undefined, scopePath: '<root>' } });
  });

  test('an expired exemption is returned as expired, so the error can say so', () => {
    const { stack, child } = tree();
    addExemption(stack, { reason: 'until the migration', expires: '2026-01-31' });
    expect(exemptionFor(stack, '2026-02-01')).toEqual({ inForce: false, exemption: expect.objectContaining({ reason: 'until the migration' }) });
    expect(exemptionFor(child, '2026-02-01')).toBeUndefined();
  });

  test.each([
    [{ reason: ' ' }, /reason is required/],
    [{ reason: 'r', expires: '2026-02-30' }, /expires must be a calendar date written YYYY-MM-DD, got "2026-02-30"/],
    [{ reason: 'r', expires: '31/01/2026' }, /got "31\/01\/2026"/],
  ])('%j fails at once, naming the scope', (props, error) => {
    const { stack } = tree();
    expect(() => addExemption(stack, props)).toThrow(error);
    expect(() => addExemption(stack, props)).toThrow(/^ImagePinning\.exempt\(S\)/);
  });
});
