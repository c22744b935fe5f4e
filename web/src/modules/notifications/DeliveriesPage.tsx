import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Descriptions, Flex, Select, Tabs, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { RedoOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { NOTIFICATION_CHANNELS, type NotificationChannel, type NotificationMessage, type NotificationStatus } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTime } from '../../ui/format';
import { useApiError } from '../../ui/useApiError';
import { notificationKeys, notificationsApi, type MessageFilters } from './api';
import { ChannelTag, StatusTag, useTemplateName } from './labels';

const STATUSES: NotificationStatus[] = ['queued', 'sent', 'delivered', 'failed'];
const TABS = ['messages', 'dead-letters', 'sms-log'] as const;
type TabKey = (typeof TABS)[number];

function MessageDetail({ m }: { m: NotificationMessage }) {
  const { t } = useTranslation('notifications');
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
      <Descriptions.Item label={t('deliveries.columns.content')} span={2}>
        {m.subject ? <Typography.Text strong>{m.subject}</Typography.Text> : null}
        <Typography.Paragraph style={{ whiteSpace: 'pre-line', marginBottom: 0 }} data-user-data>
          {m.body}
        </Typography.Paragraph>
      </Descriptions.Item>
      <Descriptions.Item label={t('deliveries.columns.lastError')} span={2}>
        <Typography.Text type={m.lastError ? 'danger' : 'secondary'} style={{ wordBreak: 'break-all' }}>
          {m.lastError ?? '—'}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('deliveries.columns.provider')}>
        {m.provider ?? '—'}
        {m.providerId ? <Typography.Text type="secondary"> · {m.providerId}</Typography.Text> : null}
      </Descriptions.Item>
      <Descriptions.Item label={t('deliveries.columns.attempts')}>{m.attempts}</Descriptions.Item>
      <Descriptions.Item label={t('status.sent')}>{formatDateTime(m.sentAt) || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('status.delivered')}>{formatDateTime(m.deliveredAt) || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('status.failed')}>{formatDateTime(m.failedAt) || '—'}</Descriptions.Item>
    </Descriptions>
  );
}

/** Puts a failed message back in the queue with a new round of attempts. */
function ResendButton({ m }: { m: NotificationMessage }) {
  const { t } = useTranslation('notifications');
  const { message } = App.useApp();
  const client = useQueryClient();
  const showError = useApiError();
  const resend = useMutation({
    mutationFn: notificationsApi.resend,
    onSuccess: () => {
      void message.success(t('deliveries.resent'));
      void client.invalidateQueries({ queryKey: notificationKeys.all });
    },
    onError: (e) => showError(e),
  });
  if (m.status !== 'failed' || m.channel === 'in_app') return null;
  return (
    <Button size="small" icon={<RedoOutlined />} loading={resend.isPending} onClick={() => resend.mutate(m.id)} data-testid={`resend-${m.id}`}>
      {t('deliveries.resend')}
    </Button>
  );
}

function useColumns(options: { resend: boolean; content: boolean }): NonNullable<TableProps<NotificationMessage>['columns']> {
  const { t } = useTranslation('notifications');
  const templateName = useTemplateName();
  const columns: NonNullable<TableProps<NotificationMessage>['columns']> = [
    { title: t('deliveries.columns.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    { title: t('deliveries.columns.recipient'), dataIndex: 'recipientName', render: (v: string) => <span data-user-data>{v}</span> },
    { title: t('deliveries.columns.channel'), dataIndex: 'channel', render: (v: NotificationChannel) => <ChannelTag channel={v} /> },
    {
      title: t('deliveries.columns.template'),
      dataIndex: 'template',
      render: (v: string, r) => (
        <Flex gap={4} wrap>
          {r.emergency ? <Tag color="red">{t('deliveries.emergency')}</Tag> : null}
          {templateName(v)}
        </Flex>
      ),
    },
    { title: t('deliveries.columns.address'), dataIndex: 'address', render: (v: string | null) => <span data-user-data>{v ?? '—'}</span> },
    { title: t('deliveries.columns.status'), dataIndex: 'status', render: (v: NotificationStatus) => <StatusTag status={v} /> },
  ];
  if (options.content) {
    columns.push({
      title: t('deliveries.columns.content'),
      dataIndex: 'body',
      render: (v: string) => (
        <Typography.Text style={{ maxWidth: 360, whiteSpace: 'pre-line', display: 'inline-block' }} data-user-data>
          {v}
        </Typography.Text>
      ),
    });
  } else {
    columns.push({ title: t('deliveries.columns.attempts'), dataIndex: 'attempts', align: 'right' });
    columns.push({
      title: t('deliveries.columns.lastError'),
      dataIndex: 'lastError',
      render: (v: string | null) =>
        v ? (
          <Typography.Text type="danger" ellipsis={{ tooltip: v }} style={{ maxWidth: 260 }}>
            {v}
          </Typography.Text>
        ) : (
          '—'
        ),
    });
  }
  if (options.resend) {
    columns.push({
      title: '',
      key: 'actions',
      render: (_, r) => <ResendButton m={r} />,
    });
  }
  return columns;
}

function MessageCard({ m, action }: { m: NotificationMessage; action?: ReactNode }) {
  const templateName = useTemplateName();
  return (
    <Flex vertical gap={6}>
      <Flex justify="space-between" align="center" gap={8}>
        <Flex gap={4} align="center" wrap>
          <ChannelTag channel={m.channel} />
          <Typography.Text strong>{templateName(m.template)}</Typography.Text>
        </Flex>
        <StatusTag status={m.status} />
      </Flex>
      <Typography.Text type="secondary">
        {formatDateTime(m.createdAt)} · <span data-user-data>{m.recipientName}</span>
        {m.address ? (
          <>
            {' · '}
            <span data-user-data>{m.address}</span>
          </>
        ) : null}
      </Typography.Text>
      <Typography.Paragraph style={{ whiteSpace: 'pre-line', marginBottom: 0 }} ellipsis={{ rows: 3 }} data-user-data>
        {m.body}
      </Typography.Paragraph>
      {m.lastError ? (
        <Typography.Text type="danger" style={{ wordBreak: 'break-all' }}>
          {m.lastError}
        </Typography.Text>
      ) : null}
      {action}
    </Flex>
  );
}

function MessagesTab() {
  const { t } = useTranslation('notifications');
  const { t: tc } = useTranslation();
  const [filters, setFilters] = useState<MessageFilters>({});
  const columns = useColumns({ resend: false, content: false });
  return (
    <>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Select<NotificationStatus | 'all'>
          value={filters.status ?? 'all'}
          style={{ minWidth: 140 }}
          onChange={(v) => setFilters((f) => ({ ...f, status: v === 'all' ? undefined : v }))}
          options={[{ value: 'all', label: `${t('deliveries.filters.status')}: ${tc('common.all')}` }, ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
          data-testid="filter-status"
        />
        <Select<NotificationChannel | 'all'>
          value={filters.channel ?? 'all'}
          style={{ minWidth: 140 }}
          onChange={(v) => setFilters((f) => ({ ...f, channel: v === 'all' ? undefined : v }))}
          options={[{ value: 'all', label: `${t('deliveries.filters.channel')}: ${tc('common.all')}` }, ...NOTIFICATION_CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))]}
          data-testid="filter-channel"
        />
      </Flex>
      <DataTable<NotificationMessage>
        queryKey={notificationKeys.messages(filters)}
        fetchPage={(cursor, signal) => notificationsApi.messages(filters, cursor, signal)}
        columns={columns}
        rowKey={(r) => r.id}
        rowTestId={(r) => `message-${r.id}`}
        expandable={{ expandedRowRender: (m) => <MessageDetail m={m} /> }}
        renderCard={(m) => <MessageCard m={m} />}
      />
    </>
  );
}

function DeadLettersTab() {
  const { t } = useTranslation('notifications');
  const { me } = useMe();
  const canResend = hasPermission(me, 'notifications.delivery.resend');
  const columns = useColumns({ resend: canResend, content: false });
  return (
    <>
      <Alert type="info" showIcon title={t('deliveries.deadLettersHint')} style={{ marginBottom: 12 }} />
      <DataTable<NotificationMessage>
        queryKey={notificationKeys.deadLetters({})}
        fetchPage={(cursor, signal) => notificationsApi.deadLetters(undefined, cursor, signal)}
        columns={columns}
        rowKey={(r) => r.id}
        rowTestId={(r) => `dead-${r.id}`}
        expandable={{ expandedRowRender: (m) => <MessageDetail m={m} /> }}
        renderCard={(m) => <MessageCard m={m} action={canResend ? <ResendButton m={m} /> : null} />}
      />
    </>
  );
}

function SmsLogTab() {
  const { t } = useTranslation('notifications');
  const columns = useColumns({ resend: false, content: true });
  return (
    <>
      <Alert type="info" showIcon title={t('deliveries.smsLogHint')} style={{ marginBottom: 12 }} />
      <DataTable<NotificationMessage>
        queryKey={notificationKeys.smsLog}
        fetchPage={(cursor, signal) => notificationsApi.smsLog(cursor, signal)}
        columns={columns}
        rowKey={(r) => r.id}
        rowTestId={(r) => `sms-${r.id}`}
        renderCard={(m) => <MessageCard m={m} />}
      />
    </>
  );
}

/** `/admin/notifications/deliveries`: delivery records, the dead-letter list with resend, the SMS log. */
export default function DeliveriesPage() {
  const { t } = useTranslation('notifications');
  const [params, setParams] = useSearchParams();
  const active: TabKey = TABS.find((k) => k === params.get('tab')) ?? 'messages';
  return (
    <>
      <PageHeader title={t('deliveries.title')} />
      <Tabs
        activeKey={active}
        onChange={(key) => setParams(key === 'messages' ? {} : { tab: key }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'messages', label: <span data-testid="deliveries-tab-messages">{t('deliveries.tabs.messages')}</span>, children: <MessagesTab /> },
          { key: 'dead-letters', label: <span data-testid="deliveries-tab-dead-letters">{t('deliveries.tabs.deadLetters')}</span>, children: <DeadLettersTab /> },
          { key: 'sms-log', label: <span data-testid="deliveries-tab-sms-log">{t('deliveries.tabs.smsLog')}</span>, children: <SmsLogTab /> },
        ]}
      />
    </>
  );
}
