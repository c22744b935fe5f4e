import { useState } from 'react';
import { App, Button, Drawer, Empty, Flex, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import type { TableProps } from 'antd';
import { ReloadOutlined, RetweetOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint } from '@courtyard/contracts';
import { currentLocale } from '../../app/i18n';
import { DataTable } from '../../ui/DataTable';
import { formatDateTime } from '../../ui/format';
import { useApiError } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { webhookKeys, webhooksApi } from './api';
import { eventTypeLabel } from './labels';

const STATUS_COLOR: Record<WebhookDeliveryStatus, string> = { queued: 'processing', succeeded: 'success', failed: 'error' };

export function DeliveryStatusTag({ delivery }: { delivery: WebhookDelivery }) {
  const { t } = useTranslation('webhooks');
  const tag = (
    <Tag color={STATUS_COLOR[delivery.status]} data-testid={`delivery-status-${delivery.id}`}>
      {t(`deliveries.status.${delivery.status}`)}
    </Tag>
  );
  return delivery.status === 'queued' && delivery.nextAttemptAt && delivery.attemptCount > 0 ? (
    <Tooltip title={t('deliveries.nextAttempt', { time: formatDateTime(delivery.nextAttemptAt) })}>{tag}</Tooltip>
  ) : (
    tag
  );
}

/** Every attempt of one delivery: status code, error, duration and the start of the response. */
function Attempts({ deliveryId }: { deliveryId: string }) {
  const { t } = useTranslation('webhooks');
  const detail = useQuery({ queryKey: webhookKeys.delivery(deliveryId), queryFn: () => webhooksApi.delivery(deliveryId) });
  if (detail.isPending) return <Spin size="small" />;
  const attempts = detail.data?.attempts ?? [];
  if (attempts.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('deliveries.noAttempts')} />;
  return (
    <Flex vertical gap={8} data-testid={`attempts-${deliveryId}`}>
      {attempts.map((a) => (
        <div key={a.attempt} style={{ borderInlineStart: '3px solid rgba(0,0,0,0.12)', paddingInlineStart: 10 }}>
          <Space size={[8, 4]} wrap>
            <Typography.Text strong>{t('deliveries.attempt', { n: a.attempt })}</Typography.Text>
            <Typography.Text type="secondary">{formatDateTime(a.startedAt)}</Typography.Text>
            <Tag color={a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300 ? 'success' : 'error'}>{a.statusCode ?? t('deliveries.noResponse')}</Tag>
            <Typography.Text type="secondary">{t('deliveries.durationMs', { ms: a.durationMs })}</Typography.Text>
          </Space>
          {a.error ? <div><Typography.Text type="danger">{a.error}</Typography.Text></div> : null}
          {a.responseExcerpt ? (
            <pre style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12, maxHeight: 120, overflow: 'auto', background: 'rgba(0,0,0,0.04)', padding: 6, borderRadius: 4 }}>
              {a.responseExcerpt}
            </pre>
          ) : null}
        </div>
      ))}
    </Flex>
  );
}

/** The delivery log of one endpoint, newest first, with replay and "send test". */
export function DeliveriesDrawer({ endpoint, onClose }: { endpoint: WebhookEndpoint | null; onClose: () => void }) {
  const { t } = useTranslation(['webhooks', 'common']);
  const { message } = App.useApp();
  const client = useQueryClient();
  const showError = useApiError();
  const isMobile = useIsMobile();
  const locale = currentLocale();
  const [openAttempts, setOpenAttempts] = useState<string | null>(null);
  const eventTypes = useQuery({ queryKey: webhookKeys.eventTypes, queryFn: webhooksApi.eventTypes, staleTime: 10 * 60_000, enabled: !!endpoint });
  const label = (code: string) => (code === 'webhooks.ping' ? t('pingEvent') : eventTypeLabel(code, locale, eventTypes.data?.items));

  // Deliveries and their attempts (not the endpoint list or the catalogue).
  const refresh = () => client.invalidateQueries({ queryKey: webhookKeys.all, predicate: (q) => q.queryKey[1] === 'deliveries' || q.queryKey[1] === 'delivery' });

  const replay = useMutation({
    mutationFn: (delivery: WebhookDelivery) => webhooksApi.replay(delivery.id),
    onSuccess: async () => {
      void message.success(t('messages.replayQueued'));
      await refresh();
    },
    onError: (error) => showError(error),
  });
  const test = useMutation({
    mutationFn: (id: string) => webhooksApi.test(id),
    onSuccess: async () => {
      void message.success(t('messages.testQueued'));
      await refresh();
    },
    onError: (error) => showError(error),
  });

  const replayButton = (d: WebhookDelivery) => (
    <Button
      size="small"
      icon={<RetweetOutlined />}
      disabled={d.status === 'queued' || !endpoint?.active}
      loading={replay.isPending && replay.variables.id === d.id}
      onClick={(e) => {
        e.stopPropagation();
        replay.mutate(d);
      }}
      data-testid={`replay-${d.id}`}
    >
      {t('deliveries.replay')}
    </Button>
  );

  const eventCell = (d: WebhookDelivery) => (
    <Space size={4} wrap>
      <span>{label(d.eventType)}</span>
      {d.replayOf ? <Tag>{t('deliveries.replayOf')}</Tag> : null}
    </Space>
  );

  const columns: TableProps<WebhookDelivery>['columns'] = [
    { title: t('deliveries.columns.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    { title: t('deliveries.columns.eventType'), key: 'eventType', render: (_, d) => eventCell(d) },
    { title: t('deliveries.columns.status'), key: 'status', render: (_, d) => <DeliveryStatusTag delivery={d} /> },
    { title: t('deliveries.columns.statusCode'), dataIndex: 'lastStatusCode', render: (v: number | null) => v ?? '—' },
    { title: t('deliveries.columns.attempts'), dataIndex: 'attemptCount' },
    {
      title: t('deliveries.columns.lastError'),
      dataIndex: 'lastError',
      render: (v: string | null) => (v ? <Typography.Text type="danger" ellipsis={{ tooltip: v }} style={{ maxWidth: 220 }}>{v}</Typography.Text> : '—'),
    },
    { title: t('deliveries.columns.actions'), key: 'actions', fixed: 'right', render: (_, d) => replayButton(d) },
  ];

  const renderCard = (d: WebhookDelivery) => (
    <Flex vertical gap={6}>
      <Flex justify="space-between" align="center" gap={8}>
        {eventCell(d)}
        <DeliveryStatusTag delivery={d} />
      </Flex>
      <Typography.Text type="secondary">
        {formatDateTime(d.createdAt)} · {t('deliveries.columns.statusCode')} {d.lastStatusCode ?? '—'} · {t('deliveries.columns.attempts')} {d.attemptCount}
      </Typography.Text>
      {d.lastError ? <Typography.Text type="danger">{d.lastError}</Typography.Text> : null}
      <Flex gap={8} wrap>
        {replayButton(d)}
        <Button size="small" type="link" onClick={() => setOpenAttempts(openAttempts === d.id ? null : d.id)}>
          {t('deliveries.attempts')}
        </Button>
      </Flex>
      {openAttempts === d.id ? <Attempts deliveryId={d.id} /> : null}
    </Flex>
  );

  return (
    <Drawer
      open={!!endpoint}
      onClose={onClose}
      title={endpoint ? t('deliveries.title', { name: endpoint.name }) : ''}
      size={isMobile ? '100%' : 900}
      destroyOnHidden
    >
      {endpoint ? (
        <Flex vertical gap={12}>
          <Flex gap={8} wrap>
            <Button icon={<SendOutlined />} disabled={!endpoint.active} loading={test.isPending} onClick={() => test.mutate(endpoint.id)} data-testid="deliveries-test">
              {t('actions.test')}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => void refresh()} data-testid="deliveries-refresh">
              {t('deliveries.refresh')}
            </Button>
          </Flex>
          <DataTable<WebhookDelivery>
            queryKey={webhookKeys.deliveries(endpoint.id)}
            fetchPage={(cursor, signal) => webhooksApi.deliveries(endpoint.id, cursor, signal)}
            columns={columns}
            rowKey={(d) => d.id}
            rowTestId={(d) => `delivery-row-${d.id}`}
            expandable={{ expandedRowRender: (d) => <Attempts deliveryId={d.id} /> }}
            renderCard={renderCard}
            size="small"
          />
        </Flex>
      ) : null}
    </Drawer>
  );
}
