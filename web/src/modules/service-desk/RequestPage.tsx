import { Button } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../app/session';
import { PageHeader } from '../../ui/PageHeader';
import { useIsMobile } from '../../ui/useIsMobile';
import { RequestDetail } from './RequestDetail';

/**
 * `/service-desk/requests/:id` — a request in the console, for customer service and for the
 * technician it is dispatched to (the server decides who sees it and which actions they get).
 */
export default function RequestPage() {
  const { t } = useTranslation('serviceDesk');
  const { id = '' } = useParams();
  const { me } = useMe();
  const isMobile = useIsMobile();
  const staff = me?.permissions.includes('service_desk.request.read') ?? false;
  const canAttach = (me?.permissions.includes('service_desk.request.manage') ?? false) || (me?.permissions.includes('service_desk.request.work') ?? false);
  return (
    <>
      <PageHeader
        title={t('detail.title')}
        extra={
          <Link to={staff ? '/service-desk/board' : '/service-desk/my-tasks'}>
            <Button icon={<ArrowLeftOutlined />}>{staff ? t('board.title') : t('tasks.title')}</Button>
          </Link>
        }
      />
      <RequestDetail requestId={id} canAttach={canAttach} compact={isMobile} />
    </>
  );
}
