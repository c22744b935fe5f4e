import { createElement } from 'react';
import { Menu } from 'antd';
import type { MenuProps } from 'antd';
import { Link, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { MENU_GROUPS, routeForPath, routes } from './routes';
import { hasPermission, useMe } from './session';

/** The side menu, built from the route table and filtered by the user's permissions. */
export function NavMenu({ onNavigate, collapsed = false }: { onNavigate?: () => void; collapsed?: boolean }) {
  const { t } = useTranslation();
  const { me } = useMe();
  const location = useLocation();
  const visible = routes.filter(
    (r) =>
      r.shell === 'console' &&
      r.menu &&
      hasPermission(me, r.permission) &&
      // Until two-factor is set up only the account page is reachable.
      (!me?.mfaEnrollmentRequired || r.key === 'account'),
  );
  const items: MenuProps['items'] = MENU_GROUPS.map((group) => {
    const children = visible
      .filter((r) => r.menu?.group === group.key)
      .map((r) => ({
        key: r.key,
        icon: r.menu ? createElement(r.menu.icon) : null,
        label: (
          <Link to={r.path} data-testid={`menu-${r.key}`} onClick={onNavigate}>
            {r.menu ? t(r.menu.label) : r.key}
          </Link>
        ),
      }));
    return children.length ? { type: 'group' as const, key: group.key, label: collapsed ? null : t(group.label), children } : null;
  }).filter((g) => g !== null);
  const selected = routeForPath(location.pathname);
  return (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={selected ? [selected.key] : []}
      style={{ borderInlineEnd: 'none' }}
      data-testid="side-menu"
    />
  );
}
