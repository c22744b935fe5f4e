import { createElement } from 'react';
import { Card, Col, Flex, Row, Space, Tag, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { Trans, useTranslation } from 'react-i18next';
import { roleLabel } from '../modules/identity/labels';
import { PageHeader } from '../ui/PageHeader';
import { currentLocale } from './i18n';
import { routes } from './routes';
import { hasPermission, useMe } from './session';

/** `/`: a welcome with the user's roles and links to what they may open. No invented figures. */
export default function HomePage() {
  const { t } = useTranslation();
  const { me } = useMe();
  const locale = currentLocale();
  if (!me) return null;
  const links = routes.filter((r) => r.shell === 'console' && r.menu && r.key !== 'home' && hasPermission(me, r.permission));
  return (
    <>
      <PageHeader title={t('home.title')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card style={{ height: '100%' }}>
            <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="home-welcome">
              <Trans t={t} i18nKey="home.welcome" values={{ name: me.user.displayName }} components={{ name: <span data-user-data /> }} />
            </Typography.Title>
            <Typography.Text type="secondary">{t('home.roles')}</Typography.Text>
            <div style={{ margin: '8px 0 16px' }}>
              {me.roles.length ? (
                <Space size={[6, 6]} wrap>
                  {me.roles.map((r) => (
                    <Tag color="blue" key={r}>
                      {roleLabel(r, locale)}
                    </Tag>
                  ))}
                </Space>
              ) : (
                <Typography.Text>{t('home.noRoles')}</Typography.Text>
              )}
            </div>
            <Space>
              <SafetyCertificateOutlined style={{ color: me.user.mfaEnabled ? '#52c41a' : '#faad14' }} />
              <Typography.Text>{me.user.mfaEnabled ? t('home.mfaOn') : t('home.mfaOff')}</Typography.Text>
            </Space>
            <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
              {t('home.lastHint')}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('home.quickLinks')} style={{ height: '100%' }}>
            {links.length ? (
              <Row gutter={[12, 12]}>
                {links.map((r) => (
                  <Col xs={12} key={r.key}>
                    <Link to={r.path} data-testid={`quick-${r.key}`}>
                      <Card size="small" hoverable>
                        <Flex vertical align="center" gap={6}>
                          <span style={{ fontSize: 22, color: '#1677ff' }}>{r.menu ? createElement(r.menu.icon) : null}</span>
                          <Typography.Text>{r.menu ? t(r.menu.label) : r.key}</Typography.Text>
                        </Flex>
                      </Card>
                    </Link>
                  </Col>
                ))}
              </Row>
            ) : (
              <Typography.Text type="secondary">{t('home.noLinks')}</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
