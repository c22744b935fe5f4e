/**
 * Pure checks of personal data as the registry accepts it, shared by the people service and the
 * Excel import (through index.ts). Each returns the normalised value or the reason it is refused,
 * so callers can word their own field errors.
 */

/** Mainland mobile numbers (GB/T numbering: 1, then 3-9, then 9 digits). */
const MOBILE = /^1[3-9]\d{9}$/;

/**
 * "+86 138-1234-5678", "0086 13812345678", "8613812345678" → "13812345678"; undefined when it is
 * not a mainland mobile. Stored and indexed normalised so the blind index matches whatever
 * spelling a caller later searches with.
 */
export function normalisePhone(input: string): string | undefined {
  let digits = input.trim().replace(/[\s()-]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  return MOBILE.test(digits) ? digits : undefined;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export type ResidentIdProblem = 'format' | 'birth_date' | 'checksum';

/** GB 11643 check character of the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] ?? '';
}

/**
 * An 18-digit resident ID (居民身份证号码, GB 11643-1999): 17 digits, a check character 0-9 or X,
 * digits 7-14 a real birth date between 1900-01-01 and `today`. Lower-case x is accepted and
 * stored upper-case.
 */
export function checkResidentId(input: string, today: string = new Date().toISOString().slice(0, 10)): { value: string } | { problem: ResidentIdProblem } {
  const value = input.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value)) return { problem: 'format' };
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  const iso = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (y < 1900 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || iso > today) return { problem: 'birth_date' };
  if (residentIdCheckChar(value) !== value[17]) return { problem: 'checksum' };
  return { value };
}

export const RESIDENT_ID_MESSAGES: Record<ResidentIdProblem, { en: string; zh: string }> = {
  format: { en: '18 digits, the last may be X', zh: '应为 18 位，最后一位可以是 X' },
  birth_date: { en: 'digits 7-14 are not a valid birth date', zh: '第 7–14 位不是有效的出生日期' },
  checksum: { en: 'the check digit does not match (GB 11643)', zh: '校验位不正确，请核对号码' },
};

/**
 * Other document numbers (passport, permits, business licence): trimmed, inner spaces removed,
 * upper-case, 4-32 letters/digits/hyphens. Undefined when unusable.
 */
export function normaliseDocumentNumber(input: string): string | undefined {
  const value = input.trim().replace(/\s+/g, '').toUpperCase();
  return /^[0-9A-Z-]{4,32}$/.test(value) ? value : undefined;
}

/**
 * Plates are compared as registered: "粤b 12345", "粤B·12345" and "粤B12345" are one car, so spaces,
 * middle dots and hyphens go and letters are upper-cased. Undefined when the result is not
 * 5-10 characters of CJK, letters and digits.
 */
export function normalisePlate(input: string): string | undefined {
  const value = input.replace(/[\s·•.-]/g, '').toUpperCase();
  return /^[\p{Script=Han}A-Z0-9]{5,10}$/u.test(value) ? value : undefined;
}
