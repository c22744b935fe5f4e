import { useMemo, useState } from 'react';
import { App, Button, Card, Col, Flex, Input, Modal, Row, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Feedback, FeedbackCategory, FeedbackState } from '@courtyard/contracts';
import { filesApi } from '../../ui/Attachments';
import { Chart, type ChartOption } from '../../ui/Chart';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTimeShort } from '../../ui/format';
import { useApiError } from '../../ui/useApiError';
import { feedbackApi, feedbackKeys, useFeedbackMutations, useFeedbackStats } from './api';
import { CATEGORIES, FeedbackStateTag, STATES } from './labels';

function StatsCard() {
  const { t } = useTranslation('feedback');
  const stats = useFeedbackStats();
  const option = useMemo<ChartOption>(() => {
    const byCategory = stats.data?.byCategory ?? [];
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: byCategory.map((c) => t(`category.${c.category}`)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: byCategory.map((c) => c.count), itemStyle: { color: '#1677ff' } }],
    };
  }, [stats.data, t]);
  return (
    <Card size="small" title={`${t('stats.title')} · ${t('stats.total', { count: stats.data?.total ?? 0 })}`} style={{ marginBottom: 16 }}>
      <Row gutter={[16, 8]}>
        <Col xs={24} md={14}>
          <Typography.Text type="secondary">{t('stats.byCategory')}</Typography.Text>
          <Chart option={option} height={180} testId="feedback-by-category" />
        </Col>
        <Col xs={24} md={10}>
          <Typography.Text type="secondary">{t('stats.byState')}</Typography.Text>
          <Flex vertical gap={6} style={{ marginTop: 8 }}>
            {(stats.data?.byState ?? []).map((s) => (
              <Flex key={s.state} justify="space-between">
                <FeedbackStateTag state={s.state} />
                <Typography.Text strong>{s.count}</Typography.Text>
              </Flex>
            ))}
          </Flex>
        </Col>
      </Row>
    </Card>
  );
}

/** `/service-desk/feedback` — 反馈处理: triage, answer (the sender is notified) and close; stats. */
export default function FeedbackTriagePage() {
  const { t } = useTranslation(['feedback', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const m = useFeedbackMutations();
  const [state, setState] = useState<FeedbackState | undefined>();
  const [category, setCategory] = useState<FeedbackCategory | undefined>();
  const [answering, setAnswering] = useState<Feedback | null>(null);
  const [response, setResponse] = useState('');
  const filters = { state, category };

  const actions = (f: Feedback) => (
    <Flex gap={4} wrap>
      {f.state === 'new' ? (
        <Button size="small" onClick={() => m.triage.mutate(f.id, { onError: (e) => showError(e) })}>
          {t('actions.triage')}
        </Button>
      ) : null}
      {f.state !== 'closed' ? (
        <Button size="small" type="primary" onClick={() => (setAnswering(f), setResponse(f.response ?? ''))} data-testid={`feedback-answer-${f.id}`}>
          {t('actions.answer')}
        </Button>
      ) : null}
      {f.state !== 'closed' ? (
        <Button size="small" onClick={() => m.close.mutate(f.id, { onError: (e) => showError(e) })}>
          {t('actions.close')}
        </Button>
      ) : null}
    </Flex>
  );
  const shot = (f: Feedback) =>
    f.screenshotFileId ? (
      <a href={filesApi.contentUrl(f.screenshotFileId)} target="_blank" rel="noreferrer">
        <img src={filesApi.thumbnailUrl(f.screenshotFileId)} alt="" style={{ maxWidth: 96, maxHeight: 64, borderRadius: 4 }} />
      </a>
    ) : null;

  return (
    <>
      <PageHeader
        title={t('common:menu.feedbackTriage')}
        subtitle={t('subtitle')}
        extra={
          <Flex gap={8} wrap>
            <Select allowClear placeholder={t('columns.state')} style={{ width: 130 }} value={state} onChange={setState} options={STATES.map((s) => ({ value: s, label: t(`state.${s}`) }))} />
            <Select allowClear placeholder={t('columns.category')} style={{ width: 130 }} value={category} onChange={setCategory} options={CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))} />
          </Flex>
        }
      />
      <StatsCard />
      <DataTable<Feedback>
        queryKey={feedbackKeys.list(filters)}
        fetchPage={(cursor, signal) => feedbackApi.list(filters, cursor, signal)}
        rowKey={(f) => f.id}
        columns={[
          { title: t('columns.createdAt'), dataIndex: 'createdAt', width: 130, render: (_: unknown, f: Feedback) => formatDateTimeShort(f.createdAt) },
          { title: t('columns.sender'), dataIndex: 'senderName', width: 110 },
          { title: t('columns.category'), dataIndex: 'category', width: 80, render: (_: unknown, f: Feedback) => t(`category.${f.category}`) },
          {
            title: t('columns.body'),
            dataIndex: 'body',
            render: (_: unknown, f: Feedback) => (
              <Flex vertical gap={4}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{f.body}</span>
                {shot(f)}
                {f.response ? <Typography.Text type="secondary">↳ {f.response}</Typography.Text> : null}
              </Flex>
            ),
          },
          { title: t('columns.state'), dataIndex: 'state', width: 90, render: (_: unknown, f: Feedback) => <FeedbackStateTag state={f.state} /> },
          { title: '', key: 'actions', width: 200, render: (_: unknown, f: Feedback) => actions(f) },
        ]}
        renderCard={(f) => (
          <Card size="small">
            <Flex justify="space-between" gap={8}>
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                {f.senderName} · {t(`category.${f.category}`)} · {formatDateTimeShort(f.createdAt)}
              </Typography.Text>
              <FeedbackStateTag state={f.state} />
            </Flex>
            <Typography.Paragraph style={{ margin: '8px 0', whiteSpace: 'pre-wrap' }}>{f.body}</Typography.Paragraph>
            {shot(f)}
            {f.response ? <Typography.Paragraph type="secondary">↳ {f.response}</Typography.Paragraph> : null}
            {actions(f)}
          </Card>
        )}
      />
      <Modal
        open={!!answering}
        title={t('actions.answer')}
        okText={t('common:actions.submit')}
        cancelText={t('common:actions.cancel')}
        confirmLoading={m.answer.isPending}
        okButtonProps={{ disabled: !response.trim() }}
        onCancel={() => setAnswering(null)}
        onOk={() =>
          answering &&
          m.answer.mutate(
            { feedbackId: answering.id, response: response.trim() },
            {
              onSuccess: () => {
                void message.success(t('answered'));
                setAnswering(null);
              },
              onError: (e) => showError(e),
            },
          )
        }
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
          {answering?.body}
        </Typography.Paragraph>
        <Input.TextArea rows={4} maxLength={4000} value={response} onChange={(e) => setResponse(e.target.value)} placeholder={t('answerPlaceholder')} data-testid="feedback-response" />
      </Modal>
    </>
  );
}
