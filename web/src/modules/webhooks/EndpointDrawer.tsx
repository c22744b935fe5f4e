import { useState } from 'react';
import { App, Button, Drawer, Flex, Form, Input, Select, Space, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { WebhookEndpoint } from '@courtyard/contracts';
import { currentLocale } from '../../app/i18n';
import { OneTimeSecret } from '../../ui/OneTimeSecret';
import { useApiError } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { webhookKeys, webhooksApi } from './api';
import { eventTypeLabel } from './labels';

interface Values {
  name: string;
  url: string;
  eventTypes: string[];
}

export type EndpointDrawerState = { mode: 'create' } | { mode: 'edit'; endpoint: WebhookEndpoint } | null;

/** "All events" excludes the others: picking it keeps only it, picking another type drops it. */
function normaliseTypes(next: string[], previous: string[] | undefined): string[] {
  const added = next.filter((v) => !(previous ?? []).includes(v));
  if (added.includes('*')) return ['*'];
  return next.length > 1 ? next.filter((v) => v !== '*') : next;
}

/** The signing secret the server returned once (after create or rotate): shown with a copy button. */
export function SecretNotice({ secret }: { secret: string }) {
  const { t } = useTranslation('webhooks');
  return (
    <Flex vertical gap={12}>
      <OneTimeSecret warning={t('secret.warning')} values={[secret]} testId="webhook-secret" />
      <Typography.Text type="secondary">{t('secret.howTo')}</Typography.Text>
    </Flex>
  );
}

/** Create or edit an endpoint; after creating, shows its signing secret once. */
export function EndpointDrawer({ state, onClose }: { state: EndpointDrawerState; onClose: () => void }) {
  const { t } = useTranslation(['webhooks', 'common']);
  const { message } = App.useApp();
  const client = useQueryClient();
  const showError = useApiError();
  const isMobile = useIsMobile();
  const locale = currentLocale();
  const [form] = Form.useForm<Values>();
  const [secret, setSecret] = useState<string | null>(null);
  const eventTypes = useQuery({ queryKey: webhookKeys.eventTypes, queryFn: webhooksApi.eventTypes, staleTime: 10 * 60_000, enabled: !!state });
  const endpoint = state?.mode === 'edit' ? state.endpoint : null;

  const save = useMutation({
    mutationFn: async (values: Values) => {
      const body = { name: values.name.trim(), url: values.url.trim(), eventTypes: values.eventTypes };
      if (endpoint) {
        await webhooksApi.update(endpoint.id, body);
        return null;
      }
      return (await webhooksApi.create(body)).secret;
    },
    onSuccess: async (created) => {
      void message.success(t('messages.saved'));
      await client.invalidateQueries({ queryKey: webhookKeys.endpoints });
      if (created) setSecret(created);
      else onClose();
    },
    onError: (error) => showError(error, form),
  });

  const close = () => {
    setSecret(null);
    onClose();
  };

  const options = [
    { value: '*', search: `${t('form.allEventsOption')} *`, label: t('form.allEventsOption') },
    ...(eventTypes.data?.items ?? []).map((e) => ({
      value: e.code,
      search: `${eventTypeLabel(e.code, locale, eventTypes.data?.items)} ${e.code}`,
      label: (
        <span>
          {eventTypeLabel(e.code, locale, eventTypes.data?.items)}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {e.code}
          </Typography.Text>
        </span>
      ),
    })),
  ];

  const title = secret ? t('secret.createdTitle') : endpoint ? t('form.editTitle') : t('form.createTitle');
  return (
    <Drawer
      open={!!state}
      onClose={close}
      title={title}
      size={isMobile ? '100%' : 560}
      destroyOnHidden
      footer={
        secret ? (
          <Button type="primary" onClick={close} data-testid="webhook-secret-done">
            {t('common:actions.done')}
          </Button>
        ) : (
          <Space>
            <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="webhook-save">
              {t('common:actions.save')}
            </Button>
            <Button onClick={close}>{t('common:actions.cancel')}</Button>
          </Space>
        )
      }
    >
      {secret ? (
        <SecretNotice secret={secret} />
      ) : (
        <Form<Values>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ name: endpoint?.name ?? '', url: endpoint?.url ?? '', eventTypes: endpoint?.eventTypes ?? [] }}
          onFinish={(values) => save.mutate(values)}
        >
          <Form.Item name="name" label={t('columns.name')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
            <Input maxLength={100} placeholder={t('form.namePlaceholder')} data-testid="webhook-name" />
          </Form.Item>
          <Form.Item
            name="url"
            label={t('columns.url')}
            extra={t('form.urlHint')}
            rules={[
              { required: true, message: t('common:form.required') },
              { pattern: /^\s*https?:\/\/[^\s/]+/i, message: t('form.urlInvalid') },
            ]}
          >
            <Input maxLength={2000} inputMode="url" autoCapitalize="none" placeholder="https://" data-testid="webhook-url" />
          </Form.Item>
          <Form.Item
            name="eventTypes"
            label={t('columns.eventTypes')}
            extra={t('form.eventTypesHint')}
            normalize={normaliseTypes}
            rules={[{ required: true, type: 'array', min: 1, message: t('common:form.required') }]}
          >
            <Select mode="multiple" options={options} loading={eventTypes.isPending} optionFilterProp="search" allowClear data-testid="webhook-event-types" />
          </Form.Item>
        </Form>
      )}
    </Drawer>
  );
}
