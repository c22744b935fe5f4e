import { useEffect } from 'react';
import { App, DatePicker, Form, Input, InputNumber, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import type { Building, Room, RoomState, RoomUse } from '@courtyard/contracts';
import { useApiError } from '../../ui/useApiError';
import { FormDrawer } from '../../ui/FormDrawer';
import { useStructureMutations } from './api';
import { ROOM_STATES, ROOM_USES } from './registry';

/** Square metres with at most two decimals, as the API takes them ("89.50"). */
export const AREA_PATTERN = /^\d{1,9}(\.\d{1,2})?$/;
/** Building / unit codes and room numbers make up the room code "3-2-1502": no dash, no space. */
export const CODE_PATTERN = /^[^\s-]+$/;

const trimmed = (value: string | undefined) => (value ?? '').trim();

// ---------------------------------------------------------------------------------------------

export type BuildingDrawerState = { mode: 'create'; communityId: string } | { mode: 'edit'; building: Pick<Building, 'id' | 'code' | 'name' | 'floors'> } | null;

interface BuildingValues {
  code: string;
  name: string;
  floors: number | null;
}

export function BuildingDrawer({ state, onClose, onSaved }: { state: BuildingDrawerState; onClose: () => void; onSaved?: (b: Building) => void }) {
  const { t } = useTranslation(['properties', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<BuildingValues>();
  const m = useStructureMutations();
  const building = state?.mode === 'edit' ? state.building : null;
  const save = (v: BuildingValues) => {
    const body = { code: trimmed(v.code), name: trimmed(v.name), floors: v.floors ?? null };
    const done = (b: Building) => {
      void message.success(t('messages.saved'));
      onSaved?.(b);
      onClose();
    };
    const failed = (error: unknown) => showError(error, form);
    if (building) m.updateBuilding.mutate({ buildingId: building.id, body }, { onSuccess: done, onError: failed });
    else if (state?.mode === 'create') m.createBuilding.mutate({ communityId: state.communityId, ...body }, { onSuccess: done, onError: failed });
  };
  return (
    <FormDrawer
      open={!!state}
      title={building ? t('building.edit') : t('building.create')}
      form={form}
      saving={m.createBuilding.isPending || m.updateBuilding.isPending}
      onClose={onClose}
      testId="building-drawer"
    >
      <Form<BuildingValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ code: building?.code ?? '', name: building?.name ?? '', floors: building?.floors ?? null }}
        onFinish={save}
      >
        <Form.Item
          name="code"
          label={t('building.code')}
          extra={t('building.codeHint')}
          rules={[
            { required: true, whitespace: true, message: t('common:form.required') },
            { pattern: CODE_PATTERN, message: t('codeInvalid') },
          ]}
        >
          <Input maxLength={20} data-testid="building-code" />
        </Form.Item>
        <Form.Item name="name" label={t('building.name')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
          <Input maxLength={100} placeholder={t('building.namePlaceholder')} data-testid="building-name" />
        </Form.Item>
        <Form.Item name="floors" label={t('building.floors')}>
          <InputNumber min={1} max={200} precision={0} style={{ width: '100%' }} data-testid="building-floors" />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

// ---------------------------------------------------------------------------------------------

export type UnitDrawerState = { mode: 'create'; buildingId: string } | { mode: 'edit'; unit: { id: string; code: string; name: string } } | null;

interface UnitValues {
  code: string;
  name: string;
}

export function UnitDrawer({ state, onClose }: { state: UnitDrawerState; onClose: () => void }) {
  const { t } = useTranslation(['properties', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<UnitValues>();
  const m = useStructureMutations();
  const unit = state?.mode === 'edit' ? state.unit : null;
  const save = (v: UnitValues) => {
    const body = { code: trimmed(v.code), name: trimmed(v.name) };
    const done = () => {
      void message.success(t('messages.saved'));
      onClose();
    };
    const failed = (error: unknown) => showError(error, form);
    if (unit) m.updateUnit.mutate({ unitId: unit.id, body }, { onSuccess: done, onError: failed });
    else if (state?.mode === 'create') m.createUnit.mutate({ buildingId: state.buildingId, ...body }, { onSuccess: done, onError: failed });
  };
  return (
    <FormDrawer
      open={!!state}
      title={unit ? t('unit.edit') : t('unit.create')}
      form={form}
      saving={m.createUnit.isPending || m.updateUnit.isPending}
      onClose={onClose}
      testId="unit-drawer"
    >
      <Form<UnitValues> form={form} layout="vertical" requiredMark={false} initialValues={{ code: unit?.code ?? '', name: unit?.name ?? '' }} onFinish={save}>
        <Form.Item
          name="code"
          label={t('unit.code')}
          extra={t('unit.codeHint')}
          rules={[
            { required: true, whitespace: true, message: t('common:form.required') },
            { pattern: CODE_PATTERN, message: t('codeInvalid') },
          ]}
        >
          <Input maxLength={20} data-testid="unit-code" />
        </Form.Item>
        <Form.Item name="name" label={t('unit.name')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
          <Input maxLength={100} placeholder={t('unit.namePlaceholder')} data-testid="unit-name" />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

// ---------------------------------------------------------------------------------------------

export type RoomDrawerState = { mode: 'create'; unitId: string; floor?: number } | { mode: 'edit'; room: Room } | null;

interface RoomValues {
  number: string;
  floor: number | null;
  buildingArea: string;
  innerArea: string;
  use: RoomUse;
  state: RoomState;
  deliveredOn: Dayjs | null;
}

/** Create a room in a unit, or edit one (its code follows building-unit-number on the server). */
export function RoomDrawer({ state, onClose }: { state: RoomDrawerState; onClose: () => void }) {
  const { t } = useTranslation(['properties', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<RoomValues>();
  const m = useStructureMutations();
  const room = state?.mode === 'edit' ? state.room : null;
  const buildingArea = Form.useWatch('buildingArea', form);
  useEffect(() => {
    // The inner area is checked against the building area: re-run that check when the latter changes.
    if (form.isFieldTouched('innerArea')) void form.validateFields(['innerArea']).catch(() => undefined);
  }, [buildingArea, form]);
  const save = (v: RoomValues) => {
    const body = {
      number: trimmed(v.number),
      floor: v.floor ?? 1,
      buildingArea: trimmed(v.buildingArea),
      innerArea: trimmed(v.innerArea) || null,
      use: v.use,
      state: v.state,
      deliveredOn: v.deliveredOn ? v.deliveredOn.format('YYYY-MM-DD') : null,
    };
    const done = () => {
      void message.success(t('messages.saved'));
      onClose();
    };
    const failed = (error: unknown) => showError(error, form);
    if (room) m.updateRoom.mutate({ roomId: room.id, body }, { onSuccess: done, onError: failed });
    else if (state?.mode === 'create') m.createRoom.mutate({ unitId: state.unitId, ...body }, { onSuccess: done, onError: failed });
  };
  const areaRule = { pattern: AREA_PATTERN, message: t('room.areaInvalid') };
  return (
    <FormDrawer
      open={!!state}
      title={room ? t('room.edit', { code: room.code }) : t('room.create')}
      form={form}
      saving={m.createRoom.isPending || m.updateRoom.isPending}
      onClose={onClose}
      testId="room-drawer"
    >
      <Form<RoomValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{
          number: room?.number ?? '',
          floor: room?.floor ?? (state?.mode === 'create' ? (state.floor ?? null) : null),
          buildingArea: room?.buildingArea ?? '',
          innerArea: room?.innerArea ?? '',
          use: room?.use ?? 'residence',
          state: room?.state ?? 'vacant',
          deliveredOn: room?.deliveredOn ? dayjs(room.deliveredOn) : null,
        }}
        onFinish={save}
      >
        <Form.Item
          name="number"
          label={t('room.number')}
          rules={[
            { required: true, whitespace: true, message: t('common:form.required') },
            { pattern: CODE_PATTERN, message: t('codeInvalid') },
          ]}
        >
          <Input maxLength={20} placeholder="1502" data-testid="room-number" />
        </Form.Item>
        <Form.Item name="floor" label={t('room.floor')} rules={[{ required: true, message: t('common:form.required') }]}>
          <InputNumber min={-20} max={300} precision={0} style={{ width: '100%' }} data-testid="room-floor" />
        </Form.Item>
        <Form.Item name="buildingArea" label={t('room.buildingArea')} rules={[{ required: true, message: t('common:form.required') }, areaRule]}>
          <Input inputMode="decimal" suffix="m²" placeholder="89.50" data-testid="room-building-area" />
        </Form.Item>
        <Form.Item
          name="innerArea"
          label={t('room.innerArea')}
          dependencies={['buildingArea']}
          rules={[
            areaRule,
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) => {
                const inner = trimmed(value);
                const outer = trimmed(getFieldValue('buildingArea') as string | undefined);
                if (!inner || !AREA_PATTERN.test(inner) || !AREA_PATTERN.test(outer)) return Promise.resolve();
                return Number(inner) <= Number(outer) ? Promise.resolve() : Promise.reject(new Error(t('room.innerTooLarge')));
              },
            }),
          ]}
        >
          <Input inputMode="decimal" suffix="m²" placeholder="72.30" data-testid="room-inner-area" />
        </Form.Item>
        <Form.Item name="use" label={t('room.use')}>
          <Select options={ROOM_USES.map((u) => ({ value: u, label: t(`roomUse.${u}`) }))} data-testid="room-use" />
        </Form.Item>
        <Form.Item name="state" label={t('room.state')} extra={t('room.stateHint')}>
          <Select
            options={ROOM_STATES.filter((s) => s !== 'renovating' || room?.state === 'renovating').map((s) => ({ value: s, label: t(`roomState.${s}`), disabled: s === 'renovating' }))}
            data-testid="room-state"
          />
        </Form.Item>
        <Form.Item name="deliveredOn" label={t('room.deliveredOn')}>
          <DatePicker style={{ width: '100%' }} data-testid="room-delivered-on" />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
