import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Flex, Form, Input, Modal, Select, Spin, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { EditOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { NOTIFICATION_CHANNELS, type Locale, type NotificationChannel, type NotificationTemplate, type User } from '@courtyard/contracts';
import { api } from '../../ui/api';
import type { KeysetPage } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTimeShort } from '../../ui/format';
import { useApiError, useErrorText } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { notificationKeys, notificationsApi } from './api';
import { ChannelTag, useTemplateName, variablesOf } from './labels';

const CHANNEL_ORDER: Record<NotificationChannel, number> = { in_app: 0, email: 1, sms: 2, push: 3 };
// The default language first.
const LOCALE_ORDER: Record<Locale, number> = { 'zh-CN': 0, 'en-US': 1 };

function EditTemplateModal({ template, onClose }: { template: NotificationTemplate | null; onClose: () => void }) {
  const { t } = useTranslation('notifications');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const showError = useApiError();
  const [form] = Form.useForm<{ subject: string; body: string }>();
  const save = useMutation({
    mutationFn: (values: { subject: string; body: string }) =>
      notificationsApi.updateTemplate(
        { code: template!.code, channel: template!.channel, locale: template!.locale },
        { subject: template!.channel === 'sms' ? null : values.subject, body: values.body },
      ),
    onSuccess: () => {
      void message.success(t('templates.saved'));
      void client.invalidateQueries({ queryKey: notificationKeys.templates });
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  const variables = template ? variablesOf(template.subject, template.body) : [];
  return (
    <Modal
      open={template !== null}
      title={t('templates.edit')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={tc('actions.save')}
      cancelText={tc('actions.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={640}
      data-testid="template-modal"
    >
      {template ? (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ subject: template.subject ?? '', body: template.body }}
          onFinish={(values) => save.mutate(values)}
          preserve={false}
        >
          <Flex gap={8} wrap style={{ marginBottom: 12 }}>
            <Tag>{template.code}</Tag>
            <ChannelTag channel={template.channel} />
            <Tag>{tc(`language.${template.locale}`)}</Tag>
          </Flex>
          {template.channel === 'sms' ? (
            <Typography.Paragraph type="secondary">{t('templates.noSubject')}</Typography.Paragraph>
          ) : (
            <Form.Item name="subject" label={t('templates.subject')} rules={[{ required: true, message: tc('form.required') }]}>
              <Input maxLength={200} data-testid="template-subject" />
            </Form.Item>
          )}
          <Form.Item name="body" label={t('templates.body')} rules={[{ required: true, message: tc('form.required') }]}>
            <Input.TextArea autoSize={{ minRows: 4, maxRows: 14 }} maxLength={10_000} data-testid="template-body" />
          </Form.Item>
          {variables.length ? <Typography.Text type="secondary">{t('templates.variables', { list: variables.map((v) => `{{${v}}}`).join('  ') })}</Typography.Text> : null}
        </Form>
      ) : null}
    </Modal>
  );
}

function TestSendModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation('notifications');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<{ userId: string; channels: NotificationChannel[] }>();
  const [search, setSearch] = useState('');
  const users = useQuery({
    queryKey: ['users', 'pick', search],
    queryFn: ({ signal }) => api.get<KeysetPage<User>>('/api/users', { q: search || undefined, limit: 20, status: 'active' }, { signal }),
    enabled: open,
  });
  const send = useMutation({
    mutationFn: (values: { userId: string; channels: NotificationChannel[] }) => notificationsApi.testSend(values.userId, values.channels),
    onSuccess: (result) => {
      void message.success(t('test.sent', { count: result.messageIds.length }));
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  return (
    <Modal
      open={open}
      title={t('test.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={tc('actions.submit')}
      cancelText={tc('actions.cancel')}
      confirmLoading={send.isPending}
      destroyOnHidden
      data-testid="test-send-modal"
    >
      <Typography.Paragraph type="secondary">{t('test.hint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ channels: ['in_app', 'email'] }} onFinish={(values) => send.mutate(values)} preserve={false}>
        <Form.Item name="userId" label={t('test.user')} rules={[{ required: true, message: tc('form.required') }]}>
          <Select
            showSearch={{ filterOption: false, onSearch: setSearch }}
            placeholder={t('test.userPlaceholder')}
            loading={users.isFetching}
            options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))}
            data-testid="test-send-user"
          />
        </Form.Item>
        <Form.Item name="channels" label={t('test.channels')} rules={[{ required: true, message: tc('form.required') }]}>
          <Checkbox.Group options={NOTIFICATION_CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** `/admin/notifications/templates`: every template per channel and language, editable; a test send. */
export default function TemplatesPage() {
  const { t } = useTranslation('notifications');
  const { t: tc } = useTranslation();
  const isMobile = useIsMobile();
  const errorText = useErrorText();
  const templateName = useTemplateName();
  const [editing, setEditing] = useState<NotificationTemplate | null>(null);
  const [testing, setTesting] = useState(false);
  const query = useQuery({ queryKey: notificationKeys.templates, queryFn: notificationsApi.templates });

  const groups = useMemo(() => {
    const byCode = new Map<string, NotificationTemplate[]>();
    for (const tpl of query.data?.items ?? []) byCode.set(tpl.code, [...(byCode.get(tpl.code) ?? []), tpl]);
    for (const list of byCode.values()) list.sort((a, b) => CHANNEL_ORDER[a.channel] - CHANNEL_ORDER[b.channel] || LOCALE_ORDER[a.locale] - LOCALE_ORDER[b.locale]);
    return [...byCode.entries()];
  }, [query.data]);

  const columns: TableProps<NotificationTemplate>['columns'] = [
    { title: t('templates.channel'), dataIndex: 'channel', render: (v: NotificationChannel) => <ChannelTag channel={v} /> },
    { title: t('templates.locale'), dataIndex: 'locale', render: (v: 'zh-CN' | 'en-US') => tc(`language.${v}`) },
    {
      title: t('templates.subject'),
      dataIndex: 'subject',
      render: (v: string | null) => v ?? <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      title: t('templates.body'),
      dataIndex: 'body',
      render: (v: string) => (
        <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: isMobile ? 180 : 360 }}>
          {v}
        </Typography.Text>
      ),
    },
    {
      title: t('templates.updatedBy'),
      key: 'updated',
      render: (_, r) =>
        r.updatedBy ? (
          <span>
            <span data-user-data>{r.updatedBy}</span> · {formatDateTimeShort(r.updatedAt)}
          </span>
        ) : (
          <Tag>{t('templates.builtIn')}</Tag>
        ),
    },
    {
      title: '',
      key: 'actions',
      fixed: 'right',
      render: (_, r) => (
        <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} data-testid={`edit-${r.code}-${r.channel}-${r.locale}`}>
          {tc('actions.edit')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('templates.title')}
        subtitle={t('templates.subtitle', { placeholder: '{{variable}}' })}
        extra={
          <Button type="primary" icon={<SendOutlined />} onClick={() => setTesting(true)} data-testid="test-send">
            {t('test.button')}
          </Button>
        }
      />
      {query.error ? <Alert type="error" showIcon title={errorText(query.error)} style={{ marginBottom: 16 }} /> : null}
      <Spin spinning={query.isPending}>
        <Flex vertical gap={16}>
          {groups.map(([code, list]) => (
            <Card
              key={code}
              size="small"
              title={
                <Flex gap={8} align="center" wrap>
                  <span>{templateName(code)}</span>
                  <Typography.Text type="secondary" code>
                    {code}
                  </Typography.Text>
                </Flex>
              }
              data-testid={`template-group-${code}`}
            >
              <Table<NotificationTemplate>
                rowKey={(r) => `${r.channel}/${r.locale}`}
                columns={columns}
                dataSource={list}
                pagination={false}
                size="small"
                scroll={{ x: 'max-content' }}
              />
            </Card>
          ))}
        </Flex>
      </Spin>
      <EditTemplateModal template={editing} onClose={() => setEditing(null)} />
      <TestSendModal open={testing} onClose={() => setTesting(false)} />
    </>
  );
}
