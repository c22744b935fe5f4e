import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, Empty, Flex, Input, List, Radio, Result, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import { HomeOutlined, SearchOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Bill, Payment, SearchHit } from '@courtyard/contracts';
import { PageHeader } from '../../ui/PageHeader';
import { useErrorText } from '../../ui/useApiError';
import { newIdempotencyKey, type CounterMethod, useCollectPayment, usePrepaidBalance, useReceipt, useRoomOpenBills, useRoomSearch } from './api';
import { centsToInput, formatCents, parseYuanToCents, yuan } from './money';
import { oldestFirst, sumCents } from './labels';
import { ReceiptView } from './ReceiptView';
import { PrepaidStatementDrawer } from './PrepaidStatementDrawer';
import { PrepayCard } from './PrepayCard';

const ROOM_CODE = /\b\d+-\d+-\d+\b/;

function useDebounced(value: string, ms = 250): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * 收银台: find a room (room code, owner name or phone), see what it owes, take a payment at the
 * counter and print the receipt. One idempotency key per payment attempt: a retry after a lost
 * answer reuses it, so the server applies the payment once (PRODUCT.md §2).
 */
export default function CashierPage() {
  const { t } = useTranslation('billing');
  const [text, setText] = useState('');
  const q = useDebounced(text.trim());
  const search = useRoomSearch(q);
  const [room, setRoom] = useState<SearchHit | null>(null);
  const [paid, setPaid] = useState<Payment | null>(null);
  // Rooms first; a person hit (owner name or phone) leads to their rooms through the room codes
  // of its subtitle, so the cashier picks the room the payment is for.
  const all = search.data?.items ?? [];
  const hits = [...all.filter((h) => h.kind === 'room'), ...all.filter((h) => h.kind === 'person' && ROOM_CODE.test(h.subtitle))];
  const pick = (hit: SearchHit) => {
    if (hit.kind === 'room') {
      setRoom(hit);
      setPaid(null);
      return;
    }
    const code = ROOM_CODE.exec(hit.subtitle)?.[0];
    if (code) setText(code);
  };

  return (
    <>
      <PageHeader title={t('cashier.title')} subtitle={t('cashier.subtitle')} />
      <Flex vertical gap={16}>
        <Card size="small">
          <Input
            size="large"
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('cashier.searchPlaceholder')}
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="cashier-search"
          />
          {q.length >= 2 && !room ? (
            search.isFetching && hits.length === 0 ? (
              <Spin style={{ marginTop: 12 }} />
            ) : hits.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cashier.noRoom')} />
            ) : (
              <List
                style={{ marginTop: 8 }}
                size="small"
                dataSource={hits.slice(0, 8)}
                renderItem={(hit) => (
                  <List.Item
                    style={{ cursor: 'pointer' }}
                    onClick={() => pick(hit)}
                    data-testid="cashier-hit"
                  >
                    <Flex gap={8} align="center" style={{ minWidth: 0 }}>
                      {hit.kind === 'room' ? <HomeOutlined style={{ color: '#1677ff' }} /> : <UserOutlined style={{ color: '#1677ff' }} />}
                      <Typography.Text strong data-user-data>
                        {hit.title}
                      </Typography.Text>
                      <Typography.Text type="secondary" ellipsis data-user-data>
                        {hit.subtitle}
                      </Typography.Text>
                    </Flex>
                  </List.Item>
                )}
              />
            )
          ) : null}
        </Card>
        {room ? (
          paid ? (
            <PaidPanel
              payment={paid}
              onNext={() => {
                setPaid(null);
                setRoom(null);
                setText('');
              }}
              onSameRoom={() => setPaid(null)}
            />
          ) : (
            <RoomCounter key={room.id} room={room} onPaid={setPaid} onClear={() => setRoom(null)} />
          )
        ) : null}
      </Flex>
    </>
  );
}

function RoomCounter({ room, onPaid, onClear }: { room: SearchHit; onPaid: (p: Payment) => void; onClear: () => void }) {
  const { t } = useTranslation('billing');
  const bills = useRoomOpenBills(room.id);
  const prepaid = usePrepaidBalance(room.id);
  const open = useMemo(() => oldestFirst((bills.data?.items ?? []).filter((b) => b.status === 'open' && b.outstandingCents > 0)), [bills.data]);
  const [selected, setSelected] = useState<string[] | null>(null);
  const selectedIds = selected ?? open.map((b) => b.id);
  const selectedTotal = sumCents(open.filter((b) => selectedIds.includes(b.id)).map((b) => b.outstandingCents));
  const [amountText, setAmountText] = useState<string | null>(null);
  const amountShown = amountText ?? centsToInput(selectedTotal);
  const amountCents = parseYuanToCents(amountShown);
  const [method, setMethod] = useState<CounterMethod>('cash');
  const [payer, setPayer] = useState('');
  const keyRef = useRef<string | null>(null);
  const [statementOpen, setStatementOpen] = useState(false);
  const collect = useCollectPayment();
  const errorText = useErrorText();

  // A changed payment is a new attempt: it gets a new key on submit.
  const attempt = JSON.stringify([selectedIds, amountCents, method, payer]);
  useEffect(() => {
    keyRef.current = null;
  }, [attempt]);

  const over = amountCents !== null ? amountCents - selectedTotal : 0;
  const canPay = amountCents !== null && amountCents > 0 && (selectedIds.length > 0 || open.length === 0) && !collect.isPending;

  const submit = () => {
    if (amountCents === null || amountCents <= 0) return;
    keyRef.current ??= newIdempotencyKey();
    collect.mutate(
      {
        key: keyRef.current,
        body: { communityId: room.communityId, roomId: room.id, amountCents, method, ...(selectedIds.length > 0 ? { billIds: selectedIds } : {}), ...(payer.trim() ? { payerName: payer.trim() } : {}) },
      },
      { onSuccess: (p) => onPaid(p) },
    );
  };

  return (
    <Card
      title={
        <Flex gap={8} align="center" wrap>
          <HomeOutlined />
          <span data-user-data data-testid="cashier-room">
            {room.title}
          </span>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }} data-user-data>
            {room.subtitle}
          </Typography.Text>
        </Flex>
      }
      extra={<Button onClick={onClear}>{t('cashier.change')}</Button>}
    >
      <Flex vertical gap={16}>
        <Flex gap={24} wrap>
          <Statistic title={t('cashier.owed')} value={formatCents(sumCents(open.map((b) => b.outstandingCents)))} prefix="¥" />
          <Flex vertical>
            <Statistic title={t('cashier.prepaid')} value={formatCents(prepaid.data?.balanceCents ?? 0)} prefix="¥" />
            <Button type="link" size="small" style={{ padding: 0, alignSelf: 'flex-start' }} onClick={() => setStatementOpen(true)} data-testid="cashier-prepaid-statement">
              {t('prepaid.title')}
            </Button>
          </Flex>
        </Flex>
        <PrepaidStatementDrawer subjectId={room.id} title={room.title} open={statementOpen} onClose={() => setStatementOpen(false)} />
        <Table<Bill>
          size="small"
          rowKey="id"
          loading={bills.isLoading}
          pagination={false}
          dataSource={open}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('cashier.nothingOwed') }}
          rowSelection={{ selectedRowKeys: selectedIds, onChange: (keys) => setSelected(keys.map(String)) }}
          data-testid="cashier-bills"
          columns={[
            { title: t('bill.period'), dataIndex: 'periodLabel' },
            { title: t('bill.feeItem'), dataIndex: 'feeItemName' },
            { title: t('bill.dueOn'), dataIndex: 'dueOn', render: (v: string, b) => (b.overdue ? <Tag color="red">{v}</Tag> : v) },
            { title: t('bill.amount'), dataIndex: 'amountCents', align: 'right', render: (v: number) => formatCents(v) },
            { title: t('bill.discount'), key: 'discount', align: 'right', render: (_: unknown, b) => (b.discountCents + b.waivedCents > 0 ? `-${formatCents(b.discountCents + b.waivedCents)}` : '') },
            { title: t('bill.lateFee'), dataIndex: 'lateFeeCents', align: 'right', render: (v: number) => (v > 0 ? formatCents(v) : '') },
            { title: t('bill.paid'), dataIndex: 'paidCents', align: 'right', render: (v: number) => (v > 0 ? formatCents(v) : '') },
            { title: t('bill.outstanding'), dataIndex: 'outstandingCents', align: 'right', render: (v: number) => <Typography.Text strong>{formatCents(v)}</Typography.Text> },
          ]}
        />
        <Flex vertical gap={12} style={{ maxWidth: 520 }}>
          <Typography.Text>
            {t('cashier.selected', { count: selectedIds.length })} <Typography.Text strong data-testid="cashier-selected-total">{yuan(selectedTotal)}</Typography.Text>
          </Typography.Text>
          <Radio.Group value={method} onChange={(e) => setMethod(e.target.value as CounterMethod)} optionType="button" buttonStyle="solid" data-testid="cashier-method">
            <Radio.Button value="cash">{t('method.cash')}</Radio.Button>
            <Radio.Button value="bank_card">{t('method.bank_card')}</Radio.Button>
            <Radio.Button value="bank_transfer">{t('method.bank_transfer')}</Radio.Button>
          </Radio.Group>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              size="large"
              addonBefore={t('cashier.received')}
              prefix="¥"
              inputMode="decimal"
              value={amountShown}
              status={amountCents === null ? 'error' : undefined}
              onChange={(e) => setAmountText(e.target.value)}
              data-testid="cashier-amount"
            />
          </Space.Compact>
          <Input placeholder={t('cashier.payerPlaceholder')} value={payer} maxLength={100} onChange={(e) => setPayer(e.target.value)} data-testid="cashier-payer" />
          {amountCents === null ? <Alert type="error" showIcon title={t('cashier.badAmount')} /> : null}
          {amountCents !== null && over > 0 ? (
            <Alert type="info" showIcon title={t('cashier.overPayment', { amount: yuan(over) })} data-testid="cashier-over" />
          ) : null}
          {amountCents !== null && over < 0 ? <Alert type="warning" showIcon title={t('cashier.partial', { amount: yuan(-over) })} /> : null}
          {collect.error ? <Alert type="error" showIcon title={errorText(collect.error)} description={t('cashier.retryHint')} /> : null}
          <Button type="primary" size="large" block disabled={!canPay} loading={collect.isPending} onClick={submit} data-testid="cashier-submit">
            {t('cashier.take', { amount: amountCents !== null ? yuan(amountCents) : '' })}
          </Button>
        </Flex>
        <PrepayCard room={room} onPaid={onPaid} />
      </Flex>
    </Card>
  );
}

function PaidPanel({ payment, onNext, onSameRoom }: { payment: Payment; onNext: () => void; onSameRoom: () => void }) {
  const { t } = useTranslation('billing');
  const receipt = useReceipt(payment.receiptId ?? undefined);
  return (
    <Card>
      <Result
        status="success"
        className="billing-no-print"
        title={t('cashier.done', { amount: yuan(payment.amountCents) })}
        subTitle={payment.amountCents > payment.allocatedCents ? t('cashier.toPrepaid', { amount: yuan(payment.amountCents - payment.allocatedCents) }) : undefined}
        extra={[
          <Button type="primary" key="next" onClick={onNext} data-testid="cashier-next">
            {t('cashier.next')}
          </Button>,
          <Button key="same" onClick={onSameRoom}>
            {t('cashier.sameRoom')}
          </Button>,
        ]}
      />
      {receipt.data ? <ReceiptView receipt={receipt.data} /> : receipt.isLoading ? <Spin /> : null}
    </Card>
  );
}
