import { Empty, Tabs } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader';
import { useIsMobile } from '../../ui/useIsMobile';
import { CommunitySelect, useRegistryCommunity } from '../properties/registry';
import { CategoriesTab } from './settings/CategoriesTab';
import { HoursTab } from './settings/HoursTab';
import { RulesTab } from './settings/RulesTab';
import { SlaTab } from './settings/SlaTab';
import { TeamsTab, TechniciansTab } from './settings/TeamsTab';

const TABS = ['categories', 'teams', 'technicians', 'rules', 'sla', 'hours'] as const;
type Tab = (typeof TABS)[number];

/**
 * `/service-desk/settings` — 服务台设置 (`service_desk.config.manage`): the configuration the
 * desk runs on, per community. The tab is kept in the address (`?tab=sla`) so a link opens it.
 */
export default function SettingsPage() {
  const { t } = useTranslation('serviceDesk');
  const isMobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const { communityId, setCommunityId, communities, isPending } = useRegistryCommunity();
  const tab: Tab = TABS.find((x) => x === params.get('tab')) ?? 'categories';

  const body = (key: Tab, id: string) => {
    switch (key) {
      case 'categories':
        return <CategoriesTab communityId={id} />;
      case 'teams':
        return <TeamsTab communityId={id} />;
      case 'technicians':
        return <TechniciansTab communityId={id} />;
      case 'rules':
        return <RulesTab communityId={id} />;
      case 'sla':
        return <SlaTab communityId={id} />;
      case 'hours':
        return <HoursTab communityId={id} />;
    }
  };

  return (
    <>
      <PageHeader title={t('settings.title')} subtitle={t('settings.subtitle')} extra={<CommunitySelect value={communityId} onChange={setCommunityId} communities={communities} loading={isPending} width={isMobile ? '100%' : 220} />} />
      {communityId ? (
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams({ tab: key }, { replace: true })}
          destroyOnHidden
          items={TABS.map((key) => ({ key, label: <span data-testid={`settings-tab-${key}`}>{t(`settings.tabs.${key}`)}</span>, children: body(key, communityId) }))}
        />
      ) : isPending ? null : (
        <Empty description={t('settings.noCommunity')} />
      )}
    </>
  );
}
