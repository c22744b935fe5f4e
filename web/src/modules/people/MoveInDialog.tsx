import { useState } from 'react';
import { App, Form, Input, Modal, Radio, Select, Switch, DatePicker, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import type { IdType, Relation } from '@courtyard/contracts';
import { useApiError } from '../../ui/useApiError';
import { useCreatePerson, useMoveIn, usePersonPick, useRoomOptions, } from './api';
import { ID_TYPES, RELATIONS } from './labels';

interface Values {
  mode: 'existing' | 'new';
  personId?: string;
  roomId?: string;
  name?: string;
  phone?: string;
  idType?: IdType;
  idNumber?: string;
  relation: Relation;
  movedInOn: Dayjs;
  primaryContact: boolean;
}

export interface MoveInDialogProps {
  open: boolean;
  onClose: () => void;
  communityId: string;
  /** The room moved into; without it (and without a space) a room picker is shown. */
  roomId?: string;
  parkingSpaceId?: string;
  /** The person moving in, when known (the person card); otherwise pick one or create one inline. */
  personId?: string;
}

/**
 * 入住登记: a person (picked by name / phone / ID number, or created on the spot) takes a relation
 * to a room or parking space from a date. A person created here but not moved in (e.g. the room
 * already has an owner) stays selected, so that a retry does not create them twice.
 */
export function MoveInDialog({ open, onClose, communityId, roomId, parkingSpaceId, personId }: MoveInDialogProps) {
  const { t } = useTranslation(['people', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<Values>();
  const [personQ, setPersonQ] = useState('');
  const [roomQ, setRoomQ] = useState('');
  const mode = Form.useWatch('mode', form) ?? 'existing';
  const picked = usePersonPick(open && !personId ? communityId : '', personQ);
  const roomOptions = useRoomOptions(open && !roomId && !parkingSpaceId ? communityId : undefined, roomQ);
  const createPerson = useCreatePerson();
  const moveIn = useMoveIn();
  const busy = createPerson.isPending || moveIn.isPending;

  const submit = async (values: Values) => {
    let who = personId ?? values.personId;
    try {
      if (!who) {
        const person = await createPerson.mutateAsync({
          communityId,
          kind: 'individual',
          name: values.name?.trim() ?? '',
          phone: values.phone?.trim() || null,
          idType: values.idNumber?.trim() ? (values.idType ?? 'resident_id') : null,
          idNumber: values.idNumber?.trim() || null,
        });
        who = person.id;
        form.setFieldsValue({ mode: 'existing', personId: person.id });
        setPersonQ(person.name);
      }
      const target = parkingSpaceId ? { parkingSpaceId } : { roomId: roomId ?? values.roomId ?? '' };
      await moveIn.mutateAsync({
        personId: who,
        ...target,
        relation: values.relation,
        movedInOn: values.movedInOn.format('YYYY-MM-DD'),
        primaryContact: values.primaryContact,
      });
      void message.success(t('moveIn.done'));
      form.resetFields();
      onClose();
    } catch (error) {
      showError(error, form);
    }
  };

  return (
    <Modal
      open={open}
      title={t('moveIn.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('moveIn.submit')}
      okButtonProps={{ loading: busy, 'data-testid': 'move-in-submit' }}
      cancelText={t('common:actions.cancel')}
      destroyOnHidden
      forceRender
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ mode: 'existing', relation: 'owner', movedInOn: dayjs(), primaryContact: false, idType: 'resident_id' }}
        onFinish={(values) => void submit(values)}
      >
        {personId ? null : (
          <Form.Item name="mode">
            <Radio.Group
              optionType="button"
              options={[
                { value: 'existing', label: t('moveIn.existing') },
                { value: 'new', label: t('moveIn.new') },
              ]}
            />
          </Form.Item>
        )}
        {personId ? null : mode === 'existing' ? (
          <Form.Item name="personId" label={t('moveIn.person')} rules={[{ required: true, message: t('moveIn.pickPerson') }]}>
            <Select
              showSearch={{ filterOption: false, onSearch: setPersonQ }}
              placeholder={t('moveIn.personPlaceholder')}
              loading={picked.isFetching}
              notFoundContent={picked.isFetching ? null : t('moveIn.noPerson')}
              options={(picked.data?.items ?? []).map((p) => ({
                value: p.id,
                label: (
                  <span data-user-data>
                    {p.name}
                    {p.phone ? <Typography.Text type="secondary"> · {p.phone}</Typography.Text> : null}
                  </span>
                ),
              }))}
              data-testid="move-in-person"
            />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="name" label={t('person.name')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
              <Input maxLength={100} data-testid="move-in-name" />
            </Form.Item>
            <Form.Item name="phone" label={t('person.phone')}>
              <Input inputMode="tel" maxLength={20} />
            </Form.Item>
            <Form.Item label={t('person.idNumber')} style={{ marginBottom: 0 }}>
              <Form.Item name="idType" style={{ display: 'inline-block', width: 140, marginInlineEnd: 8 }}>
                <Select options={ID_TYPES.map((v) => ({ value: v, label: t(`idType.${v}`) }))} />
              </Form.Item>
              <Form.Item name="idNumber" style={{ display: 'inline-block', width: 'calc(100% - 148px)', minWidth: 160 }}>
                <Input maxLength={40} />
              </Form.Item>
            </Form.Item>
          </>
        )}
        {roomId || parkingSpaceId ? null : (
          <Form.Item name="roomId" label={t('moveIn.room')} rules={[{ required: true, message: t('moveIn.pickRoom') }]}>
            <Select
              showSearch={{ filterOption: false, onSearch: setRoomQ }}
              placeholder={t('moveIn.roomPlaceholder')}
              loading={roomOptions.isFetching}
              options={(roomOptions.data?.items ?? []).map((r) => ({ value: r.id, label: r.code }))}
              data-testid="move-in-room"
            />
          </Form.Item>
        )}
        <Form.Item name="relation" label={t('occupancy.relation')} rules={[{ required: true }]}>
          <Select options={RELATIONS.map((r) => ({ value: r, label: t(`relation.${r}`) }))} data-testid="move-in-relation" />
        </Form.Item>
        <Form.Item name="movedInOn" label={t('occupancy.movedInOn')} rules={[{ required: true, message: t('common:form.required') }]}>
          <DatePicker style={{ width: '100%' }} allowClear={false} />
        </Form.Item>
        <Form.Item name="primaryContact" label={t('occupancy.primaryContact')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
