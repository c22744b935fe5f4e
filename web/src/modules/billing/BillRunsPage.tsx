import { useEffect, useState } from 'react';
import { Alert, Button, Card, Flex, Input, Progress, Select, Statistic, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { BillRun, BillRunPreview, FeeItem } from '@courtyard/contracts';
import { PageHeader } from '../../ui/PageHeader';
import { api } from '../../ui/api';
import { formatDateTime } from '../../ui/format';
import { useErrorText } from '../../ui/useApiError';
import { formatCents, yuan } from './money';

const PERIOD = /^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$/;

/**
 * `/billing/runs`: preview a bill run (bills and totals per fee item, rooms skipped and why) →
 * run it (a background job; the run's own progress is polled) → result; cancel while unpaid.
 */
export default function BillRunsPage() {
  const { t } = useTranslation('billing');
  const errorText = useErrorText();
  const qc = useQueryClient();
  const communities = useQuery({ queryKey: ['billing', 'communities'], queryFn: ({ signal }) => api.get<{ items: { id: string; name: string }[] }>('/api/communities', undefined, { signal }) });
  const [communityPick, setCommunityPick] = useState<string | undefined>();
  const communityId = communityPick ?? communities.data?.items[0]?.id;
  const feeItems = useQuery({
    queryKey: ['billing', 'fee-items', communityId],
    queryFn: ({ signal }) => api.get<{ items: FeeItem[] }>('/api/fee-items', { communityId, active: true }, { signal }),
    enabled: !!communityId,
  });
  const [period, setPeriod] = useState('');
  const [picked, setPicked] = useState<string[] | null>(null);
  const feeItemIds = picked ?? (feeItems.data?.items ?? []).map((f) => f.id);
  const feeName = (id: string) => feeItems.data?.items.find((f) => f.id === id)?.name ?? id;
  const body = { communityId: communityId ?? '', periodLabel: period.trim(), feeItemIds };
  const valid = !!communityId && PERIOD.test(body.periodLabel) && feeItemIds.length > 0;

  const preview = useMutation({ mutationFn: () => api.post<BillRunPreview>('/api/bill-runs/preview', body) });
  const start = useMutation({ mutationFn: () => api.post<BillRun>('/api/bill-runs', body), onSuccess: (run) => setRunId(run.id) });
  const [runId, setRunId] = useState<string | null>(null);
  const run = useQuery({
    queryKey: ['billing', 'bill-run', runId],
    queryFn: ({ signal }) => api.get<BillRun>(`/api/bill-runs/${runId}`, undefined, { signal }),
    enabled: !!runId,
    refetchInterval: (q) => (q.state.data?.status === 'running' || q.state.data?.status === 'preview' ? 1000 : false),
  });
  const cancel = useMutation({ mutationFn: (id: string) => api.post<BillRun>(`/api/bill-runs/${id}/cancel`), onSuccess: () => qc.invalidateQueries({ queryKey: ['billing'] }) });
  const runs = useQuery({
    queryKey: ['billing', 'bill-runs', communityId],
    queryFn: ({ signal }) => api.get<{ items: BillRun[] }>('/api/bill-runs', { communityId, limit: 20 }, { signal }),
    enabled: !!communityId,
  });
  const finished = run.data && run.data.status !== 'running' && run.data.status !== 'preview';
  useEffect(() => {
    if (finished) void qc.invalidateQueries({ queryKey: ['billing', 'bill-runs'] });
  }, [finished, qc]);

  const error = preview.error ?? start.error ?? cancel.error;
  return (
    <>
      <PageHeader title={t('runs.title')} />
      <Flex vertical gap={16}>
        <Card size="small">
          <Flex wrap gap={8}>
            <Select style={{ minWidth: 160 }} value={communityId} options={(communities.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))} onChange={(v: string) => { setCommunityPick(v); setPicked(null); }} />
            <Input style={{ width: 130 }} placeholder="2026-12" value={period} status={period && !PERIOD.test(period.trim()) ? 'error' : undefined} onChange={(e) => setPeriod(e.target.value)} data-testid="runs-period" />
            <Select mode="multiple" style={{ minWidth: 220, flex: 1 }} value={feeItemIds} options={(feeItems.data?.items ?? []).map((f) => ({ value: f.id, label: f.name }))} onChange={(v: string[]) => setPicked(v)} />
            <Button disabled={!valid} loading={preview.isPending} onClick={() => preview.mutate()} data-testid="runs-preview">
              {t('runs.preview')}
            </Button>
          </Flex>
        </Card>
        {error ? <Alert type="error" showIcon title={errorText(error)} /> : null}
        {preview.data ? (
          <Card size="small" title={t('runs.previewOf', { period: preview.data.periodLabel })} data-testid="runs-preview-result">
            <Flex vertical gap={12}>
              <Flex gap={24} wrap>
                <Statistic title={t('runs.rooms')} value={preview.data.rooms} />
                {preview.data.spaces > 0 ? <Statistic title={t('runs.spaces')} value={preview.data.spaces} /> : null}
                <Statistic title={t('runs.bills')} value={preview.data.bills} />
                <Statistic title={t('runs.total')} value={formatCents(preview.data.totalCents)} prefix="¥" />
              </Flex>
              <Table
                size="small"
                rowKey="feeItemId"
                pagination={false}
                dataSource={preview.data.totals}
                scroll={{ x: 'max-content' }}
                columns={[
                  { title: t('bill.feeItem'), dataIndex: 'feeItemId', render: (id: string) => feeName(id) },
                  { title: t('runs.bills'), dataIndex: 'bills', align: 'right' },
                  { title: t('runs.total'), dataIndex: 'amountCents', align: 'right', render: (v: number) => formatCents(v) },
                ]}
              />
              {Object.keys(preview.data.skippedCounts).length > 0 ? (
                <Flex vertical gap={4}>
                  <Typography.Text strong>{t('runs.skipped')}</Typography.Text>
                  <Flex wrap gap={4}>
                    {Object.entries(preview.data.skippedCounts).map(([reason, n]) => (
                      <Tag key={reason}>
                        {t(`runs.reason.${reason}` as 'runs.reason.no_area', { defaultValue: reason })}: {n}
                      </Tag>
                    ))}
                  </Flex>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {preview.data.skipped
                      .slice(0, 30)
                      .map((s) => `${s.roomCode} (${feeName(s.feeItemId)}: ${t(`runs.reason.${s.reason}`)})`)
                      .join('、')}
                  </Typography.Text>
                </Flex>
              ) : null}
              {preview.data.bills === 0 ? <Alert type="info" showIcon title={t('runs.nothing')} /> : null}
              <Button type="primary" disabled={preview.data.bills === 0 || !valid || start.isSuccess} loading={start.isPending} onClick={() => start.mutate()} data-testid="runs-start">
                {t('runs.start', { count: preview.data.bills })}
              </Button>
            </Flex>
          </Card>
        ) : null}
        {run.data ? (
          <Card size="small" title={t('runs.progress')} data-testid="runs-progress">
            <Progress percent={run.data.roomsTotal > 0 ? Math.floor((run.data.roomsDone * 100) / run.data.roomsTotal) : run.data.status === 'done' ? 100 : 0} status={run.data.status === 'failed' ? 'exception' : run.data.status === 'done' ? 'success' : 'active'} />
            <Typography.Text>
              {t(`runs.status.${run.data.status}`)} · {t('runs.inserted', { inserted: run.data.billsInserted, existing: run.data.billsSkippedExisting })} · {yuan(run.data.totalCents)}
            </Typography.Text>
            {run.data.error ? <Alert type="error" title={run.data.error} /> : null}
          </Card>
        ) : null}
        <Card size="small" title={t('runs.history')}>
          <Table<BillRun>
            size="small"
            rowKey="id"
            loading={runs.isLoading}
            pagination={false}
            dataSource={runs.data?.items ?? []}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('bill.period'), dataIndex: 'periodLabel' },
              { title: t('bills.status'), dataIndex: 'status', render: (s: BillRun['status']) => <Tag>{t(`runs.status.${s}`)}</Tag> },
              { title: t('runs.bills'), dataIndex: 'billsInserted', align: 'right' },
              { title: t('runs.total'), dataIndex: 'totalCents', align: 'right', render: (v: number) => formatCents(v) },
              { title: t('runs.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
              {
                key: 'actions',
                render: (_: unknown, r) =>
                  r.status === 'done' ? (
                    <Button size="small" danger loading={cancel.isPending} onClick={() => cancel.mutate(r.id)}>
                      {t('runs.cancel')}
                    </Button>
                  ) : null,
              },
            ]}
          />
        </Card>
      </Flex>
    </>
  );
}
