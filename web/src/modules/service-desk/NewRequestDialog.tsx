import { App, Form, Input, Modal, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { REQUEST_PRIORITIES, REQUEST_TYPES, type CreateServiceRequestBody, type RequestPriority, type RequestType } from '@courtyard/contracts';
import { useApiError } from '../../ui/useApiError';
import { useCategories, useCreateRequest } from './api';

interface Values {
  channel: CreateServiceRequestBody['channel'];
  type: RequestType;
  categoryId?: string;
  location: string;
  description: string;
  contactName?: string;
  contactPhone?: string;
  priority: RequestPriority;
}

/**
 * Front-desk / phone entry (PRODUCT.md §3): the channel is recorded with the request. The location
 * is free text here (room code or public area); staff who know the room pick it on the room card.
 */
export function NewRequestDialog({ communityId, open, onClose }: { communityId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation(['serviceDesk', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('type', form);
  const categories = useCategories(communityId);
  const create = useCreateRequest();

  const submit = (v: Values) =>
    create.mutate(
      {
        communityId,
        channel: v.channel,
        type: v.type,
        categoryId: v.categoryId ?? null,
        location: v.location.trim(),
        description: v.description.trim(),
        contactName: v.contactName?.trim() || null,
        contactPhone: v.contactPhone?.trim() || null,
        priority: v.priority,
      },
      {
        onSuccess: (r) => {
          void message.success(t('serviceDesk:create.done', { number: r.number }));
          form.resetFields();
          onClose();
          void navigate(`/service-desk/requests/${r.id}`);
        },
        onError: (e) => showError(e, form),
      },
    );

  return (
    <Modal
      open={open}
      title={t('serviceDesk:create.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common:actions.confirm')}
      cancelText={t('common:actions.cancel')}
      okButtonProps={{ loading: create.isPending, 'data-testid': 'create-submit' }}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ channel: 'phone', type: 'repair_room', priority: 'normal' }}>
        <Form.Item name="channel" label={t('serviceDesk:field.channel')}>
          <Radio.Group optionType="button" options={(['phone', 'front_desk', 'staff'] as const).map((c) => ({ value: c, label: t(`serviceDesk:channel.${c}`) }))} />
        </Form.Item>
        <Form.Item name="type" label={t('serviceDesk:field.type')} rules={[{ required: true }]}>
          <Select options={REQUEST_TYPES.map((v) => ({ value: v, label: t(`serviceDesk:type.${v}`) }))} onChange={() => form.setFieldValue('categoryId', undefined)} data-testid="create-type" />
        </Form.Item>
        <Form.Item name="categoryId" label={t('serviceDesk:field.category')}>
          <Select allowClear loading={categories.isPending} options={(categories.data?.items ?? []).filter((c) => c.type === type && c.active).map((c) => ({ value: c.id, label: c.name }))} data-testid="create-category" />
        </Form.Item>
        <Form.Item name="location" label={t('serviceDesk:field.location')} rules={[{ required: true, whitespace: true }]} extra={t('serviceDesk:create.locationHint')}>
          <Input maxLength={200} data-testid="create-location" />
        </Form.Item>
        <Form.Item name="description" label={t('serviceDesk:field.description')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={2000} showCount data-testid="create-description" />
        </Form.Item>
        <Form.Item name="contactName" label={t('serviceDesk:field.contactName')}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="contactPhone" label={t('serviceDesk:field.contactPhone')}>
          <Input maxLength={30} inputMode="tel" />
        </Form.Item>
        <Form.Item name="priority" label={t('serviceDesk:field.priority')}>
          <Radio.Group optionType="button" options={REQUEST_PRIORITIES.map((p) => ({ value: p, label: t(`serviceDesk:priority.${p}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
