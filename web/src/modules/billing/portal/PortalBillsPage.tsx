import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, Collapse, Empty, Flex, List, Modal, Result, Spin, Tabs, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { GatewayOrder } from '@courtyard/contracts';
import { useErrorText } from '../../../ui/useApiError';
import { formatDateTime } from '../../../ui/format';
import { billingKeys, newIdempotencyKey, portalApi, useRefetchOnLanguageChange, usePortalBills, usePortalPayments, usePortalReceipt, usePortalReceipts } from '../api';
import { formatCents, yuan } from '../money';
import { sumCents } from '../labels';
import { ReceiptView } from '../ReceiptView';

type PortalBill = NonNullable<ReturnType<typeof usePortalBills>['data']>['items'][number];

/** `/portal/bills`: my bills (open first) with why each is what it is, pay online, history, receipts. */
export default function PortalBillsPage() {
  const { t } = useTranslation('billing');
  const { t: tc } = useTranslation();
  useRefetchOnLanguageChange();
  useEffect(() => {
    document.title = `${t('portal.title')} · ${tc('app.shortName')}`;
  }, [t, tc]);
  return (
    <Flex vertical gap={12}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('portal.title')}
      </Typography.Title>
      <Tabs
        items={[
          { key: 'bills', label: t('portal.tabs.bills'), children: <MyBills /> },
          { key: 'payments', label: t('portal.tabs.payments'), children: <MyPayments /> },
          { key: 'receipts', label: t('portal.tabs.receipts'), children: <MyReceipts /> },
        ]}
      />
    </Flex>
  );
}

function MyBills() {
  const { t } = useTranslation('billing');
  const bills = usePortalBills();
  const [paying, setPaying] = useState<PortalBill[] | null>(null);
  const items = useMemo(
    () => [...(bills.data?.items ?? [])].sort((a, b) => (a.status === b.status ? (a.status === 'open' ? a.dueOn.localeCompare(b.dueOn) : b.dueOn.localeCompare(a.dueOn)) : a.status === 'open' ? -1 : 1)),
    [bills.data],
  );
  const open = items.filter((b) => b.status === 'open' && b.outstandingCents > 0);
  // One online order pays the open bills of one room (the gateway order belongs to one subject).
  const firstSubject = open[0]?.subjectId;
  const openOfFirst = open.filter((b) => b.subjectId === firstSubject);
  if (bills.isLoading) return <Spin />;
  if (items.length === 0) return <Empty description={t('portal.noBills')} />;
  return (
    <Flex vertical gap={12}>
      {open.length > 0 ? (
        <Card size="small" style={{ background: '#f0f5ff' }}>
          <Flex justify="space-between" align="center" gap={8} wrap>
            <Flex vertical>
              <Typography.Text type="secondary">{t('portal.totalOpen')}</Typography.Text>
              <Typography.Text strong style={{ fontSize: 22 }} data-testid="portal-total-open">
                {yuan(sumCents(open.map((b) => b.outstandingCents)))}
              </Typography.Text>
            </Flex>
            <Button type="primary" size="large" onClick={() => setPaying(openOfFirst)} data-testid="portal-pay-all">
              {t('portal.payAll')}
            </Button>
          </Flex>
        </Card>
      ) : (
        <Alert type="success" showIcon title={t('portal.allPaid')} data-testid="portal-all-paid" />
      )}
      {items.map((b) => (
        <BillCard key={b.id} bill={b} onPay={() => setPaying([b])} />
      ))}
      {paying ? <PayModal bills={paying} onClose={() => setPaying(null)} /> : null}
    </Flex>
  );
}

function BillCard({ bill, onPay }: { bill: PortalBill; onPay: () => void }) {
  const { t } = useTranslation('billing');
  const open = bill.status === 'open' && bill.outstandingCents > 0;
  const rows: [string, number, boolean][] = [
    [t('bill.amount'), bill.amountCents, true],
    [t('bill.discount'), -(bill.discountCents + bill.waivedCents), bill.discountCents + bill.waivedCents > 0],
    [t('bill.lateFee'), bill.lateFeeCents, bill.lateFeeCents > 0],
    [t('bill.paid'), -bill.paidCents, bill.paidCents > 0],
  ];
  return (
    <Card size="small" data-testid="portal-bill">
      <Flex justify="space-between" align="flex-start" gap={8}>
        <Flex vertical style={{ minWidth: 0 }}>
          <Typography.Text strong style={{ fontSize: 16 }}>
            {bill.feeItemName}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {bill.subjectLabel} · {bill.periodLabel}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {t('bill.dueOn')} {bill.dueOn}
          </Typography.Text>
        </Flex>
        <Flex vertical align="flex-end" style={{ flex: 'none' }}>
          <Typography.Text strong style={{ fontSize: 18 }}>
            {yuan(open ? bill.outstandingCents : bill.amountCents - bill.discountCents - bill.waivedCents + bill.lateFeeCents)}
          </Typography.Text>
          <Tag color={open ? 'orange' : 'green'} style={{ marginInlineEnd: 0 }} data-testid="portal-bill-status">
            {open ? t('status.open') : t('status.paid')}
          </Tag>
        </Flex>
      </Flex>
      <Collapse
        ghost
        size="small"
        style={{ marginTop: 4 }}
        items={[
          {
            key: 'why',
            label: <span data-testid="portal-bill-why">{t('portal.why')}</span>,
            children: (
              <Flex vertical gap={4} data-testid="portal-bill-explanation">
                {(bill.explanationLines ?? []).map((line, i) => (
                  <Typography.Text key={i} style={{ fontSize: 13 }}>
                    {line}
                  </Typography.Text>
                ))}
                {rows
                  .filter(([, , show]) => show)
                  .map(([label, cents]) => (
                    <Flex key={label} justify="space-between" style={{ fontSize: 13 }}>
                      <Typography.Text type="secondary">{label}</Typography.Text>
                      <Typography.Text>{formatCents(cents)}</Typography.Text>
                    </Flex>
                  ))}
              </Flex>
            ),
          },
        ]}
      />
      {open ? (
        <Button type="primary" block onClick={onPay} data-testid="portal-bill-pay">
          {t('portal.payThis', { amount: yuan(bill.outstandingCents) })}
        </Button>
      ) : null}
    </Card>
  );
}

/**
 * Online payment through the sandbox gateway: create the order (one idempotency key for this
 * attempt), pay on the sandbox page, the gateway's signed callback settles the bills, and the
 * page polls the bills until they show paid.
 */
function PayModal({ bills, onClose }: { bills: PortalBill[]; onClose: () => void }) {
  const { t } = useTranslation('billing');
  const errorText = useErrorText();
  const qc = useQueryClient();
  const keyRef = useRef(newIdempotencyKey());
  const [order, setOrder] = useState<GatewayOrder | null>(null);
  const [stage, setStage] = useState<'confirm' | 'creating' | 'gateway' | 'paying' | 'waiting' | 'paid'>('confirm');
  const [error, setError] = useState<unknown>(null);
  const total = sumCents(bills.map((b) => b.outstandingCents));
  const ids = bills.map((b) => b.id);

  const createOrder = async () => {
    setError(null);
    setStage('creating');
    try {
      setOrder(await portalApi.createOrder(keyRef.current, { roomId: bills[0]!.subjectId, billIds: ids }));
      setStage('gateway');
    } catch (e) {
      setError(e);
      setStage('confirm');
    }
  };
  const pay = async () => {
    if (!order) return;
    setError(null);
    setStage('paying');
    try {
      await portalApi.sandboxPay(order.outTradeNo);
      setStage('waiting');
      // The callback settles the bills; poll until every one of them shows paid.
      for (let i = 0; i < 20; i++) {
        await qc.invalidateQueries({ queryKey: billingKeys.portalBills });
        const list = qc.getQueryData<{ items: PortalBill[] }>(billingKeys.portalBills);
        if (list && ids.every((id) => list.items.find((b) => b.id === id)?.status === 'paid')) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      await qc.invalidateQueries({ queryKey: billingKeys.all });
      setStage('paid');
    } catch (e) {
      setError(e);
      setStage('gateway');
    }
  };

  return (
    <Modal open title={t('portal.payTitle')} onCancel={onClose} footer={null} width={420} destroyOnHidden>
      <Flex vertical gap={12} data-testid="portal-pay-modal">
        {stage === 'paid' ? (
          <Result status="success" title={t('portal.paid', { amount: yuan(order?.amountCents ?? total) })} extra={<Button type="primary" onClick={onClose} data-testid="portal-pay-done">{t('portal.done')}</Button>} />
        ) : (
          <>
            <List
              size="small"
              dataSource={bills}
              renderItem={(b) => (
                <List.Item>
                  <Flex justify="space-between" style={{ width: '100%' }}>
                    <span>
                      {b.feeItemName} · {b.periodLabel}
                    </span>
                    <span>{formatCents(b.outstandingCents)}</span>
                  </Flex>
                </List.Item>
              )}
            />
            <Typography.Text strong style={{ fontSize: 20, textAlign: 'right' }}>
              {t('receipt.total')}: {yuan(total)}
            </Typography.Text>
            {error ? <Alert type="error" showIcon title={errorText(error)} /> : null}
            {stage === 'confirm' || stage === 'creating' ? (
              <Button type="primary" size="large" block loading={stage === 'creating'} onClick={() => void createOrder()} data-testid="portal-pay-create">
                {t('portal.toGateway')}
              </Button>
            ) : (
              <Card size="small" style={{ background: '#f6ffed' }} data-testid="portal-sandbox">
                <Flex vertical gap={8}>
                  <Typography.Text strong>{t('portal.sandboxTitle')}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('portal.order')}: {order?.outTradeNo}
                  </Typography.Text>
                  <Button type="primary" size="large" block loading={stage === 'paying' || stage === 'waiting'} onClick={() => void pay()} data-testid="portal-sandbox-pay">
                    {stage === 'waiting' ? t('portal.waiting') : t('portal.sandboxPay', { amount: yuan(order?.amountCents ?? total) })}
                  </Button>
                </Flex>
              </Card>
            )}
          </>
        )}
      </Flex>
    </Modal>
  );
}

function MyPayments() {
  const { t } = useTranslation('billing');
  const payments = usePortalPayments();
  if (payments.isLoading) return <Spin />;
  const items = payments.data?.items ?? [];
  if (items.length === 0) return <Empty description={t('portal.noPayments')} />;
  return (
    <List
      dataSource={items}
      renderItem={(p) => (
        <List.Item data-testid="portal-payment">
          <Flex justify="space-between" style={{ width: '100%' }} gap={8}>
            <Flex vertical>
              <Typography.Text>{t(`method.${p.method}` as 'method.cash')}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDateTime(p.receivedAt)} {p.receiptNumber ? `· ${p.receiptNumber}` : ''}
              </Typography.Text>
            </Flex>
            <Flex vertical align="flex-end">
              <Typography.Text strong>{yuan(p.amountCents)}</Typography.Text>
              {p.status === 'reversed' ? <Tag color="red">{t('status.reversed')}</Tag> : null}
            </Flex>
          </Flex>
        </List.Item>
      )}
    />
  );
}

function MyReceipts() {
  const { t } = useTranslation('billing');
  const receipts = usePortalReceipts();
  const [openId, setOpenId] = useState<string | null>(null);
  const receipt = usePortalReceipt(openId ?? undefined);
  if (receipts.isLoading) return <Spin />;
  const items = receipts.data?.items ?? [];
  if (items.length === 0) return <Empty description={t('portal.noReceipts')} />;
  return (
    <>
      <List
        dataSource={items}
        renderItem={(r) => (
          <List.Item style={{ cursor: 'pointer' }} onClick={() => setOpenId(r.id)} data-testid="portal-receipt">
            <Flex justify="space-between" style={{ width: '100%' }} gap={8}>
              <Flex vertical>
                <Typography.Text>{r.number}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(r.issuedAt)}
                </Typography.Text>
              </Flex>
              <Typography.Text strong>{yuan(r.amountCents)}</Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
      <Modal open={!!openId} onCancel={() => setOpenId(null)} footer={null} width={560} destroyOnHidden>
        {receipt.data ? <ReceiptView receipt={receipt.data} inModal /> : <Spin />}
      </Modal>
    </>
  );
}
