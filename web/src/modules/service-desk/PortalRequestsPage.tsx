import { Button, Empty, Flex, Spin } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader';
import { useMyRequests } from './api';
import { RequestCard } from './RequestCard';

/** `/portal/requests` — 我的报修: my requests and my household's, with live progress (refetched on focus and every 30 s). */
export default function PortalRequestsPage() {
  const { t } = useTranslation('serviceDesk');
  const mine = useMyRequests();
  const items = mine.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('portal.title')}
        extra={
          <Link to="/portal/requests/new">
            <Button type="primary" icon={<PlusOutlined />} data-testid="portal-report">
              {t('portal.report')}
            </Button>
          </Link>
        }
      />
      {mine.isPending ? <Spin /> : null}
      {mine.isSuccess && items.length === 0 ? <Empty description={t('portal.empty')} /> : null}
      <Flex vertical gap={8} data-testid="my-requests">
        {items.map((r) => (
          <RequestCard key={r.id} request={r} to={`/portal/requests/${r.id}`} showState />
        ))}
      </Flex>
    </>
  );
}
