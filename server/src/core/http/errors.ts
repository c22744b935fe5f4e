import { ERRORS, type ErrorCode, type Locale, type Problem, type ProblemField } from '@courtyard/contracts';

/** A text for the user in both languages; the one sent is chosen by the request's locale when the problem is rendered. */
export interface Bilingual {
  en: string;
  zh: string;
}

/** A problem field as services raise it: the message in both languages (on the wire it is one string). */
export interface FieldError {
  field: string;
  message: Bilingual;
}

/** A failure the caller can act on. Thrown by services; turned into problem+json by the HTTP layer. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly fields: FieldError[] = [],
    readonly extra: { lockedUntil?: string } = {},
  ) {
    super(code);
  }
  get status(): number {
    return ERRORS[this.code].status;
  }
}

/** A field message, English first then Simplified Chinese. */
export const fieldError = (field: string, en: string, zh: string): FieldError => ({ field, message: { en, zh } });
/** A field carrying a value rather than prose (a state, a reason code, an id): the same in every language. */
export const fieldValue = (field: string, value: string): FieldError => ({ field, message: { en: value, zh: value } });

export const notFound = () => new AppError('request.not_found');
export const forbidden = () => new AppError('auth.forbidden');
/** A business check failed on one field: `invalid('/body/closesAt', 'must be after opensAt', '必须晚于开始时间')`. */
export const invalid = (field: string, en: string, zh: string) => new AppError('request.invalid', [fieldError(field, en, zh)]);

export const inLocale = (text: Bilingual, locale: Locale): string => (locale === 'zh-CN' ? text.zh : text.en);

function rendered(f: ProblemField | FieldError, locale: Locale): ProblemField {
  return typeof f.message === 'string' ? { field: f.field, message: f.message } : { field: f.field, message: inLocale(f.message, locale) };
}

/** The problem body; field messages given in both languages are rendered in `locale`. */
export function problem(code: ErrorCode, locale: Locale, requestId: string, fields?: readonly (ProblemField | FieldError)[], extra: { lockedUntil?: string } = {}): Problem {
  const entry = ERRORS[code];
  return {
    type: `https://courtyard.dev/problems/${code}`,
    title: code,
    status: entry.status,
    code,
    detail: locale === 'zh-CN' ? entry.zh : entry.en,
    requestId,
    ...(fields && fields.length ? { errors: fields.map((f) => rendered(f, locale)) } : {}),
    ...(extra.lockedUntil ? { lockedUntil: extra.lockedUntil } : {}),
  };
}
