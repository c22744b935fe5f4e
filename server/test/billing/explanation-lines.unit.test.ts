import { describe, expect, it } from 'vitest';
import { computeCharge } from '../../src/modules/billing/engine/index.js';
import { explanationLines } from '../../src/modules/billing/explanation-lines.js';

describe('explanation lines sent with bills (the engine renders, the UI shows)', () => {
  const { explanation } = computeCharge({
    kind: 'area',
    basis: 'building',
    areaDm2: 12030,
    label: '物业服务费',
    period: { start: '2026-11-01', end: '2026-11-30' },
    cycle: 'monthly',
    prices: [{ fromOn: '2020-01-01', priceE4: 2_8000 }],
  });
  const stored: unknown = JSON.parse(JSON.stringify(explanation));

  it('renders a stored explanation in the reader’s language: 120.30 m² × 2.80 = 336.84', () => {
    const zh = explanationLines(stored, 'zh-CN');
    const en = explanationLines(stored, 'en-US');
    expect(zh?.join('\n')).toContain('336.84 元');
    expect(en?.join('\n')).toContain('336.84');
    expect(en?.join('\n')).not.toMatch(/建筑面积/);
  });

  it('gives nothing for bills without an engine explanation', () => {
    expect(explanationLines(null, 'zh-CN')).toBeUndefined();
    expect(explanationLines({ note: 'manual' }, 'en-US')).toBeUndefined();
  });
});
