/**
 * 大写金额: an amount in integer cents written in Chinese capital numerals, as receipts and
 * vouchers require (《会计基础工作规范》第五十二条): digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿,
 * 元角分; "整" after 元 or 角 when nothing smaller follows, never after 分; one 零 for any run of
 * zeros between non-zero digits (壹仟零肆元, 壹亿零壹万元), and 零 between 元 and 分 when the
 * 角 is zero (壹元零伍分); 拾 keeps its 壹 (壹拾元) as financial forms do.
 */
const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const UNITS = ['', '拾', '佰', '仟'] as const;
const SECTIONS = ['', '万', '亿'] as const;
/** 9,999 亿 9,999 万 9,999 元 9 角 9 分: far above anything a property company collects. */
export const MAX_CAPITAL_CENTS = 999_999_999_999_99;

export function chineseCapitalAmount(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`amount must be integer cents: ${cents}`);
  if (cents < 0) return `负${chineseCapitalAmount(-cents)}`;
  if (cents > MAX_CAPITAL_CENTS) throw new RangeError(`amount too large for 大写金额: ${cents}`);
  if (cents === 0) return '零元整';
  const yuan = Math.floor(cents / 100);
  const jiao = Math.floor(cents / 10) % 10;
  const fen = cents % 10;

  let out = '';
  if (yuan > 0) {
    const digits = String(yuan);
    let zeroPending = false;
    for (let i = 0; i < digits.length; i++) {
      const pos = digits.length - 1 - i;
      const d = Number(digits[i]);
      if (d === 0) {
        zeroPending = out !== '';
      } else {
        if (zeroPending) out += '零';
        zeroPending = false;
        out += DIGITS[d]! + UNITS[pos % 4]!;
      }
      // A section (万, 亿) is named only when one of its four digits is not zero.
      if (pos % 4 === 0 && pos > 0) {
        const section = digits.slice(Math.max(0, i - 3), i + 1);
        if (/[1-9]/.test(section)) out += SECTIONS[pos / 4]!;
      }
    }
    out += '元';
  }
  if (jiao === 0 && fen === 0) return `${out}整`;
  if (jiao > 0) out += `${DIGITS[jiao]!}角`;
  else if (yuan > 0) out += '零';
  if (fen > 0) out += `${DIGITS[fen]!}分`;
  else out += '整';
  return out;
}

/** ¥1,234.56 — the figures printed next to the capital amount. */
export function yuanFigures(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const yuan = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}
