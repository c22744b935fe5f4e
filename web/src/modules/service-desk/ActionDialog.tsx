import { useState } from 'react';
import { App, Button, Checkbox, Flex, Form, Input, InputNumber, Modal, Radio, Rate, Select, Tag, Typography, Upload } from 'antd';
import { DeleteOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ChargeLine, RequestAction, ServiceRequest, TransitionBody } from '@courtyard/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { filesKeys } from '../../ui/Attachments';
import { useApiError } from '../../ui/useApiError';
import { formatCents, yuanToCents } from '../properties/money';
import { deskApi, useCategories, useTeams, useTechnicians, useTransition } from './api';

/** Actions that change nothing but the state: one confirmation with an optional comment. */
const REASON_REQUIRED: readonly RequestAction[] = ['reject', 'pause', 'wait_parts', 'reopen'];

interface LineField {
  kind: ChargeLine['kind'];
  name: string;
  quantity: number;
  price: string;
}

interface Values {
  comment?: string;
  reason?: string;
  result?: string;
  rating?: number;
  target?: 'technician' | 'team' | 'auto';
  technicianId?: string;
  teamId?: string;
  lines?: LineField[];
  chargeable?: boolean;
}

const linesOf = (lines: LineField[] | undefined): ChargeLine[] =>
  (lines ?? []).filter((l) => l.name?.trim()).map((l) => ({ kind: l.kind, name: l.name.trim(), quantity: l.quantity || 1, unitPriceCents: yuanToCents(String(l.price ?? '0')) ?? 0 }));

/**
 * One small dialog per workflow action (PRODUCT.md §3): the fields the server requires for that
 * action (a reason to reject, pause or reopen, a target to dispatch, a result to resolve, a rating
 * to confirm). The version the user saw goes with it, so acting on a stale view is refused.
 */
export function ActionDialog({ request, action, onClose }: { request: ServiceRequest; action: RequestAction | null; onClose: () => void }) {
  const { t } = useTranslation(['serviceDesk', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<Values>();
  const transition = useTransition();
  const client = useQueryClient();
  const [photos, setPhotos] = useState<File[]>([]);
  const isDispatch = action === 'dispatch';
  const target = Form.useWatch('target', form) ?? 'technician';
  const lines = Form.useWatch('lines', form);
  const technicians = useTechnicians(request.communityId, isDispatch);
  const teams = useTeams(request.communityId, isDispatch);
  const categories = useCategories(isDispatch ? request.communityId : undefined);
  const categoryName = new Map((categories.data?.items ?? []).map((c) => [c.id, c.name]));
  const total = linesOf(lines).reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);

  const submit = (values: Values) => {
    if (!action) return;
    const body: TransitionBody = { action, version: request.version };
    if (values.comment?.trim()) body.comment = values.comment.trim();
    if (values.reason?.trim()) body.reason = values.reason.trim();
    if (action === 'dispatch') {
      if (values.target === 'technician') body.technicianId = values.technicianId ?? null;
      if (values.target === 'team') body.teamId = values.teamId ?? null;
    }
    if (action === 'resolve') {
      body.result = values.result?.trim() ?? '';
      const priced = linesOf(values.lines);
      if (priced.length) body.lines = priced;
      if (values.chargeable && priced.length) body.chargeable = true;
    }
    if (action === 'confirm') body.rating = values.rating ?? 5;
    transition.mutate(
      { requestId: request.id, body },
      {
        onSuccess: () => {
          void Promise.all(photos.map((photo) => deskApi.uploadPhoto(request.id, photo, photo.name).catch((e: unknown) => showError(e)))).then(() =>
            client.invalidateQueries({ queryKey: filesKeys.owner('service_request', request.id) }),
          );
          void message.success(t('serviceDesk:action.done', { action: t(`serviceDesk:action.${action}`) }));
          setPhotos([]);
          form.resetFields();
          onClose();
        },
        onError: (e) => showError(e, form),
      },
    );
  };

  const technicianOptions = (technicians.data?.items ?? []).map((tech) => ({
    value: tech.id,
    label: (
      <Flex justify="space-between" gap={8} style={{ minWidth: 0 }} data-testid={`dispatch-technician-${tech.name}`}>
        <Typography.Text ellipsis>
          {tech.name} {request.categoryId && tech.skills.includes(request.categoryId) ? <Tag color="green">{t('serviceDesk:dispatch.skilled')}</Tag> : null}
        </Typography.Text>
        <span style={{ flex: 'none' }}>
          <Tag color={tech.onDuty ? 'green' : 'default'}>{tech.onDuty ? t('serviceDesk:dispatch.onDuty') : t('serviceDesk:dispatch.offDuty')}</Tag>
          <Typography.Text type="secondary">{t('serviceDesk:dispatch.open', { count: tech.openCount })}</Typography.Text>
        </span>
      </Flex>
    ),
    title: `${tech.name} · ${tech.skills.map((s) => categoryName.get(s) ?? '').filter(Boolean).join('、')}`,
  }));

  return (
    <Modal
      open={action !== null}
      title={action ? t(`serviceDesk:action.${action}`) : ''}
      onCancel={onClose}
      destroyOnHidden
      okText={t('common:actions.confirm')}
      cancelText={t('common:actions.cancel')}
      okButtonProps={{ loading: transition.isPending, 'data-testid': 'action-submit' }}
      onOk={() => form.submit()}
      width={isDispatch || action === 'resolve' ? 560 : 440}
    >
      <Typography.Paragraph type="secondary">
        {request.number} · {request.location}
      </Typography.Paragraph>
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ target: 'technician', rating: 5, lines: [], chargeable: false }} data-testid={`action-form-${action ?? ''}`}>
        {isDispatch ? (
          <>
            <Form.Item name="target" label={t('serviceDesk:dispatch.to')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'technician', label: t('serviceDesk:dispatch.technician') },
                  { value: 'team', label: t('serviceDesk:dispatch.team') },
                  { value: 'auto', label: t('serviceDesk:dispatch.auto') },
                ]}
              />
            </Form.Item>
            {target === 'technician' ? (
              <Form.Item name="technicianId" label={t('serviceDesk:dispatch.technician')} rules={[{ required: true, message: t('serviceDesk:dispatch.pickTechnician') }]} extra={t('serviceDesk:dispatch.hint')}>
                <Select showSearch optionFilterProp="title" loading={technicians.isPending} options={technicianOptions} data-testid="dispatch-technician" notFoundContent={t('serviceDesk:dispatch.noTechnicians')} />
              </Form.Item>
            ) : null}
            {target === 'team' ? (
              <Form.Item name="teamId" label={t('serviceDesk:dispatch.team')} rules={[{ required: true, message: t('serviceDesk:dispatch.pickTeam') }]}>
                <Select
                  loading={teams.isPending}
                  data-testid="dispatch-team"
                  options={(teams.data?.items ?? []).map((team) => ({
                    value: team.id,
                    label: `${team.name} · ${t('serviceDesk:dispatch.members', { onDuty: team.members.filter((m) => m.onDuty).length, total: team.members.length })}`,
                  }))}
                />
              </Form.Item>
            ) : null}
            {target === 'auto' ? <Typography.Paragraph type="secondary">{t('serviceDesk:dispatch.autoHint')}</Typography.Paragraph> : null}
          </>
        ) : null}
        {action && REASON_REQUIRED.includes(action) ? (
          <Form.Item name="reason" label={t('serviceDesk:field.reason')} rules={[{ required: true, whitespace: true, message: t('serviceDesk:field.reasonRequired') }]}>
            <Input.TextArea rows={3} maxLength={500} showCount data-testid="action-reason" />
          </Form.Item>
        ) : null}
        {action === 'resolve' ? (
          <>
            <Form.Item name="result" label={t('serviceDesk:field.result')} rules={[{ required: true, whitespace: true, message: t('serviceDesk:field.resultRequired') }]}>
              <Input.TextArea rows={3} maxLength={2000} data-testid="action-result" />
            </Form.Item>
            <Typography.Text strong>{t('serviceDesk:lines.title')}</Typography.Text>
            <Form.List name="lines">
              {(fields, { add, remove }) => (
                <Flex vertical gap={8} style={{ margin: '8px 0 12px' }}>
                  {fields.map((field) => (
                    <Flex key={field.key} gap={6} wrap align="center" data-testid={`line-${field.name}`}>
                      <Form.Item name={[field.name, 'kind']} noStyle>
                        <Select style={{ width: 88 }} options={(['material', 'labour'] as const).map((k) => ({ value: k, label: t(`serviceDesk:lines.${k}`) }))} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'name']} noStyle rules={[{ required: true }]}>
                        <Input placeholder={t('serviceDesk:lines.name')} style={{ flex: '1 1 120px', minWidth: 100 }} maxLength={100} data-testid={`line-${field.name}-name`} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'quantity']} noStyle>
                        <InputNumber min={1} max={100000} precision={0} style={{ width: 72 }} aria-label={t('serviceDesk:lines.quantity')} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'price']} noStyle>
                        <InputNumber<string> stringMode min="0" precision={2} prefix="¥" style={{ width: 110 }} aria-label={t('serviceDesk:lines.price')} data-testid={`line-${field.name}-price`} />
                      </Form.Item>
                      <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common:actions.delete')} />
                    </Flex>
                  ))}
                  <Flex justify="space-between" align="center" wrap gap={8}>
                    <Button icon={<PlusOutlined />} onClick={() => add({ kind: 'material', name: '', quantity: 1, price: '0' })} data-testid="line-add">
                      {t('serviceDesk:lines.add')}
                    </Button>
                    <Typography.Text data-testid="lines-total">{t('serviceDesk:lines.total', { total: formatCents(total) })}</Typography.Text>
                  </Flex>
                </Flex>
              )}
            </Form.List>
            <Form.Item name="chargeable" valuePropName="checked" extra={t('serviceDesk:lines.chargeableHint')}>
              <Checkbox data-testid="action-chargeable">{t('serviceDesk:lines.chargeable')}</Checkbox>
            </Form.Item>
            <PhotoPicker photos={photos} onChange={setPhotos} />
          </>
        ) : null}
        {action === 'confirm' ? (
          <Form.Item name="rating" label={t('serviceDesk:field.rating')} rules={[{ required: true }]}>
            <Rate data-testid="action-rating" />
          </Form.Item>
        ) : null}
        {action !== 'dispatch' || target !== 'auto' ? (
          <Form.Item name="comment" label={t('serviceDesk:field.comment')}>
            <Input.TextArea rows={2} maxLength={1000} data-testid="action-comment" />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

/** Photos chosen now and uploaded once the request exists or the action succeeded. */
export function PhotoPicker({ photos, onChange }: { photos: File[]; onChange: (photos: File[]) => void }) {
  const { t } = useTranslation('serviceDesk');
  return (
    <Flex vertical gap={6}>
      <Upload
        accept="image/*"
        multiple
        showUploadList={false}
        beforeUpload={(file) => {
          onChange([...photos, file].slice(0, 9));
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} data-testid="photo-pick">
          {t('photos.add')}
        </Button>
      </Upload>
      {photos.length ? (
        <Flex gap={6} wrap>
          {photos.map((p, i) => (
            <Tag key={`${p.name}-${i}`} closable onClose={() => onChange(photos.filter((_, j) => j !== i))} style={{ maxWidth: '100%', overflow: 'hidden', textOverflow: 'ellipsis' }} data-testid="photo-chosen">
              {p.name}
            </Tag>
          ))}
        </Flex>
      ) : null}
    </Flex>
  );
}
