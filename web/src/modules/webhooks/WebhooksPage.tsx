import { useState } from 'react';
import { App, Button, Dropdown, Flex, Modal, Space, Tag, Typography } from 'antd';
import type { MenuProps, TableProps } from 'antd';
import { HistoryOutlined, MoreOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { WebhookEndpoint } from '@courtyard/contracts';
import { currentLocale } from '../../app/i18n';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTimeShort } from '../../ui/format';
import { useApiError } from '../../ui/useApiError';
import { webhookKeys, webhooksApi } from './api';
import { DeliveriesDrawer } from './DeliveriesDrawer';
import { EndpointDrawer, SecretNotice, type EndpointDrawerState } from './EndpointDrawer';
import { eventTypeLabel } from './labels';

type Action = 'disable' | 'enable' | 'delete' | 'rotate' | 'test';

/** `/admin/webhooks`: endpoints, their delivery logs, one-time secrets, test and replay. */
export default function WebhooksPage() {
  const { t } = useTranslation(['webhooks', 'common']);
  const { message, modal } = App.useApp();
  const client = useQueryClient();
  const showError = useApiError();
  const locale = currentLocale();
  const [drawer, setDrawer] = useState<EndpointDrawerState>(null);
  const [deliveriesOf, setDeliveriesOf] = useState<WebhookEndpoint | null>(null);
  const [rotated, setRotated] = useState<string | null>(null);
  const eventTypes = useQuery({ queryKey: webhookKeys.eventTypes, queryFn: webhooksApi.eventTypes, staleTime: 10 * 60_000 });

  const act = useMutation({
    mutationFn: async ({ action, endpoint }: { action: Action; endpoint: WebhookEndpoint }) => {
      switch (action) {
        case 'disable':
          await webhooksApi.disable(endpoint.id);
          return null;
        case 'enable':
          await webhooksApi.enable(endpoint.id);
          return null;
        case 'delete':
          await webhooksApi.remove(endpoint.id);
          return null;
        case 'test':
          await webhooksApi.test(endpoint.id);
          return null;
        case 'rotate':
          return (await webhooksApi.rotateSecret(endpoint.id)).secret;
      }
    },
    onSuccess: async (secret, { action }) => {
      const done = { disable: 'messages.disabled', enable: 'messages.enabled', delete: 'messages.deleted', test: 'messages.testQueued', rotate: 'messages.saved' } as const;
      void message.success(t(done[action]));
      if (secret) setRotated(secret);
      await client.invalidateQueries({ queryKey: webhookKeys.all });
    },
    onError: (error) => showError(error),
  });

  const confirm = (action: 'disable' | 'delete' | 'rotate', endpoint: WebhookEndpoint) =>
    modal.confirm({
      title: t(`confirm.${action}`),
      okText: t('common:actions.confirm'),
      cancelText: t('common:actions.cancel'),
      okButtonProps: { danger: action !== 'rotate' },
      onOk: () => act.mutateAsync({ action, endpoint }),
    });

  const menu = (endpoint: WebhookEndpoint): MenuProps => ({
    items: [
      { key: 'edit', label: t('actions.edit') },
      { key: 'rotate', label: t('actions.rotate') },
      endpoint.active ? { key: 'disable', label: t('actions.disable') } : { key: 'enable', label: t('actions.enable') },
      { type: 'divider' },
      { key: 'delete', label: t('actions.delete'), danger: true },
    ],
    onClick: ({ key, domEvent }) => {
      domEvent.stopPropagation();
      if (key === 'edit') setDrawer({ mode: 'edit', endpoint });
      else if (key === 'enable') act.mutate({ action: 'enable', endpoint });
      else confirm(key as 'disable' | 'delete' | 'rotate', endpoint);
    },
  });

  const typesCell = (endpoint: WebhookEndpoint) => (
    <Space size={[4, 4]} wrap style={{ maxWidth: 320 }}>
      {endpoint.eventTypes.map((code) => (
        <Tag key={code} color={code === '*' ? 'purple' : 'blue'}>
          {code === '*' ? t('allEvents') : eventTypeLabel(code, locale, eventTypes.data?.items)}
        </Tag>
      ))}
    </Space>
  );
  const statusTag = (endpoint: WebhookEndpoint) => (
    <Tag color={endpoint.active ? 'green' : 'default'}>{endpoint.active ? t('status.active') : t('status.disabled')}</Tag>
  );
  const actions = (endpoint: WebhookEndpoint) => (
    <Space size={4} wrap onClick={(e) => e.stopPropagation()}>
      <Button size="small" icon={<HistoryOutlined />} onClick={() => setDeliveriesOf(endpoint)} data-testid={`deliveries-${endpoint.name}`}>
        {t('actions.deliveries')}
      </Button>
      <Button
        size="small"
        icon={<SendOutlined />}
        disabled={!endpoint.active}
        loading={act.isPending && act.variables.action === 'test' && act.variables.endpoint.id === endpoint.id}
        onClick={() => act.mutate({ action: 'test', endpoint })}
        data-testid={`test-${endpoint.name}`}
      >
        {t('actions.test')}
      </Button>
      <Dropdown menu={menu(endpoint)} trigger={['click']}>
        <Button size="small" icon={<MoreOutlined />} aria-label={t('common:actions.more')} data-testid={`more-${endpoint.name}`} />
      </Dropdown>
    </Space>
  );

  const url = (value: string, wrap: boolean) => (
    <Typography.Text
      code={!wrap}
      copyable={{ text: value }}
      ellipsis={wrap ? false : { tooltip: value }}
      style={wrap ? { wordBreak: 'break-all', fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 13 } : { maxWidth: 300 }}
    >
      {value}
    </Typography.Text>
  );

  const columns: TableProps<WebhookEndpoint>['columns'] = [
    { title: t('columns.name'), dataIndex: 'name', fixed: 'left', render: (name: string) => <Typography.Text strong>{name}</Typography.Text> },
    { title: t('columns.url'), dataIndex: 'url', render: (v: string) => url(v, false) },
    { title: t('columns.eventTypes'), key: 'eventTypes', render: (_, e) => typesCell(e) },
    { title: t('columns.status'), key: 'status', render: (_, e) => statusTag(e) },
    { title: t('columns.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTimeShort(v) },
    { title: t('columns.actions'), key: 'actions', fixed: 'right', render: (_, e) => actions(e) },
  ];

  const renderCard = (endpoint: WebhookEndpoint) => (
    <Flex vertical gap={8}>
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Text strong>{endpoint.name}</Typography.Text>
        {statusTag(endpoint)}
      </Flex>
      {url(endpoint.url, true)}
      {typesCell(endpoint)}
      {actions(endpoint)}
    </Flex>
  );

  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ mode: 'create' })} data-testid="webhook-create">
            {t('create')}
          </Button>
        }
      />
      <DataTable<WebhookEndpoint>
        queryKey={webhookKeys.endpoints}
        fetchPage={(_cursor, signal) => webhooksApi.list(signal)}
        columns={columns}
        rowKey={(e) => e.id}
        rowTestId={(e) => `webhook-row-${e.name}`}
        renderCard={renderCard}
      />
      <EndpointDrawer state={drawer} onClose={() => setDrawer(null)} />
      <DeliveriesDrawer endpoint={deliveriesOf} onClose={() => setDeliveriesOf(null)} />
      <Modal
        open={rotated !== null}
        title={t('secret.rotatedTitle')}
        onCancel={() => setRotated(null)}
        destroyOnHidden
        footer={
          <Button type="primary" onClick={() => setRotated(null)}>
            {t('common:actions.done')}
          </Button>
        }
      >
        {rotated ? <SecretNotice secret={rotated} /> : null}
      </Modal>
    </>
  );
}
