import { describe, expect, it } from 'vitest';
import { percentOf } from '../../src/modules/billing/bills.relief.js';

describe('percentage reliefs in exact integer arithmetic', () => {
  it('rounds half up to the cent: 12.5 % of 9.99 is 1.25, 50 % of one cent is one cent, 33.33 % of 1.00 is 0.33', () => {
    expect(percentOf(999, '12.5')).toBe(125);
    expect(percentOf(1, '50')).toBe(1);
    expect(percentOf(100, '33.33')).toBe(33);
    expect(percentOf(123_456_789, '100')).toBe(123_456_789);
    expect(percentOf(123_456_789, '0.01')).toBe(12_346);
  });
});
