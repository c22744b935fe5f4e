import { Suspense } from 'react';
import { Flex, Layout, Typography, theme } from 'antd';
import { Link, Outlet } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { UserMenu } from '../../app/UserMenu';
import { PageSpinner } from '../../app/StatusPages';
import { useIsMobile } from '../../ui/useIsMobile';
import { NotificationBell } from '../notifications/NotificationBell';

/** Owner portal frame: mobile first, a slim header and one centred column; no side menu. */
export function PortalLayout() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const isMobile = useIsMobile();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        data-testid="app-header"
        style={{
          background: token.colorBgContainer,
          borderBottom: `1px solid ${token.colorBorderSecondary}`,
          paddingInline: 12,
          height: 56,
          lineHeight: '56px',
          display: 'flex',
          alignItems: 'center',
          gap: 8,
          position: 'sticky',
          top: 0,
          zIndex: 10,
        }}
      >
        <Link to="/portal" style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }} data-testid="brand">
          <img src="/favicon.svg" alt="" width={26} height={26} />
          <Typography.Text strong ellipsis style={{ fontSize: 16 }}>
            {t('app.portal')}
          </Typography.Text>
        </Link>
        <div style={{ flex: 1 }} />
        <NotificationBell />
        <LanguageSwitch compact={isMobile} />
        <UserMenu variant="portal" compact={isMobile} />
      </Layout.Header>
      <Layout.Content data-testid="app-content">
        <Flex justify="center" style={{ padding: isMobile ? 12 : 24 }}>
          <div style={{ width: '100%', maxWidth: 720 }}>
            <Suspense fallback={<PageSpinner />}>
              <Outlet />
            </Suspense>
          </div>
        </Flex>
      </Layout.Content>
    </Layout>
  );
}
