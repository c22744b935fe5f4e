import { Suspense, useState } from 'react';
import { Button, Drawer, Flex, Layout, Typography, theme } from 'antd';
import { MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { Link, Outlet } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useIsMobile } from '../ui/useIsMobile';
import { NavMenu } from './NavMenu';
import { LanguageSwitch } from './LanguageSwitch';
import { UserMenu } from './UserMenu';
import { PageSpinner } from './StatusPages';
import { NotificationBell } from '../modules/notifications/NotificationBell';
import { HeaderSearch } from '../modules/people/HeaderSearch';

export function Brand({ collapsed = false }: { collapsed?: boolean }) {
  const { t } = useTranslation();
  return (
    <Link to="/" style={{ display: 'flex', alignItems: 'center', gap: 10, minWidth: 0 }} data-testid="brand">
      <img src="/favicon.svg" alt="" width={28} height={28} style={{ flex: 'none' }} />
      {collapsed ? null : (
        <Typography.Text strong ellipsis style={{ fontSize: 16 }}>
          {t('app.shortName')}
          <Typography.Text type="secondary" style={{ marginInlineStart: 6, fontWeight: 'normal' }}>
            {t('app.console')}
          </Typography.Text>
        </Typography.Text>
      )}
    </Link>
  );
}

/** Staff console: side menu on desktops and tablets, a drawer behind a menu button on phones. */
export function ConsoleLayout() {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {isMobile ? null : (
        <Layout.Sider
          theme="light"
          width={228}
          collapsible
          collapsed={collapsed}
          trigger={null}
          style={{ borderInlineEnd: `1px solid ${token.colorBorderSecondary}` }}
          data-testid="app-sider"
        >
          <Flex align="center" style={{ height: 64, paddingInline: collapsed ? 26 : 20 }}>
            <Brand collapsed={collapsed} />
          </Flex>
          <NavMenu collapsed={collapsed} />
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header
          data-testid="app-header"
          style={{
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            paddingInline: isMobile ? 8 : 16,
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          {isMobile ? (
            <>
              <Button type="text" icon={<MenuOutlined />} onClick={() => setDrawerOpen(true)} aria-label={t('menu.open')} data-testid="menu-toggle" />
              <Brand />
            </>
          ) : (
            <Button
              type="text"
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => setCollapsed((c) => !c)}
              aria-label={t('menu.open')}
            />
          )}
          <div style={{ flex: 1 }} />
          <HeaderSearch />
          <NotificationBell />
          <LanguageSwitch compact={isMobile} />
          <UserMenu variant="console" compact={isMobile} />
        </Layout.Header>
        <Layout.Content style={{ padding: isMobile ? 12 : 24, minWidth: 0 }} data-testid="app-content">
          <Suspense fallback={<PageSpinner />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      {isMobile ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={264}
          title={<Brand />}
          styles={{ body: { padding: 0 } }}
          data-testid="menu-drawer"
        >
          <NavMenu onNavigate={() => setDrawerOpen(false)} />
        </Drawer>
      ) : null}
    </Layout>
  );
}
