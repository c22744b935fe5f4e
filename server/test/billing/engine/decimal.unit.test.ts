import { describe, expect, it } from 'vitest';
import {
  EngineError,
  formatAreaDm2,
  formatCents,
  formatPriceE4,
  formatQtyE3,
  parseAreaDm2,
  parseCents,
  parseDailyRatePpm,
  parseMultiplierE4,
  parsePercentBp,
  parsePriceE4,
  parseQtyE3,
} from '../../../src/modules/billing/engine/index.js';

describe('exact decimal text', () => {
  it('parses unit prices to ten-thousandths of a yuan and formats them with four places', () => {
    expect(parsePriceE4('2.35')).toBe(23500);
    expect(parsePriceE4('2.3500')).toBe(23500);
    expect(parsePriceE4('0.0001')).toBe(1);
    expect(parsePriceE4('7')).toBe(70000);
    expect(formatPriceE4(23500)).toBe('2.3500');
    expect(formatPriceE4(1)).toBe('0.0001');
  });

  it('parses amounts, areas, quantities, multipliers, percentages and daily rates in their units', () => {
    expect(parseCents('115.35')).toBe(11535);
    expect(parseCents('-0.05')).toBe(-5);
    expect(formatCents(-5)).toBe('-0.05');
    expect(formatCents(100000)).toBe('1000.00');
    expect(parseAreaDm2('89.50')).toBe(8950);
    expect(formatAreaDm2(8950)).toBe('89.50');
    expect(parseQtyE3('12.345')).toBe(12345);
    expect(formatQtyE3(12345)).toBe('12.345');
    expect(parseMultiplierE4('40')).toBe(400000);
    expect(parseMultiplierE4('1.5')).toBe(15000);
    expect(parsePercentBp('12.5')).toBe(1250);
    expect(parseDailyRatePpm('0.05')).toBe(500);
  });

  it.each([
    ['a float number', 2.35],
    ['an integer number', 2],
    ['too many places', '2.35001'],
    ['an exponent', '1e3'],
    ['spaces', ' 2.35'],
    ['a comma', '1,000.00'],
    ['a bare dot', '2.'],
    ['a leading dot', '.5'],
    ['a sign on a price', '-2.35'],
    ['a plus sign', '+2.35'],
    ['garbage', 'abc'],
    ['null', null],
    ['beyond 2^53', '90071992547409.93'],
  ])('refuses %s', (_what, value) => {
    expect(() => parsePriceE4(value)).toThrow(EngineError);
  });

  it('refuses a fourth decimal on a quantity and a third on an amount', () => {
    expect(() => parseQtyE3('1.2345')).toThrow(/engine.invalid_decimal/);
    expect(() => parseCents('1.234')).toThrow(/engine.invalid_decimal/);
  });
});
