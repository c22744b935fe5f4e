import { ERRORS, type ErrorCode, type Locale, type Problem, type ProblemField } from '@courtyard/contracts';

/** A failure the caller can act on. Thrown by services; turned into problem+json by the HTTP layer. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly fields: ProblemField[] = [],
    readonly extra: { lockedUntil?: string } = {},
  ) {
    super(code);
  }
  get status(): number {
    return ERRORS[this.code].status;
  }
}

export const notFound = () => new AppError('request.not_found');
export const forbidden = () => new AppError('auth.forbidden');
export const invalid = (field: string, message: string) => new AppError('request.invalid', [{ field, message }]);

export function problem(code: ErrorCode, locale: Locale, requestId: string, fields?: ProblemField[], extra: { lockedUntil?: string } = {}): Problem {
  const entry = ERRORS[code];
  return {
    type: `https://courtyard.dev/problems/${code}`,
    title: code,
    status: entry.status,
    code,
    detail: locale === 'zh-CN' ? entry.zh : entry.en,
    requestId,
    ...(fields && fields.length ? { errors: fields } : {}),
    ...(extra.lockedUntil ? { lockedUntil: extra.lockedUntil } : {}),
  };
}
