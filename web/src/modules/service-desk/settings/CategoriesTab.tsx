import { useState } from 'react';
import { App, Button, Empty, Flex, Form, Input, InputNumber, List, Modal, Select, Spin, Switch, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { REQUEST_TYPES, type RequestType, type ServiceCategory } from '@courtyard/contracts';
import { formKey } from '../../../ui/formKey';
import { useApiError } from '../../../ui/useApiError';
import { useIsMobile } from '../../../ui/useIsMobile';
import { useCategories } from '../api';
import { settingsApi, useConfigMutation } from '../settingsApi';

interface Values {
  code: string;
  name: string;
  sort?: number;
}

/**
 * 分类: categories per request type. A category in use cannot be deleted (requests keep it);
 * it is disabled instead, and then no longer offered to owners and staff.
 */
export function CategoriesTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation(['serviceDesk', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const isMobile = useIsMobile();
  const [type, setType] = useState<RequestType>('repair_room');
  const [editing, setEditing] = useState<ServiceCategory | 'new' | null>(null);
  const query = useCategories(communityId);
  const [form] = Form.useForm<Values>();
  const create = useConfigMutation(settingsApi.createCategory);
  const update = useConfigMutation(({ id, ...body }: { id: string; name?: string; sort?: number; active?: boolean }) => settingsApi.updateCategory(id, body));
  const items = (query.data?.items ?? []).filter((c) => c.type === type);
  const current = editing === 'new' ? null : editing;

  const submit = (v: Values) => {
    const done = () => {
      void message.success(t('serviceDesk:settings.saved'));
      setEditing(null);
    };
    if (current) update.mutate({ id: current.id, name: v.name.trim(), ...(v.sort !== undefined && v.sort !== null ? { sort: v.sort } : {}) }, { onSuccess: done, onError: (e) => showError(e, form) });
    else create.mutate({ communityId, type, code: v.code.trim(), name: v.name.trim(), ...(v.sort !== undefined && v.sort !== null ? { sort: v.sort } : {}) }, { onSuccess: done, onError: (e) => showError(e, form) });
  };

  return (
    <Flex vertical gap={12}>
      <Flex gap={8} wrap justify="space-between">
        <Select<RequestType>
          value={type}
          onChange={setType}
          style={{ width: isMobile ? '100%' : 200 }}
          aria-label={t('serviceDesk:field.type')}
          data-testid="category-type"
          options={REQUEST_TYPES.map((v) => ({ value: v, label: t(`serviceDesk:type.${v}`) }))}
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} block={isMobile} data-testid="category-add">
          {t('serviceDesk:settings.categories.add')}
        </Button>
      </Flex>
      {query.isPending ? <Spin /> : null}
      {query.isSuccess && items.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : null}
      {items.length ? (
        <List
          size="small"
          bordered
          style={{ background: 'var(--ant-color-bg-container)' }}
          dataSource={items}
          data-testid="category-list"
          renderItem={(c) => (
            <List.Item
              data-testid={`category-${c.code}`}
              actions={[
                <Button key="edit" type="text" icon={<EditOutlined />} aria-label={t('common:actions.edit')} onClick={() => setEditing(c)} />,
                <Switch
                  key="active"
                  checked={c.active}
                  size="small"
                  aria-label={t('serviceDesk:settings.categories.active')}
                  loading={update.isPending && update.variables.id === c.id}
                  onChange={(active) => update.mutate({ id: c.id, active }, { onError: (e) => showError(e) })}
                />,
              ]}
            >
              <Flex gap={8} wrap align="center" style={{ minWidth: 0 }}>
                <Typography.Text delete={!c.active} data-user-data>
                  {c.name}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {c.code}
                </Typography.Text>
                {c.active ? null : <Tag>{t('serviceDesk:settings.categories.disabled')}</Tag>}
              </Flex>
            </List.Item>
          )}
        />
      ) : null}
      <Modal
        open={editing !== null}
        title={current ? t('serviceDesk:settings.categories.rename') : t('serviceDesk:settings.categories.add')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={t('common:actions.save')}
        cancelText={t('common:actions.cancel')}
        okButtonProps={{ loading: create.isPending || update.isPending, 'data-testid': 'category-save' }}
        destroyOnHidden
      >
        <Form<Values> key={formKey(editing !== null, current)} form={form} layout="vertical" onFinish={submit} initialValues={current ? { code: current.code, name: current.name, sort: current.sort } : { code: '', name: '' }} preserve={false}>
          <Typography.Paragraph type="secondary">{t(`serviceDesk:type.${type}`)}</Typography.Paragraph>
          <Form.Item name="name" label={t('serviceDesk:settings.categories.name')} rules={[{ required: true, whitespace: true, max: 50 }]}>
            <Input maxLength={50} data-testid="category-name" />
          </Form.Item>
          <Form.Item name="code" label={t('serviceDesk:settings.categories.code')} extra={t('serviceDesk:settings.categories.codeHint')} rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{0,39}$/, message: t('serviceDesk:settings.categories.codeHint') }]}>
            <Input maxLength={40} disabled={!!current} data-testid="category-code" />
          </Form.Item>
          <Form.Item name="sort" label={t('serviceDesk:settings.categories.sort')}>
            <InputNumber<number> min={0} max={10000} precision={0} />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}
