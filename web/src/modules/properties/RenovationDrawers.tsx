import { useState } from 'react';
import { App, Button, DatePicker, Descriptions, Drawer, Flex, Form, Input, Modal, Select, Space, Spin, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import type { Renovation, RenovationDepositBody } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { MaskedText } from '../../ui/MaskedText';
import { formatDateTimeShort } from '../../ui/format';
import { useApiError } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { roomsApi, useRenovation, useRenovationMutations, type DepositState, type RenovationAction, type RenovationState } from './api';
import { formatCents, yuanToCents } from './money';

export const RENOVATION_STATES: readonly RenovationState[] = ['submitted', 'approved', 'in_progress', 'failed_inspection', 'completed', 'rejected', 'cancelled'];
export const RENOVATION_STATE_COLOR: Record<RenovationState, string> = {
  submitted: 'gold',
  approved: 'blue',
  rejected: 'red',
  in_progress: 'purple',
  completed: 'green',
  failed_inspection: 'volcano',
  cancelled: 'default',
};
const DEPOSIT_COLOR: Record<DepositState, string> = { none: 'default', due: 'gold', collected: 'blue', released: 'green', forfeited: 'red' };

export function RenovationStateTag({ state }: { state: RenovationState }) {
  const { t } = useTranslation('properties');
  return (
    <Tag color={RENOVATION_STATE_COLOR[state]} data-testid={`renovation-state-${state}`}>
      {t(`renovationState.${state}`)}
    </Tag>
  );
}

export function DepositTag({ renovation }: { renovation: Pick<Renovation, 'depositCents' | 'depositState'> }) {
  const { t } = useTranslation('properties');
  if (renovation.depositState === 'none') return <Typography.Text type="secondary">{t('depositState.none')}</Typography.Text>;
  return (
    <Space size={4} wrap>
      <Typography.Text style={{ fontVariantNumeric: 'tabular-nums' }}>{formatCents(renovation.depositCents)}</Typography.Text>
      <Tag color={DEPOSIT_COLOR[renovation.depositState]}>{t(`depositState.${renovation.depositState}`)}</Tag>
    </Space>
  );
}

type Step = 'approve' | 'reject' | 'start' | 'inspectPass' | 'inspectFail' | 'cancel';

/** The state changes the server accepts from each state (the renovation state machine). */
export function legalSteps(state: RenovationState): Step[] {
  switch (state) {
    case 'submitted':
      return ['approve', 'reject', 'cancel'];
    case 'approved':
      return ['start', 'cancel'];
    case 'in_progress':
      return ['inspectPass', 'inspectFail'];
    case 'failed_inspection':
      return ['inspectPass', 'inspectFail'];
    default:
      return [];
  }
}

/** Deposit moves: due → collected → released (after the works passed inspection) or forfeited. */
export function legalDepositSteps(renovation: Pick<Renovation, 'state' | 'depositState'>): RenovationDepositBody['state'][] {
  if (renovation.depositState === 'due') return ['collected'];
  if (renovation.depositState === 'collected') return renovation.state === 'completed' ? ['released', 'forfeited'] : ['forfeited'];
  return [];
}

const NOTE_REQUIRED: Partial<Record<Step, true>> = { reject: true, inspectFail: true };
const WITH_NOTE: Step[] = ['approve', 'reject', 'inspectPass', 'inspectFail', 'cancel'];

function changeOf(step: Step, note: string): RenovationAction {
  const n = note.trim() || undefined;
  switch (step) {
    case 'approve':
      return { action: 'approve', ...(n ? { note: n } : {}) };
    case 'reject':
      return { action: 'reject', note: note.trim() };
    case 'start':
      return { action: 'start' };
    case 'inspectPass':
      return { action: 'inspect', passed: true, ...(n ? { note: n } : {}) };
    case 'inspectFail':
      return { action: 'inspect', passed: false, ...(n ? { note: n } : {}) };
    case 'cancel':
      return { action: 'cancel', ...(n ? { note: n } : {}) };
  }
}

/** One renovation application: its data and the state actions that are legal right now. */
export function RenovationDetailDrawer({ renovationId, onClose }: { renovationId: string | null; onClose: () => void }) {
  const { t } = useTranslation(['properties', 'common']);
  const { message } = App.useApp();
  const { me } = useMe();
  const showError = useApiError();
  const isMobile = useIsMobile();
  const canManage = hasPermission(me, 'properties.renovation.manage');
  const query = useRenovation(renovationId ?? undefined);
  const m = useRenovationMutations();
  const [step, setStep] = useState<Step | null>(null);
  const [note, setNote] = useState('');
  const r = query.data;

  const run = (change: RenovationAction, done: string) => {
    if (!r) return;
    m.act.mutate(
      { renovationId: r.id, change },
      {
        onSuccess: () => {
          void message.success(done);
          setStep(null);
          setNote('');
        },
        onError: (error) => showError(error),
      },
    );
  };
  const steps = r && canManage ? legalSteps(r.state) : [];
  const depositSteps = r && canManage ? legalDepositSteps(r) : [];
  const stepButton = (s: Step) => (
    <Button
      key={s}
      type={s === 'approve' || s === 'start' || s === 'inspectPass' ? 'primary' : 'default'}
      danger={s === 'reject' || s === 'inspectFail' || s === 'cancel'}
      onClick={() => (WITH_NOTE.includes(s) ? setStep(s) : run(changeOf(s, ''), t(`renovation.done.${s}`)))}
      loading={m.act.isPending && step === null && s === 'start'}
      data-testid={`renovation-${s}`}
    >
      {t(`renovation.step.${s}`)}
    </Button>
  );

  return (
    <Drawer
      open={!!renovationId}
      onClose={onClose}
      title={r ? t('renovation.detailTitle', { code: r.roomCode }) : t('renovation.detail')}
      size={isMobile ? '100%' : 560}
      destroyOnHidden
      data-testid="renovation-drawer"
      footer={
        steps.length || depositSteps.length ? (
          <Flex vertical gap={8}>
            {steps.length ? (
              <Flex wrap gap={8}>
                {steps.map(stepButton)}
              </Flex>
            ) : null}
            {depositSteps.length ? (
              <Flex wrap gap={8} align="center">
                <Typography.Text type="secondary">{t('renovation.depositActions')}</Typography.Text>
                {depositSteps.map((d) => (
                  <Button
                    key={d}
                    size="small"
                    danger={d === 'forfeited'}
                    loading={m.act.isPending && m.act.variables.change.action === 'deposit'}
                    onClick={() => run({ action: 'deposit', state: d }, t('messages.saved'))}
                    data-testid={`deposit-${d}`}
                  >
                    {t(`renovation.deposit.${d}`)}
                  </Button>
                ))}
              </Flex>
            ) : null}
          </Flex>
        ) : null
      }
    >
      {query.isPending ? (
        <Spin />
      ) : r ? (
        <Descriptions column={1} size="small" bordered styles={{ label: { width: 120 } }}>
          <Descriptions.Item label={t('renovation.room')}>
            <Link to={`/registry/rooms/${r.roomId}`} data-user-data>
              {r.roomCode}
            </Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('renovation.state')}>
            <RenovationStateTag state={r.state} />
          </Descriptions.Item>
          <Descriptions.Item label={t('renovation.period')}>
            {r.startsOn} ~ {r.endsOn}
          </Descriptions.Item>
          <Descriptions.Item label={t('renovation.contractor')}>
            <span data-user-data>{r.contractor}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('renovation.contractorPhone')}>
            <MaskedText value={r.contractorPhone} />
          </Descriptions.Item>
          <Descriptions.Item label={t('renovation.description')}>
            <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }} data-user-data>
              {r.description}
            </Typography.Paragraph>
          </Descriptions.Item>
          <Descriptions.Item label={t('renovation.deposit.label')}>
            <DepositTag renovation={r} />
          </Descriptions.Item>
          {r.decisionNote || r.decidedAt ? (
            <Descriptions.Item label={t('renovation.decision')}>
              <Flex vertical>
                <span data-user-data>{r.decisionNote ?? '—'}</span>
                <Typography.Text type="secondary">{formatDateTimeShort(r.decidedAt)}</Typography.Text>
              </Flex>
            </Descriptions.Item>
          ) : null}
          {r.inspectionNote || r.inspectedAt ? (
            <Descriptions.Item label={t('renovation.inspection')}>
              <Flex vertical>
                <span data-user-data>{r.inspectionNote ?? '—'}</span>
                <Typography.Text type="secondary">{formatDateTimeShort(r.inspectedAt)}</Typography.Text>
              </Flex>
            </Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('renovation.createdAt')}>{formatDateTimeShort(r.createdAt)}</Descriptions.Item>
        </Descriptions>
      ) : null}
      <Modal
        open={step !== null}
        title={step ? t(`renovation.step.${step}`) : ''}
        okText={t('common:actions.confirm')}
        cancelText={t('common:actions.cancel')}
        okButtonProps={{ danger: step === 'reject' || step === 'inspectFail' || step === 'cancel', disabled: !!step && !!NOTE_REQUIRED[step] && !note.trim() }}
        confirmLoading={m.act.isPending}
        onCancel={() => {
          setStep(null);
          setNote('');
        }}
        onOk={() => step && run(changeOf(step, note), t(`renovation.done.${step}`))}
        destroyOnHidden
      >
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{step && NOTE_REQUIRED[step] ? t('renovation.noteRequired') : t('renovation.noteOptional')}</Typography.Text>
          <Input.TextArea rows={3} maxLength={500} showCount value={note} onChange={(e) => setNote(e.target.value)} data-testid="renovation-note" />
        </Flex>
      </Modal>
    </Drawer>
  );
}

// ---------------------------------------------------------------------------------------------

interface CreateValues {
  roomId: string;
  contractor: string;
  contractorPhone: string;
  description: string;
  period: [Dayjs, Dayjs] | null;
  deposit: string;
}

/** Room picker by code prefix ("3-2-15…") within one community. */
export function RoomCodePicker({
  communityId,
  value,
  onChange,
  initial,
}: {
  communityId: string | undefined;
  value?: string;
  onChange?: (id: string) => void;
  initial?: { id: string; code: string };
}) {
  const { t } = useTranslation('properties');
  const [q, setQ] = useState(initial?.code ?? '');
  const rooms = useQuery({
    queryKey: ['registry', 'room-picker', communityId, q],
    queryFn: ({ signal }) => roomsApi.list({ communityId, q: q.trim() || undefined }, undefined, signal, 20),
    enabled: !!communityId,
  });
  const options = (rooms.data?.items ?? []).map((r) => ({ value: r.id, label: r.code }));
  if (initial && !options.some((o) => o.value === initial.id)) options.unshift({ value: initial.id, label: initial.code });
  return (
    <Select
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: setQ }}
      placeholder={t('renovation.roomPlaceholder')}
      options={options}
      loading={rooms.isFetching}
      notFoundContent={t('renovation.noRoom')}
      data-testid="renovation-room"
    />
  );
}

/** New renovation application (装修申请): room, contractor, period and deposit in yuan. */
export function RenovationCreateDrawer({
  open,
  communityId,
  room,
  onClose,
  onCreated,
}: {
  open: boolean;
  communityId: string | undefined;
  room?: { id: string; code: string };
  onClose: () => void;
  onCreated?: (r: Renovation) => void;
}) {
  const { t } = useTranslation(['properties', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<CreateValues>();
  const m = useRenovationMutations();
  const save = (v: CreateValues) => {
    const cents = yuanToCents(v.deposit || '0');
    if (cents === null || !v.period) return;
    m.create.mutate(
      {
        roomId: v.roomId,
        contractor: v.contractor.trim(),
        contractorPhone: v.contractorPhone.trim() || null,
        description: v.description.trim(),
        startsOn: v.period[0].format('YYYY-MM-DD'),
        endsOn: v.period[1].format('YYYY-MM-DD'),
        depositCents: cents,
      },
      {
        onSuccess: (created) => {
          void message.success(t('renovation.created'));
          onCreated?.(created);
          onClose();
        },
        onError: (error) => showError(error, form),
      },
    );
  };
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('renovation.create')}
      size={isMobile ? '100%' : 520}
      destroyOnHidden
      data-testid="renovation-create-drawer"
      footer={
        <Space>
          <Button type="primary" loading={m.create.isPending} onClick={() => form.submit()} data-testid="renovation-save">
            {t('common:actions.submit')}
          </Button>
          <Button onClick={onClose}>{t('common:actions.cancel')}</Button>
        </Space>
      }
    >
      <Form<CreateValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ roomId: room?.id, contractor: '', contractorPhone: '', description: '', period: null, deposit: '' }}
        onFinish={save}
      >
        <Form.Item name="roomId" label={t('renovation.room')} rules={[{ required: true, message: t('common:form.required') }]}>
          <RoomCodePicker communityId={communityId} {...(room ? { initial: room } : {})} />
        </Form.Item>
        <Form.Item name="contractor" label={t('renovation.contractor')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
          <Input maxLength={100} data-testid="renovation-contractor" />
        </Form.Item>
        <Form.Item name="contractorPhone" label={t('renovation.contractorPhone')} rules={[{ pattern: /^\s*\+?[\d\s-]{5,20}\s*$/, message: t('renovation.phoneInvalid') }]}>
          <Input inputMode="tel" maxLength={20} data-testid="renovation-phone" />
        </Form.Item>
        <Form.Item name="period" label={t('renovation.period')} rules={[{ required: true, message: t('common:form.required') }]}>
          <DatePicker.RangePicker style={{ width: '100%' }} data-testid="renovation-period" />
        </Form.Item>
        <Form.Item name="description" label={t('renovation.description')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
          <Input.TextArea rows={3} maxLength={1000} showCount data-testid="renovation-description" />
        </Form.Item>
        <Form.Item
          name="deposit"
          label={t('renovation.depositYuan')}
          extra={t('renovation.depositHint')}
          rules={[{ validator: (_, value: string | undefined) => (!value?.trim() || yuanToCents(value) !== null ? Promise.resolve() : Promise.reject(new Error(t('renovation.depositInvalid')))) }]}
        >
          <Input inputMode="decimal" prefix="¥" placeholder="0.00" data-testid="renovation-deposit" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
