import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Flex, Radio, Select, Table, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { FeeItem, Payment, PrepayQuote, PrepayResult, SearchHit } from '@courtyard/contracts';
import { api } from '../../ui/api';
import { useErrorText } from '../../ui/useApiError';
import { billingKeys, newIdempotencyKey, type CounterMethod } from './api';
import { formatCents, yuan } from './money';

const MONTHS = [3, 6, 12, 24];

/**
 * 预交: the cashier prepays N months of one fee item for the room — the next periods' bills are
 * issued now with the fee rule's prepayment discount and paid at once (POST /api/prepay/quote,
 * then POST /api/prepay with an Idempotency-Key kept for retries of the same attempt).
 */
export function PrepayCard({ room, onPaid }: { room: SearchHit; onPaid: (p: Payment) => void }) {
  const { t } = useTranslation('billing');
  const qc = useQueryClient();
  const errorText = useErrorText();
  const communityId = room.communityId ?? '';
  const feeItems = useQuery({
    queryKey: ['billing', 'fee-items', communityId],
    queryFn: ({ signal }) => api.get<{ items: FeeItem[] }>('/api/fee-items', { communityId, active: true }, { signal }),
    enabled: !!communityId,
  });
  const [feeItemId, setFeeItemId] = useState<string | null>(null);
  const [months, setMonths] = useState(12);
  const [method, setMethod] = useState<CounterMethod>('cash');
  const keyRef = useRef<string | null>(null);
  const body = feeItemId ? { communityId, roomId: room.id, feeItemId, months } : null;
  const quote = useMutation({ mutationFn: (b: NonNullable<typeof body>) => api.post<PrepayQuote>('/api/prepay/quote', b) });
  const pay = useMutation({
    mutationFn: async ({ key, q }: { key: string; q: PrepayQuote }) => {
      const res = await api.post<PrepayResult>('/api/prepay', { ...body!, method, amountCents: q.totalCents }, { headers: { 'Idempotency-Key': key } });
      return api.get<Payment>(`/api/payments/${res.paymentId}`);
    },
    onSuccess: async (p) => {
      await qc.invalidateQueries({ queryKey: billingKeys.all });
      onPaid(p);
    },
  });
  // A changed choice is a new attempt (new key) and needs a new quote.
  const attempt = JSON.stringify([feeItemId, months, method]);
  const { reset } = quote;
  useEffect(() => {
    keyRef.current = null;
    reset();
  }, [attempt, reset]);

  const q = quote.data;
  return (
    <Card size="small" title={t('prepay.title')} data-testid="prepay-card">
      <Flex vertical gap={12} style={{ maxWidth: 640 }}>
        <Typography.Text type="secondary">{t('prepay.hint')}</Typography.Text>
        <Flex wrap gap={8}>
          <Select
            style={{ minWidth: 180, flex: 1 }}
            placeholder={t('prepay.feeItem')}
            value={feeItemId}
            options={(feeItems.data?.items ?? []).map((f) => ({ value: f.id, label: f.name }))}
            onChange={(v: string) => setFeeItemId(v)}
            data-testid="prepay-fee-item"
          />
          <Radio.Group value={months} onChange={(e) => setMonths(Number(e.target.value))} optionType="button" data-testid="prepay-months">
            {MONTHS.map((m) => (
              <Radio.Button key={m} value={m}>
                {t('prepay.months', { count: m })}
              </Radio.Button>
            ))}
          </Radio.Group>
          <Button disabled={!body} loading={quote.isPending} onClick={() => body && quote.mutate(body)} data-testid="prepay-quote">
            {t('prepay.quote')}
          </Button>
        </Flex>
        {quote.error ? <Alert type="error" showIcon title={errorText(quote.error)} /> : null}
        {q ? (
          <>
            <Table
              size="small"
              rowKey="periodLabel"
              pagination={false}
              dataSource={q.periods}
              scroll={{ x: 'max-content', y: 240 }}
              data-testid="prepay-periods"
              columns={[
                { title: t('bill.period'), dataIndex: 'periodLabel' },
                { title: t('bill.amount'), dataIndex: 'amountCents', align: 'right', render: (v: number) => formatCents(v) },
                { title: t('bill.discount'), dataIndex: 'discountCents', align: 'right', render: (v: number) => (v > 0 ? `-${formatCents(v)}` : '') },
                { title: t('prepay.due'), dataIndex: 'dueCents', align: 'right', render: (v: number) => formatCents(v) },
              ]}
            />
            <Typography.Text data-testid="prepay-summary">
              {q.discountPercent
                ? t('prepay.summary', { amount: yuan(q.amountCents), percent: q.discountPercent, discount: yuan(q.discountCents), total: yuan(q.totalCents) })
                : t('prepay.summaryNoDiscount', { total: yuan(q.totalCents) })}
            </Typography.Text>
            <Radio.Group value={method} onChange={(e) => setMethod(e.target.value as CounterMethod)} optionType="button" buttonStyle="solid">
              <Radio.Button value="cash">{t('method.cash')}</Radio.Button>
              <Radio.Button value="bank_card">{t('method.bank_card')}</Radio.Button>
              <Radio.Button value="bank_transfer">{t('method.bank_transfer')}</Radio.Button>
            </Radio.Group>
            {pay.error ? <Alert type="error" showIcon title={errorText(pay.error)} description={t('cashier.retryHint')} /> : null}
            <Button
              type="primary"
              size="large"
              block
              loading={pay.isPending}
              onClick={() => {
                keyRef.current ??= newIdempotencyKey();
                pay.mutate({ key: keyRef.current, q });
              }}
              data-testid="prepay-submit"
            >
              {t('cashier.take', { amount: yuan(q.totalCents) })}
            </Button>
          </>
        ) : null}
      </Flex>
    </Card>
  );
}
