import { useState } from 'react';
import { App, Button, Card, DatePicker, Empty, Flex, Input, InputNumber, List, Modal, Radio, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { DueVisit, VisitOutcome } from '@courtyard/contracts';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTimeShort } from '../../ui/format';
import { useApiError } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { CommunitySelect, useRegistryCommunity } from '../properties/registry';
import { useDueVisits, useRecentVisits, useRecordVisit } from './visitsApi';

const OUTCOMES: VisitOutcome[] = ['satisfied', 'dissatisfied', 'unreachable'];
const OUTCOME_COLOR: Record<VisitOutcome, string> = { satisfied: 'green', dissatisfied: 'red', unreachable: 'default' };

/** `/service-desk/return-visits` — 服务回访: the due sample of closed requests and the outcome of each call. */
export default function VisitsPage() {
  const { t } = useTranslation(['surveys', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const isMobile = useIsMobile();
  const { communityId, setCommunityId, communities, isPending } = useRegistryCommunity();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(30, 'day').startOf('day'), dayjs().add(1, 'day').startOf('day')]);
  const [percent, setPercent] = useState(100);
  const query = communityId ? { communityId, closedFrom: range[0].toISOString(), closedTo: range[1].toISOString(), percent } : undefined;
  const due = useDueVisits(query);
  const recent = useRecentVisits(communityId);
  const record = useRecordVisit();
  const [calling, setCalling] = useState<DueVisit | null>(null);
  const [outcome, setOutcome] = useState<VisitOutcome>('satisfied');
  const [notes, setNotes] = useState('');

  const save = () =>
    calling &&
    record.mutate(
      { requestId: calling.requestId, outcome, notes: notes.trim() || undefined },
      {
        onSuccess: (v) => {
          void message.success(v.complaintRequestId ? t('visits.complaintOpened') : t('visits.recorded'));
          setCalling(null);
        },
        onError: (e) => showError(e),
      },
    );
  const items = due.data?.items ?? [];
  const open = (d: DueVisit) => (setCalling(d), setOutcome('satisfied'), setNotes(''));

  return (
    <>
      <PageHeader title={t('visits.title')} subtitle={t('visits.subtitle')} extra={<CommunitySelect value={communityId} onChange={setCommunityId} communities={communities} loading={isPending} width={isMobile ? '100%' : 220} />} />
      <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
        <Typography.Text>{t('visits.range')}</Typography.Text>
        <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
        <Typography.Text>{t('visits.percent')}</Typography.Text>
        <InputNumber min={1} max={100} value={percent} onChange={(v) => setPercent(v ?? 100)} suffix="%" style={{ width: 100 }} />
        <Typography.Text type="secondary" data-testid="visits-due-count">
          {t('visits.due', { shown: items.length, total: due.data?.total ?? 0 })}
        </Typography.Text>
      </Flex>
      {isMobile ? (
        <Flex vertical gap={8}>
          {items.length === 0 ? <Empty description={t('visits.empty')} /> : null}
          {items.map((d) => (
            <Card key={d.requestId} size="small">
              <Flex justify="space-between">
                <Typography.Text strong>{d.number}</Typography.Text>
                <Typography.Text type="secondary">{formatDateTimeShort(d.closedAt)}</Typography.Text>
              </Flex>
              <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: '6px 0' }}>
                {d.description}
              </Typography.Paragraph>
              <Button type="primary" size="small" onClick={() => open(d)}>
                {t('visits.record')}
              </Button>
            </Card>
          ))}
        </Flex>
      ) : (
        <Table<DueVisit>
          size="small"
          rowKey="requestId"
          loading={due.isFetching}
          dataSource={items}
          pagination={false}
          locale={{ emptyText: t('visits.empty') }}
          columns={[
            { title: t('visits.columns.number'), dataIndex: 'number', width: 150 },
            { title: t('visits.columns.description'), dataIndex: 'description', ellipsis: true },
            { title: t('visits.columns.contact'), dataIndex: 'contactName', width: 100 },
            { title: t('visits.columns.rating'), dataIndex: 'rating', width: 70, render: (r: number | null) => (r ? `${r} ★` : '—') },
            { title: t('visits.columns.closedAt'), dataIndex: 'closedAt', width: 140, render: (v: string) => formatDateTimeShort(v) },
            { title: t('visits.columns.attempts'), dataIndex: 'unreachableAttempts', width: 80 },
            { title: '', key: 'a', width: 110, render: (_: unknown, d: DueVisit) => <Button size="small" type="primary" onClick={() => open(d)}>{t('visits.record')}</Button> },
          ]}
        />
      )}
      <Card size="small" title={t('visits.recent')} style={{ marginTop: 16 }}>
        <List
          size="small"
          dataSource={recent.data?.items ?? []}
          renderItem={(v) => (
            <List.Item>
              <Flex gap={8} wrap>
                <Typography.Text>{v.requestNumber}</Typography.Text>
                <Tag color={OUTCOME_COLOR[v.outcome]}>{t(`visits.outcome.${v.outcome}`)}</Tag>
                <Typography.Text type="secondary">{formatDateTimeShort(v.visitedAt)}</Typography.Text>
                {v.notes ? <Typography.Text type="secondary">{v.notes}</Typography.Text> : null}
              </Flex>
            </List.Item>
          )}
        />
      </Card>
      <Modal open={!!calling} title={`${t('visits.record')} · ${calling?.number ?? ''}`} okText={t('common:actions.save')} cancelText={t('common:actions.cancel')} confirmLoading={record.isPending} onOk={save} onCancel={() => setCalling(null)} destroyOnHidden>
        <Typography.Paragraph type="secondary">{calling?.description}</Typography.Paragraph>
        <Radio.Group value={outcome} onChange={(e) => setOutcome(e.target.value as VisitOutcome)} optionType="button" options={OUTCOMES.map((o) => ({ value: o, label: t(`visits.outcome.${o}`) }))} style={{ marginBottom: 12 }} />
        <Input.TextArea rows={3} maxLength={2000} value={notes} onChange={(e) => setNotes(e.target.value)} placeholder={t('visits.notes')} />
      </Modal>
    </>
  );
}
