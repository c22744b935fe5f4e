import { useState } from 'react';
import { App, Form, Input, Modal, Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ParkingSpace, Vehicle } from '@courtyard/contracts';
import { api } from '../../ui/api';
import type { KeysetPage } from '../../ui/DataTable';
import { useApiError } from '../../ui/useApiError';
import { useSaveVehicle } from './api';
import { CommunityPicker, PersonPicker } from './parts';

interface Values {
  communityId?: string;
  plate: string;
  personId: string | null;
  parkingSpaceId: string | null;
  brand: string;
  color: string;
}

/** Parking spaces of a community by number prefix (the vehicle's space). */
function SpacePicker({ communityId, value, onChange, initialLabel }: { communityId: string | undefined; value?: string | null; onChange?: (v: string | null) => void; initialLabel?: string | null }) {
  const { t } = useTranslation('people');
  const [q, setQ] = useState('');
  const spaces = useQuery({
    queryKey: ['people', 'spaces', communityId ?? '', q],
    queryFn: () => api.get<KeysetPage<ParkingSpace & { lotName?: string }>>('/api/parking-spaces', { communityId, q: q || undefined, limit: 20 }),
    enabled: !!communityId,
    staleTime: 30_000,
  });
  const options = (spaces.data?.items ?? []).map((s) => ({ value: s.id, label: s.lotName ? `${s.lotName} · ${s.number}` : s.number }));
  if (value && initialLabel && !options.some((o) => o.value === value)) options.unshift({ value, label: initialLabel });
  return (
    <Select<string>
      allowClear
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      showSearch={{ filterOption: false, onSearch: setQ }}
      placeholder={t('vehicles.space')}
      disabled={!communityId}
      loading={spaces.isFetching}
      options={options}
    />
  );
}

const nullable = (v: string) => (v.trim() ? v.trim() : null);

/** Register or edit a vehicle (plates are unique in the organisation; the server says so). */
export function VehicleModal({
  open,
  onClose,
  vehicle,
  communityId,
  personId,
  personName,
}: {
  open: boolean;
  onClose: () => void;
  vehicle?: Vehicle | null;
  communityId?: string | undefined;
  /** Registering from a person card: the owner is fixed. */
  personId?: string;
  personName?: string;
}) {
  const { t } = useTranslation(['people', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<Values>();
  const save = useSaveVehicle();
  const chosenCommunity = Form.useWatch('communityId', form) ?? vehicle?.communityId ?? communityId;

  const submit = (values: Values) => {
    const fields = {
      plate: values.plate.trim(),
      personId: personId ?? values.personId,
      parkingSpaceId: values.parkingSpaceId,
      brand: nullable(values.brand),
      color: nullable(values.color),
    };
    const input = vehicle
      ? { id: vehicle.id, body: fields }
      : { body: { ...fields, communityId: values.communityId ?? communityId ?? '' } };
    save.mutate(input, {
      onSuccess: (saved) => {
        void message.success(t('vehicles.saved', { plate: saved.plate }));
        onClose();
      },
      onError: (error) => showError(error, form),
    });
  };

  return (
    <Modal
      open={open}
      title={vehicle ? t('vehicles.editTitle') : t('vehicles.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'vehicle-save' }}
      okText={t('common:actions.save')}
      cancelText={t('common:actions.cancel')}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{
          communityId: vehicle?.communityId ?? communityId,
          plate: vehicle?.plate ?? '',
          personId: vehicle?.personId ?? personId ?? null,
          parkingSpaceId: vehicle?.parkingSpaceId ?? null,
          brand: vehicle?.brand ?? '',
          color: vehicle?.color ?? '',
        }}
        onFinish={submit}
      >
        {vehicle || communityId ? null : (
          <Form.Item name="communityId" label={t('vehicles.community')} rules={[{ required: true, message: t('common:form.required') }]}>
            <CommunityPicker />
          </Form.Item>
        )}
        <Form.Item name="plate" label={t('vehicles.plate')} rules={[{ required: true, whitespace: true, message: t('vehicles.plateInvalid') }]}>
          <Input maxLength={20} style={{ textTransform: 'uppercase' }} data-testid="vehicle-plate" />
        </Form.Item>
        {personId ? (
          <Form.Item label={t('vehicles.owner')}>
            <Input value={personName} disabled data-user-data />
          </Form.Item>
        ) : (
          <Form.Item name="personId" label={t('vehicles.owner')}>
            <PersonPicker communityId={chosenCommunity} initialLabel={vehicle?.personName ?? null} />
          </Form.Item>
        )}
        <Form.Item name="parkingSpaceId" label={t('vehicles.space')}>
          <SpacePicker communityId={chosenCommunity} initialLabel={vehicle?.parkingSpaceNumber ?? null} />
        </Form.Item>
        <Form.Item name="brand" label={t('vehicles.brand')}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="color" label={t('vehicles.color')}>
          <Input maxLength={30} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
