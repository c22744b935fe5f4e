import { App, Card, Descriptions, Select, Space, Tabs, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '@courtyard/contracts';
import { currentLocale } from '../../app/i18n';
import { useSwitchLocale } from '../../app/locale';
import { useMe } from '../../app/session';
import { PageHeader } from '../../ui/PageHeader';
import { useIsMobile } from '../../ui/useIsMobile';
import { PasswordForm } from './PasswordForm';
import { MfaPanel } from './MfaPanel';
import { SessionsPanel } from './SessionsPanel';
import { roleLabel } from './labels';

const TABS = ['profile', 'password', 'mfa', 'sessions'] as const;
type TabKey = (typeof TABS)[number];

function ProfilePanel() {
  const { t } = useTranslation('identity');
  const { t: tc } = useTranslation();
  const { me } = useMe();
  const switchLocale = useSwitchLocale();
  const { message } = App.useApp();
  const locale = currentLocale();
  const isMobile = useIsMobile();
  if (!me) return null;
  return (
    <Descriptions
      column={1}
      bordered
      size={isMobile ? 'small' : 'middle'}
      layout={isMobile ? 'vertical' : 'horizontal'}
      styles={{ label: isMobile ? {} : { width: 160 } }}
    >
      <Descriptions.Item label={t('account.username')}>
        <span data-user-data>{me.user.username}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('account.displayName')}>
        <span data-user-data>{me.user.displayName}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('account.kind')}>{t(`kind.${me.user.kind}`)}</Descriptions.Item>
      <Descriptions.Item label={t('account.roles')}>
        <Space wrap size={[4, 4]}>
          {me.roles.length ? me.roles.map((r) => <Tag key={r}>{roleLabel(r, locale)}</Tag>) : tc('common.none')}
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label={t('account.language')}>
        <Space orientation="vertical" size={4}>
          <Select<Locale>
            value={locale}
            style={{ width: 200, maxWidth: '100%' }}
            options={LOCALES.map((l) => ({ value: l, label: tc(`language.${l}`) }))}
            onChange={(value) => {
              void switchLocale(value).then(() => message.success(t('account.languageSaved')));
            }}
            data-testid="account-language"
          />
          <Typography.Text type="secondary">{t('account.languageHint')}</Typography.Text>
        </Space>
      </Descriptions.Item>
    </Descriptions>
  );
}

/** `/account`: profile and language, password, two-factor, sessions. */
export default function AccountPage() {
  const { t } = useTranslation('identity');
  const { me } = useMe();
  const isMobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const forcedMfa = !!me?.mfaEnrollmentRequired;
  const active: TabKey = forcedMfa ? 'mfa' : (TABS.find((k) => k === requested) ?? 'profile');
  const items = [
    { key: 'profile', label: t('account.tabs.profile'), children: <ProfilePanel />, disabled: forcedMfa },
    { key: 'password', label: t('account.tabs.password'), children: <PasswordForm />, disabled: forcedMfa },
    { key: 'mfa', label: <span data-testid="account-tab-mfa">{t('account.tabs.mfa')}</span>, children: <MfaPanel /> },
    { key: 'sessions', label: t('account.tabs.sessions'), children: <SessionsPanel />, disabled: forcedMfa },
  ];
  return (
    <>
      <PageHeader title={t('account.title')} />
      <Card styles={{ body: { padding: isMobile ? 12 : 24 } }}>
        <Tabs activeKey={active} items={items} onChange={(key) => setParams({ tab: key }, { replace: true })} destroyOnHidden />
      </Card>
    </>
  );
}
