/** The outcome of one HTTP attempt. `statusCode` is null when no response arrived. */
export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** At most 500 characters of the response body. */
  excerpt: string | null;
  durationMs: number;
}

export const EXCERPT_CHARS = 500;
/** Bytes read from a response body before giving up on the rest (enough for 500 characters). */
const READ_LIMIT = 4 * 1024;

async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < READ_LIMIT) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.length === 0 ? null : text.slice(0, EXCERPT_CHARS);
}

function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no response within ${timeoutMs / 1000} s`;
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ((err.cause as Error & { code?: string }).code ?? err.cause.message) : null;
    return cause ? `${err.message}: ${cause}` : err.message;
  }
  return String(err);
}

/**
 * POSTs one delivery. Any 2xx is success; everything else — another status, a redirect (never
 * followed: a 3xx could point the signed payload somewhere the administrator did not register),
 * a network error or the timeout — is a failure to retry.
 */
export async function send(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    let excerpt: string | null = null;
    try {
      excerpt = await readExcerpt(response);
    } catch {
      // a body that breaks off is not the receiver's answer; the status code is
    }
    const ok = response.status >= 200 && response.status < 300;
    let error: string | null = null;
    if (!ok) {
      const location = response.headers.get('location');
      error = response.status >= 300 && response.status < 400 ? `redirect not followed (HTTP ${response.status}${location ? ` to ${location.slice(0, 200)}` : ''})` : `HTTP ${response.status}`;
    }
    return { ok, statusCode: response.status, error, excerpt, durationMs: elapsed() };
  } catch (err) {
    return { ok: false, statusCode: null, error: describe(err, timeoutMs).slice(0, 500), excerpt: null, durationMs: elapsed() };
  }
}
