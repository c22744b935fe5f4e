import { useEffect, type ComponentType, type ReactNode } from 'react';
import { Alert, Button, Card, Col, Flex, Row, Tag, Typography } from 'antd';
import { BellOutlined, CommentOutlined, FileTextOutlined, FormOutlined, HomeOutlined, RightOutlined, ToolOutlined, UserAddOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { Trans, useTranslation } from 'react-i18next';
import { useMe } from '../../app/session';

type CardKey = 'bills' | 'repairs' | 'visitors' | 'notices';

/** The owner features, in the order later issues fill them in. */
const CARDS: { key: CardKey; icon: ComponentType; color: string }[] = [
  { key: 'bills', icon: FileTextOutlined, color: '#1677ff' },
  { key: 'repairs', icon: ToolOutlined, color: '#fa8c16' },
  { key: 'visitors', icon: UserAddOutlined, color: '#52c41a' },
  { key: 'notices', icon: BellOutlined, color: '#722ed1' },
];

/** `/portal`: greeting and the owner features (placeholders until their issues land). */
export default function PortalHomePage() {
  const { t } = useTranslation('portal');
  const { t: tc } = useTranslation();
  const { t: tp } = useTranslation('people');
  const { t: ts } = useTranslation('surveys');
  const { t: tf } = useTranslation('feedback');
  const { t: td } = useTranslation('serviceDesk');
  const { me } = useMe();
  useEffect(() => {
    document.title = `${t('title')} · ${tc('app.shortName')}`;
  }, [t, tc]);
  if (!me) return null;
  return (
    <Flex vertical gap={16}>
      <Card
        style={{ background: 'linear-gradient(135deg, #1677ff 0%, #4096ff 100%)', border: 'none' }}
        styles={{ body: { padding: 20 } }}
      >
        <Typography.Title level={3} style={{ color: '#fff', margin: 0 }} data-testid="portal-greeting">
          <Trans t={t} i18nKey="greeting" values={{ name: me.user.displayName }} components={{ name: <span data-user-data /> }} />
        </Typography.Title>
        <Typography.Paragraph style={{ color: 'rgba(255,255,255,0.85)', margin: '8px 0 0' }}>{t('intro')}</Typography.Paragraph>
      </Card>
      {me.user.kind !== 'owner' ? (
        <Alert
          type="info"
          showIcon
          title={t('staffNotice')}
          action={
            <Link to="/">
              <Button size="small">{t('backToConsole')}</Button>
            </Link>
          }
        />
      ) : null}
      <Link to="/portal/home" data-testid="portal-my-home">
        <Card hoverable styles={{ body: { padding: 16 } }}>
          <Flex align="center" gap={12}>
            <span style={{ fontSize: 26, color: '#13c2c2' }}>
              <HomeOutlined />
            </span>
            <Flex vertical style={{ flex: 1, minWidth: 0 }}>
              <Typography.Text strong style={{ fontSize: 16 }}>
                {tp('myHome.link')}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                {tp('myHome.linkDescription')}
              </Typography.Text>
            </Flex>
            <RightOutlined style={{ color: '#bfbfbf' }} />
          </Flex>
        </Card>
      </Link>
      {/* Service desk: surveys open for me and feedback about the system. */}
      {[
        { to: '/portal/requests', testId: 'portal-requests', icon: <ToolOutlined />, color: '#fa8c16', title: td('portal.link'), description: td('portal.linkDescription') },
        { to: '/portal/surveys', testId: 'portal-surveys', icon: <FormOutlined />, color: '#eb2f96', title: ts('portal.link'), description: ts('portal.linkDescription') },
        { to: '/portal/feedback', testId: 'portal-feedback', icon: <CommentOutlined />, color: '#2f54eb', title: tf('portal.link'), description: tf('portal.linkDescription') },
      ].map((l) => (
        <Link to={l.to} data-testid={l.testId} key={l.to}>
          <Card hoverable styles={{ body: { padding: 16 } }}>
            <Flex align="center" gap={12}>
              <span style={{ fontSize: 26, color: l.color }}>{l.icon}</span>
              <Flex vertical style={{ flex: 1, minWidth: 0 }}>
                <Typography.Text strong style={{ fontSize: 16 }}>
                  {l.title}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {l.description}
                </Typography.Text>
              </Flex>
              <RightOutlined style={{ color: '#bfbfbf' }} />
            </Flex>
          </Card>
        </Link>
      ))}
      <Row gutter={[12, 12]}>
        {CARDS.map(({ key, icon: Icon, color }) => (
          <Col xs={12} sm={12} key={key}>
            <ConditionalLink to={key === 'bills' ? '/portal/bills' : undefined}>
              <Card hoverable={key === 'bills'} style={{ height: '100%' }} styles={{ body: { padding: 16 } }} data-testid={`portal-card-${key}`}>
                <Flex vertical gap={8}>
                  <Flex justify="space-between" align="center">
                    <span style={{ fontSize: 26, color }}>
                      <Icon />
                    </span>
                    {key === 'bills' ? null : <Tag>{t('comingSoon')}</Tag>}
                  </Flex>
                  <Typography.Text strong style={{ fontSize: 16 }}>
                    {t(`cards.${key}.title`)}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                    {t(`cards.${key}.description`)}
                  </Typography.Text>
                </Flex>
              </Card>
            </ConditionalLink>
          </Col>
        ))}
      </Row>
    </Flex>
  );
}

/** Billing (issue 5): the bills card opens the portal's bills page; the others are still placeholders. */
function ConditionalLink({ to, children }: { to: string | undefined; children: ReactNode }) {
  return to ? (
    <Link to={to} style={{ display: 'block', height: '100%' }}>
      {children}
    </Link>
  ) : (
    <>{children}</>
  );
}
