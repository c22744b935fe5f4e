import { Button } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader';
import { RequestDetail } from './RequestDetail';

/** `/portal/requests/:id` — one of my requests: progress, and confirm with a rating or reopen once resolved. */
export default function PortalRequestPage() {
  const { t } = useTranslation('serviceDesk');
  const { id = '' } = useParams();
  return (
    <>
      <PageHeader
        title={t('detail.title')}
        extra={
          <Link to="/portal/requests">
            <Button icon={<ArrowLeftOutlined />}>{t('portal.title')}</Button>
          </Link>
        }
      />
      <RequestDetail requestId={id} canAttach compact />
    </>
  );
}
