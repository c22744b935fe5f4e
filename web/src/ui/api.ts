import type { Problem, ProblemField } from '@courtyard/contracts';

/**
 * A small JSON client for the Courtyard API (same origin, cookie session).
 *
 * - every request carries `Accept-Language` with the current UI language, so that the server's
 *   problem `detail` comes back localised;
 * - every non-GET request carries `x-csrf-token`;
 * - failures are thrown as {@link ApiError}, built from the `application/problem+json` body.
 *
 * The client knows nothing about screens: the app registers `onProblem` to react to session
 * problems (sign-in needed, password change, two-factor enrolment).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly fields: ProblemField[];
  readonly requestId: string | undefined;
  readonly lockedUntil: string | undefined;

  constructor(problem: Pick<Problem, 'status' | 'detail'> & { code: string; errors?: ProblemField[]; requestId?: string; lockedUntil?: string }) {
    super(problem.detail);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.detail = problem.detail;
    this.fields = problem.errors ?? [];
    this.requestId = problem.requestId;
    this.lockedUntil = problem.lockedUntil;
  }
}

export function isApiError(value: unknown, code?: string): value is ApiError {
  return value instanceof ApiError && (code === undefined || value.code === code);
}

type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query | undefined;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Do not report session problems to `onProblem` (used by the "who am I" probe and sign-in). */
  quiet?: boolean;
  /** Extra request headers (e.g. `Idempotency-Key` on payments). */
  headers?: Record<string, string> | undefined;
}

interface ApiConfig {
  language: () => string;
  /** Text used when the server cannot be reached or answers without a problem body. */
  networkErrorDetail: () => string;
  onProblem: (error: ApiError) => void;
}

let csrfToken: string | undefined;
let config: ApiConfig = {
  language: () => 'zh-CN',
  networkErrorDetail: () => 'Network error',
  onProblem: () => undefined,
};

export function configureApi(next: Partial<ApiConfig>): void {
  config = { ...config, ...next };
}

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function isProblemBody(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'code' in value && 'detail' in value && 'status' in value;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': config.language(),
    ...options.headers,
  };
  let body: string | FormData | undefined;
  if (options.body instanceof FormData) {
    // multipart: the browser sets the content type with its boundary
    body = options.body;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body: body ?? null,
      credentials: 'same-origin',
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, code: 'network.unreachable', detail: config.networkErrorDetail() });
  }

  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }

  if (!response.ok) {
    const error = isProblemBody(parsed)
      ? new ApiError(parsed)
      : new ApiError({ status: response.status, code: `http.${response.status}`, detail: config.networkErrorDetail() });
    if (!options.quiet) config.onProblem(error);
    throw error;
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, query?: Query, options?: Omit<RequestOptions, 'query' | 'body'>) =>
    request<T>('GET', path, { ...options, query }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) => request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('DELETE', path, options),
};

/**
 * Turns the problem's field paths (`/body/username`, `body.username`, `/body/items/0/name`) into
 * antd form names (`['username']`, `['items', 0, 'name']`).
 */
export function problemFieldName(field: string): (string | number)[] {
  const parts = field
    .replace(/^\//, '')
    .split(/[/.]/)
    .filter((p) => p !== '');
  if (parts[0] === 'body' || parts[0] === 'query' || parts[0] === 'params') parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
