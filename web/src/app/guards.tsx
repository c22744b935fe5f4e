import { Suspense, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import type { Permission } from '@courtyard/contracts';
import { hasPermission, useMe } from './session';
import { ForbiddenPage, LoadErrorPage, PageSpinner } from './StatusPages';

function signInPath(base: string, location: { pathname: string; search: string }): string {
  const here = `${location.pathname}${location.search}`;
  return here === '/' || here === '/portal' ? base : `${base}?next=${encodeURIComponent(here)}`;
}

/**
 * Staff console: signed in; the password changed when required; two-factor set up when the role
 * requires it (only the account page is reachable until then); owners go to the portal.
 */
export function ConsoleGuard() {
  const { me, isPending, error, refetch } = useMe();
  const location = useLocation();
  if (isPending) return <PageSpinner full />;
  if (error) return <LoadErrorPage error={error} onRetry={() => void refetch()} />;
  if (!me) return <Navigate to={signInPath('/sign-in', location)} replace />;
  if (me.passwordChangeRequired) return <Navigate to="/change-password" replace />;
  if (me.mfaEnrollmentRequired) {
    return location.pathname === '/account' ? <Outlet /> : <Navigate to="/account?tab=mfa" replace />;
  }
  if (me.user.kind === 'owner') return <Navigate to="/portal" replace />;
  return <Outlet />;
}

/** Owner portal: any signed-in user (staff may look at it too). */
export function PortalGuard() {
  const { me, isPending, error, refetch } = useMe();
  const location = useLocation();
  if (isPending) return <PageSpinner full />;
  if (error) return <LoadErrorPage error={error} onRetry={() => void refetch()} />;
  if (!me) return <Navigate to={signInPath('/portal/sign-in', location)} replace />;
  if (me.passwordChangeRequired) return <Navigate to="/change-password" replace />;
  if (me.mfaEnrollmentRequired) return <Navigate to="/account?tab=mfa" replace />;
  return <Outlet />;
}

/** A page on its own that still needs someone signed in (the forced password change). */
export function SignedInGuard() {
  const { me, isPending, error, refetch } = useMe();
  const location = useLocation();
  if (isPending) return <PageSpinner full />;
  if (error) return <LoadErrorPage error={error} onRetry={() => void refetch()} />;
  if (!me) return <Navigate to={signInPath('/sign-in', location)} replace />;
  return <Outlet />;
}

export function RequirePermission({ permission, children }: { permission: Permission | null; children: ReactNode }) {
  const { me } = useMe();
  if (!hasPermission(me, permission)) return <ForbiddenPage />;
  return <Suspense fallback={<PageSpinner />}>{children}</Suspense>;
}
