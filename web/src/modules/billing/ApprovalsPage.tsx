import { useState } from 'react';
import { Alert, Button, Card, Empty, Flex, List, Segmented, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Approval } from '@courtyard/contracts';
import { useMe } from '../../app/session';
import { PageHeader } from '../../ui/PageHeader';
import { api } from '../../ui/api';
import { formatDateTime } from '../../ui/format';
import { useErrorText } from '../../ui/useApiError';
import { yuan } from './money';

/** The approval kind of refunds, reversals and deposit returns (payments part, `refunds.service.ts`). */
const REFUND_KIND = 'billing.refund';

/** `/billing/approvals`: pending discounts, waivers, refunds and reversals; never one's own request. */
export default function ApprovalsPage() {
  const { t } = useTranslation('billing');
  const { me } = useMe();
  const errorText = useErrorText();
  const qc = useQueryClient();
  // Reliefs (bill.*) and refunds / reversals (billing.refund) share the queue; the filter narrows it.
  const [kind, setKind] = useState<'all' | 'reliefs' | 'refunds'>('all');
  const pending = useQuery({
    queryKey: ['billing', 'approvals', 'pending', kind],
    queryFn: ({ signal }) => api.get<{ items: Approval[]; nextCursor: string | null }>('/api/approvals', { status: 'pending', limit: 100, ...(kind === 'refunds' ? { kind: REFUND_KIND } : {}) }, { signal }),
  });
  const decide = useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'approve' | 'reject' }) => api.post(`/api/approvals/${id}/decide`, { decision }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['billing'] }),
  });
  const items = (pending.data?.items ?? []).filter((a) => kind !== 'reliefs' || a.kind !== REFUND_KIND);
  return (
    <>
      <PageHeader title={t('approvals.title')} />
      <Segmented
        style={{ marginBottom: 12 }}
        value={kind}
        onChange={(v) => setKind(v)}
        options={(['all', 'reliefs', 'refunds'] as const).map((k) => ({ value: k, label: t(`approvals.filter.${k}`) }))}
        data-testid="approvals-filter"
      />
      {decide.error ? <Alert type="error" showIcon title={errorText(decide.error)} style={{ marginBottom: 12 }} /> : null}
      {items.length === 0 && !pending.isLoading ? <Empty description={t('approvals.none')} /> : null}
      <List
        loading={pending.isLoading}
        dataSource={items}
        renderItem={(a) => {
          const mine = a.requestedBy === me?.user.id;
          const payload = typeof a.payload === 'object' && a.payload !== null ? (a.payload as Record<string, unknown>) : {};
          const amount = 'amountCents' in payload ? Number(payload.amountCents) : null;
          // A refund request says in its payload which kind of money goes back.
          const refundKind = a.kind === REFUND_KIND && typeof payload.kind === 'string' ? payload.kind : null;
          return (
            <Card size="small" style={{ marginBottom: 8 }} data-testid="approval">
              <Flex justify="space-between" wrap gap={8}>
                <Flex vertical style={{ minWidth: 0 }}>
                  <Typography.Text strong>
                    <Tag color={refundKind ? 'purple' : undefined}>
                      {refundKind ? t(`approvals.refundKind.${refundKind}` as 'approvals.refundKind.reversal', { defaultValue: refundKind }) : t(`approvals.kind.${a.kind}` as 'approvals.kind.bill.discount', { defaultValue: a.kind })}
                    </Tag>
                    {amount !== null && Number.isInteger(amount) ? yuan(amount) : ''}
                  </Typography.Text>
                  <Typography.Text>{a.reason}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="approval-requester">
                    {t('approvals.requestedBy', { name: a.requestedByName ?? t('approvals.unknownUser') })} · {formatDateTime(a.requestedAt)}
                  </Typography.Text>
                </Flex>
                <Flex gap={8} align="center">
                  {mine ? <Typography.Text type="secondary">{t('approvals.own')}</Typography.Text> : null}
                  <Button type="primary" disabled={mine} loading={decide.isPending} onClick={() => decide.mutate({ id: a.id, decision: 'approve' })}>
                    {t('approvals.approve')}
                  </Button>
                  <Button danger disabled={mine} loading={decide.isPending} onClick={() => decide.mutate({ id: a.id, decision: 'reject' })}>
                    {t('approvals.reject')}
                  </Button>
                </Flex>
              </Flex>
            </Card>
          );
        }}
      />
    </>
  );
}
