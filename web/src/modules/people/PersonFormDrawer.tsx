import { App, Button, Drawer, Form, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { CreatePersonBody, IdType, Person, UpdatePersonBody } from '@courtyard/contracts';
import { useApiError } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { useCreatePerson, useUpdatePerson } from './api';
import { GENDERS, ID_TYPES, PERSON_KINDS } from './labels';
import { CommunityPicker } from './parts';

interface Values {
  communityId?: string;
  kind: Person['kind'];
  name: string;
  gender: Person['gender'];
  phone: string;
  idType: IdType | null;
  idNumber: string;
  email: string;
  emergencyContact: string;
  emergencyPhone: string;
  notes: string;
}

const nullable = (v: string | undefined) => (v?.trim() ? v.trim() : null);

/**
 * New person, or edit one. Phone, ID number and emergency phone arrive masked: the fields start
 * empty and only a newly typed value is sent (the server validates it — mobile format, ID checksum
 * — and its field errors land under the inputs).
 */
export function PersonFormDrawer({
  open,
  onClose,
  person,
  communityId,
}: {
  open: boolean;
  onClose: () => void;
  person?: Person | undefined;
  communityId?: string | undefined;
}) {
  const { t } = useTranslation(['people', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const create = useCreatePerson();
  const update = useUpdatePerson(person?.id ?? '');
  const busy = create.isPending || update.isPending;

  const submit = (values: Values) => {
    const common = {
      kind: values.kind,
      name: values.name.trim(),
      gender: values.gender,
      idType: values.idType,
      email: nullable(values.email),
      emergencyContact: nullable(values.emergencyContact),
      notes: nullable(values.notes),
    };
    if (person) {
      const body: UpdatePersonBody = { ...common };
      if (values.phone.trim()) body.phone = values.phone.trim();
      if (values.idNumber.trim()) body.idNumber = values.idNumber.trim();
      if (values.emergencyPhone.trim()) body.emergencyPhone = values.emergencyPhone.trim();
      update.mutate(body, {
        onSuccess: () => {
          void message.success(t('card.saved'));
          onClose();
        },
        onError: (error) => showError(error, form),
      });
    } else {
      const body: CreatePersonBody = {
        ...common,
        communityId: values.communityId ?? '',
        phone: nullable(values.phone),
        idNumber: nullable(values.idNumber),
        emergencyPhone: nullable(values.emergencyPhone),
      };
      if (!body.idNumber) body.idType = null;
      create.mutate(body, {
        onSuccess: (created) => {
          void message.success(t('persons.created', { name: created.name }));
          onClose();
          void navigate(`/registry/persons/${created.id}`);
        },
        onError: (error) => showError(error, form),
      });
    }
  };

  const keep = (value: string | null | undefined) => (person && value ? t('card.keepMasked', { value }) : undefined);

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={person ? t('card.editTitle') : t('persons.createTitle')}
      size={isMobile ? '100%' : 480}
      destroyOnHidden
      footer={
        <Space>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="person-save">
            {t('common:actions.save')}
          </Button>
          <Button onClick={onClose}>{t('common:actions.cancel')}</Button>
        </Space>
      }
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{
          communityId: person?.communityId ?? communityId,
          kind: person?.kind ?? 'individual',
          name: person?.name ?? '',
          gender: person?.gender ?? 'unknown',
          phone: '',
          idType: person?.idType ?? 'resident_id',
          idNumber: '',
          email: person?.email ?? '',
          emergencyContact: person?.emergencyContact ?? '',
          emergencyPhone: '',
          notes: person?.notes ?? '',
        }}
        onFinish={submit}
      >
        {person ? null : (
          <Form.Item name="communityId" label={t('person.community')} rules={[{ required: true, message: t('common:form.required') }]}>
            <CommunityPicker />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('person.name')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
          <Input maxLength={100} data-testid="person-name" />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="kind" label={t('person.kind')} style={{ flex: 1 }}>
            <Select options={PERSON_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="gender" label={t('person.gender')} style={{ flex: 1, marginInlineStart: 8 }}>
            <Select options={GENDERS.map((g) => ({ value: g, label: t(`gender.${g}`) }))} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="phone" label={t('person.phone')} extra={keep(person?.phone)}>
          <Input inputMode="tel" maxLength={30} data-testid="person-phone" />
        </Form.Item>
        <Form.Item name="idType" label={t('person.idType')}>
          <Select allowClear options={ID_TYPES.map((v) => ({ value: v, label: t(`idType.${v}`) }))} />
        </Form.Item>
        <Form.Item name="idNumber" label={t('person.idNumber')} extra={keep(person?.idNumber)}>
          <Input maxLength={40} data-testid="person-id-number" />
        </Form.Item>
        <Form.Item name="email" label={t('person.email')} rules={[{ type: 'email', message: t('card.emailInvalid') }]}>
          <Input inputMode="email" maxLength={200} />
        </Form.Item>
        <Form.Item name="emergencyContact" label={t('person.emergencyContact')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="emergencyPhone" label={t('person.emergencyPhone')} extra={keep(person?.emergencyPhone)}>
          <Input inputMode="tel" maxLength={30} />
        </Form.Item>
        <Form.Item name="notes" label={t('person.notes')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
