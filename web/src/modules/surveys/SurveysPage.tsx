import { Button, Card, Flex, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { SurveySummary } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTimeShort } from '../../ui/format';
import { useIsMobile } from '../../ui/useIsMobile';
import { CommunitySelect, useRegistryCommunity } from '../properties/registry';
import { surveysApi, surveysKeys } from './api';
import { SurveyStateTag } from './labels';

/** `/service-desk/surveys` — 满意度调查: the community's surveys, newest first. */
export default function SurveysPage() {
  const { t } = useTranslation('surveys');
  const { me } = useMe();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const { communityId, setCommunityId, communities, isPending } = useRegistryCommunity();
  const filters = { communityId };
  const window = (s: SurveySummary) => `${formatDateTimeShort(s.opensAt)} – ${formatDateTimeShort(s.closesAt)}`;
  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        extra={
          <>
            <CommunitySelect value={communityId} onChange={setCommunityId} communities={communities} loading={isPending} width={isMobile ? '100%' : 220} />
            {hasPermission(me, 'service_desk.survey.manage') ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/service-desk/surveys/new')} data-testid="survey-create">
                {t('create')}
              </Button>
            ) : null}
          </>
        }
      />
      <DataTable<SurveySummary>
        queryKey={surveysKeys.list(filters)}
        fetchPage={(cursor, signal) => surveysApi.list(filters, cursor, signal)}
        enabled={!!communityId}
        rowKey={(s) => s.id}
        rowTestId={(s) => `survey-row-${s.title}`}
        columns={[
          { title: t('columns.title'), dataIndex: 'title', render: (_: unknown, s: SurveySummary) => <Link to={`/service-desk/surveys/${s.id}`}>{s.title}</Link> },
          { title: t('columns.state'), dataIndex: 'state', width: 100, render: (_: unknown, s: SurveySummary) => <SurveyStateTag state={s.state} /> },
          { title: t('columns.window'), key: 'window', render: (_: unknown, s: SurveySummary) => window(s) },
          { title: t('columns.responses'), dataIndex: 'responseCount', width: 90, align: 'right' },
          { title: t('columns.anonymous'), dataIndex: 'anonymous', width: 80, render: (_: unknown, s: SurveySummary) => (s.anonymous ? '✓' : '') },
        ]}
        renderCard={(s) => (
          <Link to={`/service-desk/surveys/${s.id}`}>
            <Card size="small">
              <Flex justify="space-between" gap={8}>
                <Typography.Text strong ellipsis>
                  {s.title}
                </Typography.Text>
                <SurveyStateTag state={s.state} />
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                {window(s)} · {t('results.responses', { count: s.responseCount })}
              </Typography.Text>
            </Card>
          </Link>
        )}
      />
    </>
  );
}
