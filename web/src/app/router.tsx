import { Suspense } from 'react';
import { createBrowserRouter, Outlet, ScrollRestoration, type RouteObject } from 'react-router-dom';
import { routes, type AppRoute } from './routes';
import { ConsoleGuard, PortalGuard, RequirePermission, SignedInGuard } from './guards';
import { ConsoleLayout } from './ConsoleLayout';
import { PortalLayout } from '../modules/portal/PortalLayout';
import { NotFoundPage, PageSpinner } from './StatusPages';
import { LocaleSync } from './locale';

function toRoute(route: AppRoute): RouteObject {
  const Page = route.page;
  return {
    path: route.path,
    element: (
      <RequirePermission permission={route.permission}>
        <Page />
      </RequirePermission>
    ),
  };
}

const of = (shell: AppRoute['shell'], isPublic: boolean) =>
  routes.filter((r) => r.shell === shell && !!r.public === isPublic).map(toRoute);

function Root() {
  return (
    <>
      <LocaleSync />
      <ScrollRestoration />
      <Suspense fallback={<PageSpinner full />}>
        <Outlet />
      </Suspense>
    </>
  );
}

export const router = createBrowserRouter([
  {
    element: <Root />,
    children: [
      ...of('bare', true),
      { element: <SignedInGuard />, children: of('bare', false) },
      { element: <ConsoleGuard />, children: [{ element: <ConsoleLayout />, children: of('console', false) }] },
      { element: <PortalGuard />, children: [{ element: <PortalLayout />, children: of('portal', false) }] },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
