import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../../core/http/server.js';
import { AppError } from '../../core/http/errors.js';
import { safeEqual } from '../../core/crypto/tokens.js';
import { negotiateLocale } from '@courtyard/contracts';
import type { AuthService, Authenticated, ClientMeta } from './auth.service.js';

export const SESSION_COOKIE = 'cy_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function clientMeta(request: FastifyRequest): ClientMeta {
  const header = request.headers['accept-language'];
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: request.id, locale: header ? negotiateLocale(header) : null };
}

export function setSessionCookie(reply: FastifyReply, token: string, options: { secure: boolean; maxAgeSeconds: number }) {
  void reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/', maxAge: options.maxAgeSeconds });
}

export function clearSessionCookie(reply: FastifyReply) {
  void reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/**
 * Resolves who is calling: a Bearer API token or the session cookie. Cookie-authenticated writes
 * must echo the session's CSRF token in `x-csrf-token` (a cross-site form cannot read it).
 */
export function createAuthenticator(auth: AuthService): Authenticator {
  return async (request, reply, access) => {
    const meta = clientMeta(request);
    const header = request.headers.authorization;
    let result: Authenticated | null = null;
    let viaCookie = false;
    if (header?.toLowerCase().startsWith('bearer ')) {
      result = await auth.authenticateApiToken(header.slice(7).trim(), meta);
    } else {
      const token = request.cookies[SESSION_COOKIE];
      if (token) {
        viaCookie = true;
        result = await auth.authenticateSession(token, meta);
        if (!result) clearSessionCookie(reply);
      }
    }
    if (!result) throw new AppError('auth.unauthenticated');
    if (viaCookie && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !result.csrfToken || !safeEqual(sent, result.csrfToken)) throw new AppError('auth.csrf');
    }
    if (!request.routeOptions.config.allowIncomplete) {
      if (result.incomplete.passwordChange) throw new AppError('auth.password_change_required');
      if (result.incomplete.mfaEnrollment) throw new AppError('auth.mfa_required');
    }
    if (access !== 'authenticated' && !result.ctx.scopes.has(access)) throw new AppError('auth.forbidden');
    return result.ctx;
  };
}
