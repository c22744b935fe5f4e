import type { ReactNode } from 'react';
import { Alert, Flex, Tabs } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { hasPermission, useMe } from '../../app/session';
import { PageHeader } from '../../ui/PageHeader';
import { EmailCard, LimitsCard, OrganisationCard, PushCard, SecurityCard, SmsCard } from './cards';
import { LocaleCard } from './LocaleCard';

const TABS = ['organisation', 'locale', 'security', 'notifications'] as const;
type TabKey = (typeof TABS)[number];

function isTab(value: string | null): value is TabKey {
  return (TABS as readonly (string | null)[]).includes(value);
}

/**
 * `/admin/settings` (`settings.system.read`): one tab per group of settings. Organisation values
 * need `settings.system.manage`; a property manager (`settings.community.manage`) edits only the
 * language and time zone of their communities. The server checks both again.
 */
export default function SettingsPage() {
  const { t } = useTranslation('settings');
  const { me } = useMe();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab');
  const active: TabKey = isTab(tab) ? tab : 'organisation';
  const canManage = hasPermission(me, 'settings.system.manage');
  const canManageCommunity = hasPermission(me, 'settings.community.manage');
  const canPickCommunity = hasPermission(me, 'properties.community.read') && (canManage || canManageCommunity);

  const stack = (children: ReactNode) => (
    <Flex vertical gap={16}>
      {children}
    </Flex>
  );
  const items = [
    { key: 'organisation', label: t('tabs.organisation'), children: <OrganisationCard canEdit={canManage} /> },
    {
      key: 'locale',
      label: t('tabs.locale'),
      children: <LocaleCard canEditOrg={canManage} canEditCommunity={canManageCommunity} canPickCommunity={canPickCommunity} />,
    },
    { key: 'security', label: t('tabs.security'), children: <SecurityCard canEdit={canManage} /> },
    {
      key: 'notifications',
      label: t('tabs.notifications'),
      children: stack(
        <>
          <EmailCard canEdit={canManage} />
          <SmsCard canEdit={canManage} />
          <PushCard canEdit={canManage} />
          <LimitsCard canEdit={canManage} />
        </>,
      ),
    },
  ].map((item) => ({ ...item, label: <span data-testid={`settings-tab-${item.key}`}>{item.label}</span> }));

  return (
    <div data-testid="settings-page">
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      {canManage ? null : (
        <Alert
          type="info"
          showIcon
          title={t('readOnly')}
          description={canManageCommunity ? t('readOnlyCommunity') : undefined}
          style={{ marginBottom: 16 }}
          data-testid="settings-read-only"
        />
      )}
      <Tabs activeKey={active} items={items} onChange={(key) => setParams({ tab: key }, { replace: true })} destroyOnHidden />
    </div>
  );
}
