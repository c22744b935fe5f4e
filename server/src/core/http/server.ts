import crypto from 'node:crypto';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import localizeAjv from 'ajv-i18n';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { negotiateLocale, type ErrorCode, type Locale, type Permission, type ProblemField } from '@courtyard/contracts';
import { ProblemSchema } from '@courtyard/contracts';
import { AppError, problem, type FieldError } from './errors.js';
import type { RequestContext } from './context.js';
import type { Metrics } from '../metrics.js';

/**
 * What a route requires. Every /api route must declare one (a test walks them all):
 * a catalogue permission, `authenticated` (any signed-in user) or `public`.
 */
export type RouteAccess = Permission | 'authenticated' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** Reachable before a forced password change or required two-factor enrolment is done. */
    allowIncomplete?: boolean;
  }
  interface FastifyRequest {
    ctx: RequestContext;
  }
}

/** One registered route and what it requires: walked by the route-guard test. */
export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess | undefined;
  hasBody: boolean;
  hasParams: boolean;
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** Resolves the caller of a non-public route, or throws auth.* errors. Supplied by identity. */
export type Authenticator = (request: FastifyRequest, reply: FastifyReply, access: Exclude<RouteAccess, 'public'>) => Promise<RequestContext>;

export interface HttpOptions {
  logger: FastifyBaseLogger | boolean;
  trustProxy: boolean;
  metrics: Metrics;
  bodyLimit?: number;
}

export function anonymousContext(request: FastifyRequest): RequestContext {
  return {
    actor: { kind: 'system', userId: null, name: 'anonymous' },
    scopes: new Map(),
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    requestId: request.id,
    locale: negotiateLocale(request.headers['accept-language']),
    sessionId: null,
  };
}

/** The caller's language: an explicit Accept-Language wins, then the user's own setting. */
export function localeOf(request: FastifyRequest): Locale {
  if (request.headers['accept-language']) return negotiateLocale(request.headers['accept-language']);
  return request.ctx?.locale ?? 'zh-CN';
}

function validationFields(error: FastifyError, locale: Locale): ProblemField[] {
  const context = error.validationContext ?? 'body';
  const entries = error.validation ?? [];
  // Field messages in the caller's language too (ajv-i18n rewrites ajv's English messages).
  (locale === 'zh-CN' ? localizeAjv.zh : localizeAjv.en)(entries as Parameters<typeof localizeAjv.en>[0]);
  return entries.map((v) => {
    const params = v.params;
    const leaf = typeof params.missingProperty === 'string' ? `/${params.missingProperty}` : typeof params.additionalProperty === 'string' ? `/${params.additionalProperty}` : '';
    return { field: `/${context}${v.instancePath}${leaf}`, message: v.message ?? 'invalid' };
  });
}

function classify(error: FastifyError, locale: Locale): { code: ErrorCode; fields?: readonly (ProblemField | FieldError)[]; extra?: { lockedUntil?: string } } {
  if (error instanceof AppError) return { code: error.code, fields: error.fields, extra: error.extra };
  if (error.validation) return { code: 'request.invalid', fields: validationFields(error, locale) };
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'request.malformed_json' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'request.too_large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'request.unsupported_media_type' };
  }
  if (error.statusCode === 429) return { code: 'request.rate_limited' };
  if (error instanceof SyntaxError && error.statusCode === 400) return { code: 'request.malformed_json' };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return { code: 'request.invalid' };
  return { code: 'internal.error' };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, fields?: readonly (ProblemField | FieldError)[], extra?: { lockedUntil?: string }) {
  const body = problem(code, localeOf(request), request.id, fields, extra);
  return reply.status(body.status).header('content-type', 'application/problem+json; charset=utf-8').send(body);
}

export async function createHttpServer(options: HttpOptions, authenticate: Authenticator): Promise<{ app: App; routes: RouteEntry[] }> {
  const app = Fastify({
    ...(typeof options.logger === 'object' ? { loggerInstance: options.logger } : { logger: options.logger }),
    trustProxy: options.trustProxy,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    return503OnClosing: true,
    // allErrors: a form gets every invalid field at once; the body size limit bounds the work.
    ajv: { customOptions: { removeAdditional: false, allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema(ProblemSchema);

  app.decorateRequest('ctx', null as unknown as RequestContext);
  const routes: RouteEntry[] = [];

  app.addHook('onRoute', (route) => {
    // Swagger's own routes and the docs page are public by nature.
    if (route.url.startsWith('/api/docs')) {
      route.config = { ...(route.config ?? {}), access: 'public' };
      route.schema = { ...(route.schema ?? {}), hide: true };
    }
    // Outside /api only static files and probes live: they are public. Every /api route must
    // declare its access, and the route-guard test fails on any that does not.
    if (!route.url.startsWith('/api') && !route.config?.access) route.config = { ...(route.config ?? {}), access: 'public' };
    for (const method of [route.method].flat()) {
      routes.push({ method, url: route.url, access: route.config?.access, hasBody: Boolean(route.schema?.body), hasParams: Boolean(route.schema?.params) });
    }
  });


  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design injects its CSS-in-JS as <style> elements.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: false,
    frameguard: { action: 'deny' },
  });
  await app.register(rateLimit, { global: false });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Courtyard API', version: '0.1.0', description: 'Courtyard property management system. Errors are application/problem+json.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'cy_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { deepLinking: false } });

  app.addHook('onRequest', async (request, reply) => {
    request.ctx = anonymousContext(request);
    reply.header('x-request-id', request.id);
    if (request.url.startsWith('/api')) reply.header('cache-control', 'no-store');
    const access = request.routeOptions.config?.access;
    if (access === 'public') return;
    // Unknown routes fall through to the not-found handler, which answers 404 itself.
    if (request.is404) return;
    if (!access) throw new AppError('auth.forbidden'); // undeclared = denied
    request.ctx = await authenticate(request, reply, access);
  });

  // Draining: responses finished after close() began tell keep-alive clients to hang up, so the
  // server can exit as soon as the last in-flight request is answered.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.addHook('onResponse', async (request, reply) => {
    options.metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const { code, fields, extra } = classify(error, localeOf(request));
    options.metrics.countError(code);
    if (code === 'internal.error') request.log.error({ err: error }, 'unhandled error');
    else request.log.info({ code, status: error.statusCode }, 'request refused');
    return sendProblem(request, reply, code, fields, extra);
  });

  return { app, routes };
}

/** Problem responses every route can give, for the OpenAPI document and serialisation. */
export const problemResponses = {
  '4xx': { $ref: 'Problem#' },
  '5xx': { $ref: 'Problem#' },
} as const;
