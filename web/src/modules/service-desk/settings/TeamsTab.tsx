import { useMemo, useState } from 'react';
import { App, Button, Card, Empty, Flex, Form, Input, Modal, Select, Spin, Switch, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { REQUEST_TYPES, type ServiceTeam, type Technician } from '@courtyard/contracts';
import { formKey } from '../../../ui/formKey';
import { useApiError } from '../../../ui/useApiError';
import { useIsMobile } from '../../../ui/useIsMobile';
import { useCategories, useTeams, useTechnicians } from '../api';
import { settingsApi, useConfigMutation, useStaff } from '../settingsApi';

interface TeamValues {
  name: string;
  supervisorUserId?: string | null;
  memberIds: string[];
}

/** 班组: name, supervisor (escalations go to them) picked among the community's staff, members among its technicians. */
export function TeamsTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation(['serviceDesk', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const isMobile = useIsMobile();
  const teams = useTeams(communityId);
  const technicians = useTechnicians(communityId);
  const staff = useStaff(communityId);
  const [editing, setEditing] = useState<ServiceTeam | 'new' | null>(null);
  const [form] = Form.useForm<TeamValues>();
  const create = useConfigMutation(settingsApi.createTeam);
  const update = useConfigMutation(({ id, ...body }: TeamValues & { id: string }) => settingsApi.updateTeam(id, body));
  const current = editing === 'new' ? null : editing;

  const submit = (v: TeamValues) => {
    const body = { name: v.name.trim(), supervisorUserId: v.supervisorUserId ?? null, memberIds: v.memberIds };
    const done = () => {
      void message.success(t('serviceDesk:settings.saved'));
      setEditing(null);
    };
    if (current) update.mutate({ id: current.id, ...body }, { onSuccess: done, onError: (e) => showError(e, form) });
    else create.mutate({ communityId, ...body }, { onSuccess: done, onError: (e) => showError(e, form) });
  };

  return (
    <Flex vertical gap={12}>
      <Flex justify="flex-end">
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} block={isMobile} data-testid="team-add">
          {t('serviceDesk:settings.teams.add')}
        </Button>
      </Flex>
      {teams.isPending ? <Spin /> : null}
      {teams.isSuccess && teams.data.items.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : null}
      {(teams.data?.items ?? []).map((team) => (
        <Card
          key={team.id}
          size="small"
          title={team.name}
          data-testid="team-card"
          extra={<Button type="text" icon={<EditOutlined />} aria-label={t('common:actions.edit')} onClick={() => setEditing(team)} data-testid="team-edit" />}
        >
          <Flex vertical gap={6}>
            <Typography.Text>
              <Typography.Text type="secondary">{t('serviceDesk:settings.teams.supervisor')}：</Typography.Text>
              {team.supervisorName ?? '—'}
            </Typography.Text>
            <Flex gap={4} wrap align="center">
              <Typography.Text type="secondary">{t('serviceDesk:settings.teams.members')}：</Typography.Text>
              {team.members.length === 0 ? '—' : null}
              {team.members.map((m) => (
                <Tag key={m.technicianId} color={m.onDuty ? 'green' : 'default'}>
                  {m.name}
                </Tag>
              ))}
            </Flex>
          </Flex>
        </Card>
      ))}
      <Modal
        open={editing !== null}
        title={current ? t('serviceDesk:settings.teams.edit') : t('serviceDesk:settings.teams.add')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={t('common:actions.save')}
        cancelText={t('common:actions.cancel')}
        okButtonProps={{ loading: create.isPending || update.isPending, 'data-testid': 'team-save' }}
        destroyOnHidden
      >
        <Form<TeamValues>
          key={formKey(editing !== null, current)}
          form={form}
          layout="vertical"
          onFinish={submit}
          preserve={false}
          initialValues={current ? { name: current.name, supervisorUserId: current.supervisorUserId, memberIds: current.members.map((m) => m.technicianId) } : { name: '', supervisorUserId: null, memberIds: [] }}
        >
          <Form.Item name="name" label={t('serviceDesk:settings.teams.name')} rules={[{ required: true, whitespace: true, max: 50 }]}>
            <Input maxLength={50} data-testid="team-name" />
          </Form.Item>
          <Form.Item name="supervisorUserId" label={t('serviceDesk:settings.teams.supervisor')} extra={t('serviceDesk:settings.teams.supervisorHint')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              loading={staff.isPending}
              data-testid="team-supervisor"
              options={(staff.data?.items ?? []).map((u) => ({ value: u.userId, label: `${u.displayName}（${u.username}）` }))}
            />
          </Form.Item>
          <Form.Item name="memberIds" label={t('serviceDesk:settings.teams.members')}>
            <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} loading={technicians.isPending} data-testid="team-members" options={(technicians.data?.items ?? []).map((m) => ({ value: m.id, label: m.name }))} />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}

interface TechnicianValues {
  userId: string;
  name: string;
  skills: string[];
  onDuty: boolean;
}

/** 技术员: a staff account linked as technician of the community, skills = categories, on duty or not. */
export function TechniciansTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation(['serviceDesk', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const isMobile = useIsMobile();
  const technicians = useTechnicians(communityId);
  const categories = useCategories(communityId);
  const teams = useTeams(communityId);
  const staff = useStaff(communityId);
  const [editing, setEditing] = useState<Technician | 'new' | null>(null);
  const [form] = Form.useForm<TechnicianValues>();
  const create = useConfigMutation(settingsApi.createTechnician);
  const update = useConfigMutation(({ id, ...body }: { id: string; name?: string; skills?: string[]; onDuty?: boolean }) => settingsApi.updateTechnician(id, body));
  const current = editing === 'new' ? null : editing;
  // Names repeat across types (其他 of repairs and of cleaning): those carry their type.
  const categoryName = useMemo(() => {
    const items = categories.data?.items ?? [];
    const seen = new Map<string, number>();
    for (const c of items) seen.set(c.name, (seen.get(c.name) ?? 0) + 1);
    return new Map(items.map((c) => [c.id, (seen.get(c.name) ?? 0) > 1 ? `${c.name}（${t(`serviceDesk:type.${c.type}`)}）` : c.name]));
  }, [categories.data, t]);
  const teamName = useMemo(() => new Map((teams.data?.items ?? []).map((x) => [x.id, x.name])), [teams.data]);
  // Skills grouped by request type; disabled categories stay selectable only when already held.
  const skillOptions = useMemo(
    () =>
      REQUEST_TYPES.map((type) => ({
        label: t(`serviceDesk:type.${type}`),
        options: (categories.data?.items ?? []).filter((c) => c.type === type && (c.active || current?.skills.includes(c.id))).map((c) => ({ value: c.id, label: c.name })),
      })).filter((g) => g.options.length > 0),
    [categories.data, current, t],
  );

  const submit = (v: TechnicianValues) => {
    const done = () => {
      void message.success(t('serviceDesk:settings.saved'));
      setEditing(null);
    };
    if (current) update.mutate({ id: current.id, name: v.name.trim(), skills: v.skills, onDuty: v.onDuty }, { onSuccess: done, onError: (e) => showError(e, form) });
    else create.mutate({ communityId, userId: v.userId, name: v.name.trim(), skills: v.skills, onDuty: v.onDuty }, { onSuccess: done, onError: (e) => showError(e, form) });
  };

  return (
    <Flex vertical gap={12}>
      <Flex justify="flex-end">
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} block={isMobile} data-testid="technician-add">
          {t('serviceDesk:settings.technicians.add')}
        </Button>
      </Flex>
      {technicians.isPending ? <Spin /> : null}
      {technicians.isSuccess && technicians.data.items.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : null}
      {(technicians.data?.items ?? []).map((tech) => (
        <Card
          key={tech.id}
          size="small"
          data-testid="technician-card"
          title={tech.name}
          extra={
            <Flex gap={8} align="center">
              <Switch
                checked={tech.onDuty}
                checkedChildren={t('serviceDesk:settings.technicians.onDuty')}
                unCheckedChildren={t('serviceDesk:settings.technicians.offDuty')}
                loading={update.isPending && update.variables.id === tech.id}
                onChange={(onDuty) => update.mutate({ id: tech.id, onDuty }, { onError: (e) => showError(e) })}
                data-testid="technician-duty"
              />
              <Button type="text" icon={<EditOutlined />} aria-label={t('common:actions.edit')} onClick={() => setEditing(tech)} />
            </Flex>
          }
        >
          <Flex vertical gap={6}>
            <Flex gap={4} wrap align="center">
              <Typography.Text type="secondary">{t('serviceDesk:settings.technicians.skills')}：</Typography.Text>
              {tech.skills.length === 0 ? '—' : tech.skills.map((s) => <Tag key={s}>{categoryName.get(s) ?? s}</Tag>)}
            </Flex>
            <Typography.Text type="secondary">
              {t('serviceDesk:settings.technicians.teams')}：{tech.teamIds.map((x) => teamName.get(x) ?? x).join('、') || '—'} · {t('serviceDesk:settings.technicians.open', { count: tech.openCount })}
            </Typography.Text>
          </Flex>
        </Card>
      ))}
      <Modal
        open={editing !== null}
        title={current ? t('serviceDesk:settings.technicians.edit') : t('serviceDesk:settings.technicians.add')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={t('common:actions.save')}
        cancelText={t('common:actions.cancel')}
        okButtonProps={{ loading: create.isPending || update.isPending, 'data-testid': 'technician-save' }}
        destroyOnHidden
      >
        <Form<TechnicianValues>
          key={formKey(editing !== null, current)}
          form={form}
          layout="vertical"
          onFinish={submit}
          preserve={false}
          initialValues={current ? { userId: current.userId, name: current.name, skills: current.skills, onDuty: current.onDuty } : { name: '', skills: [], onDuty: true }}
        >
          {current ? null : (
            <Form.Item name="userId" label={t('serviceDesk:settings.technicians.user')} extra={t('serviceDesk:settings.technicians.userHint')} rules={[{ required: true }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                loading={staff.isPending}
                data-testid="technician-user"
                onChange={(userId: string) => {
                  // The technician's name defaults to the account's display name (张师傅).
                  const u = staff.data?.items.find((x) => x.userId === userId);
                  if (u && !form.getFieldValue('name')) form.setFieldValue('name', u.displayName);
                }}
                options={(staff.data?.items ?? []).map((u) => ({ value: u.userId, label: `${u.displayName}（${u.username}）`, disabled: u.technicianId !== null }))}
              />
            </Form.Item>
          )}
          <Form.Item name="name" label={t('serviceDesk:settings.technicians.name')} rules={[{ required: true, whitespace: true, max: 50 }]}>
            <Input maxLength={50} data-testid="technician-name" />
          </Form.Item>
          <Form.Item name="skills" label={t('serviceDesk:settings.technicians.skills')}>
            <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={skillOptions} data-testid="technician-skills" />
          </Form.Item>
          <Form.Item name="onDuty" label={t('serviceDesk:settings.technicians.onDuty')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}
