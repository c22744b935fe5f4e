import { useMemo } from 'react';
import { App, Button, Card, Descriptions, Empty, Flex, List, Popconfirm, Skeleton, Typography } from 'antd';
import { DownloadOutlined, EditOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { SurveyQuestionResult } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { Chart, type ChartOption } from '../../ui/Chart';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTime } from '../../ui/format';
import { useApiError } from '../../ui/useApiError';
import { surveysApi, useSurvey, useSurveyMutations, useSurveyResults } from './api';
import { SurveyStateTag } from './labels';

/** One question's distribution as horizontal bars (long option labels stay readable on a phone). */
function QuestionChart({ q }: { q: SurveyQuestionResult }) {
  const { t } = useTranslation('surveys');
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: q.distribution.map((d) => (q.kind === 'rating' ? `${d.label} ★` : d.label)) },
      series: [{ name: t('results.count'), type: 'bar', data: q.distribution.map((d) => d.count), itemStyle: { color: q.kind === 'rating' ? '#faad14' : '#1677ff' }, label: { show: true, position: 'right' } }],
    }),
    [q, t],
  );
  return <Chart option={option} height={Math.max(120, q.distribution.length * 36 + 24)} testId={`survey-chart-${q.position}`} />;
}

/** `/service-desk/surveys/:id` — the survey, its state actions and its results with charts. */
export default function SurveyResultsPage() {
  const { t } = useTranslation(['surveys', 'common']);
  const { id = '' } = useParams();
  const { me } = useMe();
  const { message } = App.useApp();
  const showError = useApiError();
  const navigate = useNavigate();
  const survey = useSurvey(id);
  const results = useSurveyResults(id);
  const m = useSurveyMutations();
  const canManage = hasPermission(me, 'service_desk.survey.manage');
  const s = survey.data;
  if (!s) return <Skeleton active />;
  const ok = () => void message.success(t('form.saved'));
  return (
    <>
      <PageHeader
        title={s.title}
        subtitle={<SurveyStateTag state={s.state} />}
        extra={
          <Flex gap={8} wrap>
            {canManage && s.state === 'draft' ? (
              <>
                <Button icon={<EditOutlined />} onClick={() => void navigate(`/service-desk/surveys/${s.id}/edit`)}>
                  {t('common:actions.edit')}
                </Button>
                <Popconfirm title={t('actions.publishConfirm')} onConfirm={() => m.publish.mutate(s.id, { onSuccess: ok, onError: (e) => showError(e) })}>
                  <Button type="primary" data-testid="survey-publish">
                    {t('actions.publish')}
                  </Button>
                </Popconfirm>
              </>
            ) : null}
            {canManage && s.state === 'published' ? (
              <Popconfirm title={t('actions.closeConfirm')} onConfirm={() => m.close.mutate(s.id, { onSuccess: ok, onError: (e) => showError(e) })}>
                <Button danger data-testid="survey-close">
                  {t('actions.close')}
                </Button>
              </Popconfirm>
            ) : null}
            {hasPermission(me, 'data.export.run') ? (
              <Button icon={<DownloadOutlined />} href={surveysApi.exportUrl(s.id)} data-testid="survey-export">
                {t('actions.export')}
              </Button>
            ) : null}
          </Flex>
        }
      />
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('form.window')}>
          {formatDateTime(s.opensAt)} – {formatDateTime(s.closesAt)}
        </Descriptions.Item>
        <Descriptions.Item label={t('columns.anonymous')}>{s.anonymous ? '✓' : '—'}</Descriptions.Item>
        {s.description ? <Descriptions.Item label={t('form.description')}>{s.description}</Descriptions.Item> : null}
      </Descriptions>
      <Typography.Title level={4} data-testid="survey-response-count">
        {t('results.title')} · {t('results.responses', { count: results.data?.responseCount ?? 0 })}
      </Typography.Title>
      {results.isPending ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={12}>
          {(results.data?.questions ?? []).map((q) => (
            <Card
              key={q.questionId}
              size="small"
              data-testid={`survey-result-${q.position}`}
              title={
                <Typography.Text strong style={{ whiteSpace: 'normal' }}>
                  {q.position}. {q.title}
                </Typography.Text>
              }
              extra={<Typography.Text type="secondary">{q.average !== null ? t('results.average', { value: q.average.toFixed(2) }) : t('results.answered', { count: q.answered })}</Typography.Text>}
            >
              {q.kind === 'text' ? (
                q.texts.length ? <List size="small" dataSource={q.texts} renderItem={(text) => <List.Item>{text}</List.Item>} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('results.noTexts')} />
              ) : (
                <QuestionChart q={q} />
              )}
            </Card>
          ))}
        </Flex>
      )}
    </>
  );
}
