import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Descriptions, Drawer, Flex, Form, Input, Radio, Select, Table, Tag, Timeline, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Bill, FeeItem } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { PageHeader } from '../../ui/PageHeader';
import { api, buildUrl } from '../../ui/api';
import { formatDateTime } from '../../ui/format';
import { useErrorText } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { billingKeys, useBill, useRefetchOnLanguageChange, type BillPage } from './api';
import { formatCents, parseYuanToCents } from './money';

interface Filters {
  communityId?: string;
  feeItemId?: string;
  periodLabel?: string;
  status?: 'open' | 'paid' | 'cancelled';
  overdue?: boolean;
}

/** `/billing/bills`: bills in the user's scope with filters; a row opens its detail. */
export default function BillsPage() {
  const { t } = useTranslation('billing');
  useRefetchOnLanguageChange();
  const [filters, setFilters] = useState<Filters>({ status: 'open' });
  const [open, setOpen] = useState<string | null>(null);
  const communities = useQuery({ queryKey: ['billing', 'communities'], queryFn: ({ signal }) => api.get<{ items: { id: string; name: string }[] }>('/api/communities', undefined, { signal }) });
  const communityId = filters.communityId ?? communities.data?.items[0]?.id;
  const feeItems = useQuery({
    queryKey: ['billing', 'fee-items', communityId],
    queryFn: ({ signal }) => api.get<{ items: FeeItem[] }>('/api/fee-items', { communityId }, { signal }),
    enabled: !!communityId,
  });
  const bills = useInfiniteQuery({
    queryKey: ['billing', 'bills', communityId, filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get<BillPage>('/api/bills', { communityId, feeItemId: filters.feeItemId, periodLabel: filters.periodLabel, status: filters.status, overdue: filters.overdue, cursor: pageParam, limit: 50 }, { signal }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: !!communityId,
  });
  const rows = bills.data?.pages.flatMap((p) => p.items) ?? [];
  const { me } = useMe();
  // The export (data-exchange, streamed, audited with its row count) takes the list's own filters.
  const exportUrl = (format: 'xlsx' | 'csv') =>
    buildUrl(`/api/exports/bills.${format}`, { communityId, feeItemId: filters.feeItemId, periodLabel: filters.periodLabel, status: filters.status, overdue: filters.overdue });
  return (
    <>
      <PageHeader title={t('bills.title')} />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Flex wrap gap={8}>
          <Select
            style={{ minWidth: 160 }}
            value={communityId}
            options={(communities.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            onChange={(v: string) => setFilters({ ...filters, communityId: v, feeItemId: undefined })}
            data-testid="bills-community"
          />
          <Select
            allowClear
            style={{ minWidth: 140 }}
            placeholder={t('bill.feeItem')}
            value={filters.feeItemId}
            options={(feeItems.data?.items ?? []).map((f) => ({ value: f.id, label: f.name }))}
            onChange={(v: string | undefined) => setFilters({ ...filters, feeItemId: v })}
          />
          <Input
            allowClear
            style={{ width: 120 }}
            placeholder="2026-11"
            defaultValue={filters.periodLabel}
            onBlur={(e) => setFilters({ ...filters, periodLabel: /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$/.test(e.target.value.trim()) ? e.target.value.trim() : undefined })}
          />
          <Select
            allowClear
            style={{ minWidth: 100 }}
            placeholder={t('bills.status')}
            value={filters.status}
            options={(['open', 'paid', 'cancelled'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))}
            onChange={(v: Filters['status']) => setFilters({ ...filters, status: v })}
          />
          <Checkbox checked={!!filters.overdue} onChange={(e) => setFilters({ ...filters, overdue: e.target.checked || undefined })}>
            {t('bills.overdue')}
          </Checkbox>
          {hasPermission(me, 'data.export.run') && communityId ? (
            <Flex gap={8} title={t('bills.exportHint')}>
              <Button icon={<DownloadOutlined />} href={exportUrl('xlsx')} data-testid="bills-export-xlsx">
                {t('bills.exportXlsx')}
              </Button>
              <Button href={exportUrl('csv')} data-testid="bills-export-csv">
                {t('bills.exportCsv')}
              </Button>
            </Flex>
          ) : null}
        </Flex>
      </Card>
      <Table<Bill>
        size="small"
        rowKey="id"
        loading={bills.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(b) => ({ onClick: () => setOpen(b.id), style: { cursor: 'pointer' } })}
        data-testid="bills-table"
        columns={[
          { title: t('bills.subject'), dataIndex: 'subjectCode' },
          { title: t('bill.period'), dataIndex: 'periodLabel' },
          { title: t('bill.feeItem'), dataIndex: 'feeItemName' },
          { title: t('bill.dueOn'), dataIndex: 'dueOn', render: (v: string, b) => (b.overdue ? <Tag color="red">{v}</Tag> : v) },
          { title: t('bill.amount'), dataIndex: 'amountCents', align: 'right', render: (v: number) => formatCents(v) },
          { title: t('bill.outstanding'), dataIndex: 'outstandingCents', align: 'right', render: (v: number) => formatCents(v) },
          { title: t('bills.status'), dataIndex: 'status', render: (s: Bill['status']) => <Tag color={s === 'open' ? 'orange' : s === 'paid' ? 'green' : 'default'}>{t(`status.${s}`)}</Tag> },
        ]}
      />
      {bills.hasNextPage ? (
        <Flex justify="center" style={{ marginTop: 12 }}>
          <Button loading={bills.isFetchingNextPage} onClick={() => void bills.fetchNextPage()}>
            {t('bills.more')}
          </Button>
        </Flex>
      ) : null}
      <BillDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}

/** Bill detail: the engine's explanation, amounts, ledger trail, approvals, and a relief request. */
export function BillDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation('billing');
  const isMobile = useIsMobile();
  const { me } = useMe();
  const bill = useBill(id ?? undefined);
  const b = bill.data;
  return (
    <Drawer open={!!id} onClose={onClose} width={isMobile ? '100%' : 560} title={b ? `${b.subjectCode} · ${b.feeItemName} · ${b.periodLabel}` : ''} destroyOnHidden>
      {b ? (
        <Flex vertical gap={16} data-testid="bill-detail">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('bill.amount')}>{formatCents(b.amountCents)}</Descriptions.Item>
            <Descriptions.Item label={t('bill.discount')}>{formatCents(b.discountCents + b.waivedCents)}</Descriptions.Item>
            <Descriptions.Item label={t('bill.lateFee')}>{formatCents(b.lateFeeCents)}</Descriptions.Item>
            <Descriptions.Item label={t('bill.paid')}>{formatCents(b.paidCents)}</Descriptions.Item>
            <Descriptions.Item label={t('bill.outstanding')}>
              <Typography.Text strong>{formatCents(b.outstandingCents)}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('bill.dueOn')}>{b.dueOn}</Descriptions.Item>
          </Descriptions>
          <Card size="small" title={t('bills.explanation')}>
            {(b.explanationLines ?? []).map((line, i) => (
              <div key={i}>{line}</div>
            ))}
          </Card>
          <Card size="small" title={t('bills.ledger')}>
            <Timeline
              items={b.ledger.map((l) => ({
                content: (
                  <Flex vertical>
                    <Typography.Text>
                      {t(`ledger.kind.${l.kind}` as 'ledger.kind.payment', { defaultValue: l.kind })} · {formatDateTime(l.occurredAt)}
                    </Typography.Text>
                    {l.entries.map((e, i) => (
                      <Typography.Text key={i} type="secondary" style={{ fontSize: 12 }}>
                        {t(`ledger.account.${e.account}`)} {e.amountCents > 0 ? t('ledger.dr') : t('ledger.cr')} {formatCents(Math.abs(e.amountCents))}
                      </Typography.Text>
                    ))}
                  </Flex>
                ),
              }))}
            />
          </Card>
          {b.approvals.length > 0 ? (
            <Card size="small" title={t('approvals.title')}>
              {b.approvals.map((a) => (
                <div key={a.id}>
                  <Tag>{t(`approvals.status.${a.status}`)}</Tag> {a.kind} · {a.reason}
                </div>
              ))}
            </Card>
          ) : null}
          {b.status === 'open' && hasPermission(me, 'billing.bill.adjust') ? <ReliefForm billId={b.id} /> : null}
        </Flex>
      ) : null}
    </Drawer>
  );
}

function ReliefForm({ billId }: { billId: string }) {
  const { t } = useTranslation('billing');
  const errorText = useErrorText();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ kind: 'discount' | 'waiver' | 'late_fee_waiver'; amount: string; reason: string }>();
  const request = useMutation({
    mutationFn: (body: { kind: string; amountCents: number; reason: string }) => api.post(`/api/bills/${billId}/reliefs`, body),
    onSuccess: () => {
      form.resetFields();
      return qc.invalidateQueries({ queryKey: billingKeys.bill(billId) });
    },
  });
  return (
    <Card size="small" title={t('relief.title')}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'discount' }}
        onFinish={(v) => {
          const cents = parseYuanToCents(v.amount);
          if (cents && cents > 0) request.mutate({ kind: v.kind, amountCents: cents, reason: v.reason });
        }}
      >
        <Form.Item name="kind">
          <Radio.Group optionType="button" options={(['discount', 'waiver', 'late_fee_waiver'] as const).map((k) => ({ value: k, label: t(`relief.${k}`) }))} />
        </Form.Item>
        <Form.Item name="amount" label={t('relief.amount')} rules={[{ required: true, validator: (_r, v: string | undefined) => ((parseYuanToCents(v ?? '') ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('cashier.badAmount')))) }]}>
          <Input prefix="¥" inputMode="decimal" data-testid="relief-amount" />
        </Form.Item>
        <Form.Item name="reason" label={t('relief.reason')} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={2} maxLength={500} data-testid="relief-reason" />
        </Form.Item>
        {request.error ? <Alert type="error" showIcon title={errorText(request.error)} style={{ marginBottom: 12 }} /> : null}
        {request.isSuccess ? <Alert type="success" showIcon title={t('relief.sent')} style={{ marginBottom: 12 }} /> : null}
        <Button type="primary" htmlType="submit" loading={request.isPending} data-testid="relief-submit">
          {t('relief.submit')}
        </Button>
      </Form>
    </Card>
  );
}
