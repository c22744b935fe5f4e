import { describe, expect, it } from 'vitest';
import { chineseCapitalAmount, MAX_CAPITAL_CENTS, yuanFigures } from '../../src/modules/billing/documents/amount-in-words.js';
import { locateFont, parseFontSetting } from '../../src/modules/billing/documents/font.js';

describe('大写金额 (amount in Chinese capital numerals)', () => {
  it.each([
    [123456, '壹仟贰佰叁拾肆元伍角陆分'],
    [0, '零元整'],
    [100, '壹元整'],
    [1000, '壹拾元整'],
    [150, '壹元伍角整'],
    [105, '壹元零伍分'],
    [5, '伍分'],
    [56, '伍角陆分'],
    [50, '伍角整'],
    [100456, '壹仟零肆元伍角陆分'],
    [101000, '壹仟零壹拾元整'],
    [2001000, '贰万零壹拾元整'],
    [1000000, '壹万元整'],
    [100000100, '壹佰万零壹元整'],
    [101000000, '壹佰零壹万元整'],
    [10000000000, '壹亿元整'],
    [10001000000, '壹亿零壹万元整'],
    [10000100000, '壹亿零壹仟元整'],
    [11000000000, '壹亿壹仟万元整'],
    [10000000100, '壹亿零壹元整'],
  ])('%i cents → %s', (cents, words) => {
    expect(chineseCapitalAmount(cents)).toBe(words);
  });

  it('writes 1,234,567,890.12 yuan with its sections', () => {
    expect(chineseCapitalAmount(123456789012)).toBe('壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分');
  });

  it('marks a negative amount (a refund) with 负', () => {
    expect(chineseCapitalAmount(-105)).toBe('负壹元零伍分');
  });

  it('refuses fractions of a cent and amounts beyond 9,999 亿', () => {
    expect(() => chineseCapitalAmount(1.5)).toThrow(RangeError);
    expect(chineseCapitalAmount(MAX_CAPITAL_CENTS)).toBe('玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分');
    expect(() => chineseCapitalAmount(MAX_CAPITAL_CENTS + 1)).toThrow(RangeError);
  });

  it('figures carry thousands separators and two decimals', () => {
    expect(yuanFigures(123456)).toBe('¥1,234.56');
    expect(yuanFigures(5)).toBe('¥0.05');
    expect(yuanFigures(-100000)).toBe('-¥1,000.00');
  });
});

describe('the PDF font', () => {
  it('takes a configured path (with a face name inside a collection), else the first system font found, else refuses clearly', () => {
    expect(parseFontSetting('/fonts/a.ttc#NotoSansCJKsc-Regular')).toEqual({ path: '/fonts/a.ttc', family: 'NotoSansCJKsc-Regular' });
    expect(parseFontSetting('/fonts/simsun.ttf')).toEqual({ path: '/fonts/simsun.ttf', family: undefined });
    const here = { path: import.meta.filename, family: undefined };
    expect(locateFont(undefined, [{ path: '/nonexistent/a.ttc', family: 'A' }, here])).toEqual(here);
    expect(() => locateFont(undefined, [{ path: '/nonexistent/a.ttc', family: 'A' }])).toThrow(expect.objectContaining({ code: 'billing.pdf_font_missing' }));
    expect(() => locateFont('/nonexistent/b.ttf', [here])).toThrow(expect.objectContaining({ code: 'billing.pdf_font_missing' }));
  });
});
