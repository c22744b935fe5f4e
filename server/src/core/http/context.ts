import type { Locale, Permission } from '@courtyard/contracts';
import { AppError } from './errors.js';

/** Who is acting: a signed-in user, an API token, or the system itself (jobs, CLI, seed). */
export interface Actor {
  kind: 'user' | 'token' | 'system';
  userId: string | null;
  name: string;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', userId: null, name: 'system' };

/**
 * The grants in effect: for each permission, the community ids it covers, or null for all
 * communities. Built once per request from the user's active grants.
 */
export type Scopes = ReadonlyMap<Permission, ReadonlySet<string> | null>;

/** Everything a service needs to know about the request that calls it. */
export interface RequestContext {
  actor: Actor;
  scopes: Scopes;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  locale: Locale;
  sessionId: string | null;
}

export function systemContext(name = 'system'): RequestContext {
  return {
    actor: { ...SYSTEM_ACTOR, name },
    scopes: new Map(),
    ip: null,
    userAgent: null,
    requestId: null,
    locale: 'zh-CN',
    sessionId: null,
  };
}

export function can(ctx: RequestContext, permission: Permission, communityId?: string | null): boolean {
  if (ctx.actor.kind === 'system') return true;
  if (!ctx.scopes.has(permission)) return false;
  const scope = ctx.scopes.get(permission);
  if (scope === null || scope === undefined) return true;
  return communityId !== undefined && communityId !== null && scope.has(communityId);
}

/** Throws unless the context holds `permission` for `communityId` (the data-scope check). */
export function assertCan(ctx: RequestContext, permission: Permission, communityId?: string | null): void {
  if (can(ctx, permission, communityId)) return;
  throw new AppError(ctx.scopes.has(permission) ? 'auth.out_of_scope' : 'auth.forbidden');
}

/** The community ids a permission covers: null = all, an empty list = none. */
export function scopeOf(ctx: RequestContext, permission: Permission): string[] | null {
  if (ctx.actor.kind === 'system') return null;
  if (!ctx.scopes.has(permission)) return [];
  const scope = ctx.scopes.get(permission);
  return scope === null || scope === undefined ? null : [...scope];
}
