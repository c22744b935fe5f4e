import { useEffect, useState } from 'react';
import { App, Button, Descriptions, Divider, Drawer, Flex, Form, Input, Modal, Popconfirm, Select, Space, Typography } from 'antd';
import { EditOutlined, KeyOutlined, SafetyOutlined, StopOutlined, CheckCircleOutlined, UnlockOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale, type UpdateUserBody, type User } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { formatDateTime } from '../../ui/format';
import { MaskedText } from '../../ui/MaskedText';
import { OneTimeSecret } from '../../ui/OneTimeSecret';
import { useApiError } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { Attachments } from '../../ui/Attachments';
import { identityKeys, usersApi } from './api';
import { GrantsPanel } from './GrantsPanel';
import { UserStatusTags, isLocked } from './UsersPage';

interface EditValues {
  displayName: string;
  email: string;
  phone: string;
  locale: Locale;
}

function EditUserForm({ user, onDone }: { user: User; onDone: () => void }) {
  const { t } = useTranslation(['identity', 'common']);
  const { message } = App.useApp();
  const client = useQueryClient();
  const showError = useApiError();
  const [form] = Form.useForm<EditValues>();
  const save = useMutation({
    mutationFn: (values: EditValues) => {
      const body: UpdateUserBody = {
        displayName: values.displayName.trim(),
        email: values.email.trim() || null,
        locale: values.locale,
      };
      // The phone arrives masked; only a newly typed number is sent.
      if (values.phone.trim()) body.phone = values.phone.trim();
      return usersApi.update(user.id, body);
    },
    onSuccess: async (updated) => {
      void message.success(t('users.saved'));
      client.setQueryData(identityKeys.user(updated.id), updated);
      await client.invalidateQueries({ queryKey: identityKeys.users });
      onDone();
    },
    onError: (error) => showError(error, form),
  });
  return (
    <Form<EditValues>
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={{ displayName: user.displayName, email: user.email ?? '', phone: '', locale: user.locale }}
      onFinish={(values) => save.mutate(values)}
    >
      <Form.Item name="displayName" label={t('users.columns.displayName')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="phone" label={t('users.columns.phone')} rules={[{ pattern: /^\+?[0-9]{5,20}$/, message: t('users.phoneInvalid') }]} extra={user.phone ? t('users.phoneKeep', { phone: user.phone }) : undefined}>
        <Input inputMode="tel" maxLength={21} />
      </Form.Item>
      <Form.Item name="email" label={t('users.columns.email')} rules={[{ type: 'email', message: t('users.emailInvalid') }]}>
        <Input inputMode="email" maxLength={200} />
      </Form.Item>
      <Form.Item name="locale" label={t('users.columns.locale')}>
        <Select<Locale> options={LOCALES.map((l) => ({ value: l, label: t(`common:language.${l}`) }))} />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common:actions.save')}
        </Button>
        <Button onClick={onDone}>{t('common:actions.cancel')}</Button>
      </Space>
    </Form>
  );
}

/** What may be attached to a user; ID cards and passports are sensitive on the server (downloads audited). */
const USER_FILE_CATEGORIES = ['general', 'id_card', 'passport', 'contract'] as const;

/** One user: details, account actions (unlock, disable, resets), edit, grants. */
export function UserDrawer({ user: initial, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation(['identity', 'common', 'files']);
  const { message } = App.useApp();
  const { me } = useMe();
  const isMobile = useIsMobile();
  const client = useQueryClient();
  const showError = useApiError();
  const [editing, setEditing] = useState(false);
  const [temporaryPassword, setTemporaryPassword] = useState<string | null>(null);
  const id = initial?.id ?? '';
  const query = useQuery({
    queryKey: identityKeys.user(id),
    queryFn: () => usersApi.get(id),
    enabled: !!initial,
    initialData: initial ?? undefined,
    initialDataUpdatedAt: 0,
  });
  const user = query.data ?? initial;
  useEffect(() => setEditing(false), [id]);

  const refresh = async (updated?: User) => {
    if (updated) client.setQueryData(identityKeys.user(updated.id), updated);
    await client.invalidateQueries({ queryKey: identityKeys.users });
  };
  const action = useMutation({
    mutationFn: async (
      kind: 'unlock' | 'disable' | 'enable' | 'resetMfa' | 'resetPassword',
    ): Promise<{ kind: 'unlock' | 'disable' | 'enable' | 'resetMfa'; user: User } | { kind: 'resetPassword'; password: string }> => {
      if (!user) throw new Error('no user');
      switch (kind) {
        case 'unlock':
          return { kind, user: await usersApi.unlock(user.id) };
        case 'disable':
          return { kind, user: await usersApi.disable(user.id) };
        case 'enable':
          return { kind, user: await usersApi.enable(user.id) };
        case 'resetMfa':
          return { kind, user: await usersApi.resetMfa(user.id) };
        case 'resetPassword':
          return { kind, password: (await usersApi.resetPassword(user.id)).temporaryPassword };
      }
    },
    onSuccess: async (result) => {
      if (result.kind === 'resetPassword') setTemporaryPassword(result.password);
      else {
        const messages = {
          unlock: t('users.unlocked', { username: result.user.username }),
          disable: t('users.disabledDone'),
          enable: t('users.enabledDone'),
          resetMfa: t('users.resetMfaDone'),
        } as const;
        void message.success(messages[result.kind]);
      }
      await refresh(result.kind === 'resetPassword' ? undefined : result.user);
    },
    onError: (error) => showError(error),
  });

  const can = (p: Parameters<typeof hasPermission>[1]) => hasPermission(me, p);
  const confirmText = { okText: t('common:actions.confirm'), cancelText: t('common:actions.cancel') };

  return (
    <Drawer
      open={!!initial}
      onClose={onClose}
      size={isMobile ? '100%' : 640}
      title={t('users.detailTitle')}
      destroyOnHidden
      data-testid="user-drawer"
    >
      {user ? (
        <Flex vertical gap={16}>
          <Flex justify="space-between" align="center" wrap gap={8}>
            <div>
              <Typography.Title level={4} style={{ margin: 0 }} data-user-data>
                {user.displayName}
              </Typography.Title>
              <Typography.Text type="secondary" data-user-data>
                {user.username}
              </Typography.Text>
            </div>
            <UserStatusTags user={user} />
          </Flex>

          <Flex wrap gap={8}>
            {can('identity.user.manage') && !editing ? (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                {t('users.edit')}
              </Button>
            ) : null}
            {can('identity.user.unlock') && isLocked(user) ? (
              <Button icon={<UnlockOutlined />} loading={action.isPending && action.variables === 'unlock'} onClick={() => action.mutate('unlock')}>
                {t('users.unlock')}
              </Button>
            ) : null}
            {can('identity.user.disable') ? (
              user.status === 'active' ? (
                <Popconfirm title={t('users.disableConfirm')} onConfirm={() => action.mutate('disable')} {...confirmText}>
                  <Button danger icon={<StopOutlined />}>
                    {t('users.disable')}
                  </Button>
                </Popconfirm>
              ) : (
                <Button icon={<CheckCircleOutlined />} onClick={() => action.mutate('enable')}>
                  {t('users.enable')}
                </Button>
              )
            ) : null}
            {can('identity.user.reset_credentials') ? (
              <>
                <Popconfirm title={t('users.resetPasswordConfirm')} onConfirm={() => action.mutate('resetPassword')} {...confirmText}>
                  <Button icon={<KeyOutlined />}>{t('users.resetPassword')}</Button>
                </Popconfirm>
                {user.mfaEnabled ? (
                  <Popconfirm title={t('users.resetMfaConfirm')} onConfirm={() => action.mutate('resetMfa')} {...confirmText}>
                    <Button icon={<SafetyOutlined />}>{t('users.resetMfa')}</Button>
                  </Popconfirm>
                ) : null}
              </>
            ) : null}
          </Flex>

          {editing ? (
            <EditUserForm user={user} onDone={() => setEditing(false)} />
          ) : (
            <Descriptions
              column={1}
              size="small"
              bordered
              layout={isMobile ? 'vertical' : 'horizontal'}
              styles={{ label: isMobile ? {} : { width: 150 } }}
            >
              <Descriptions.Item label={t('users.columns.kind')}>{t(`kind.${user.kind}`)}</Descriptions.Item>
              <Descriptions.Item label={t('users.columns.locale')}>{t(`common:language.${user.locale}`)}</Descriptions.Item>
              <Descriptions.Item label={t('users.columns.phone')}>
                <MaskedText
                  value={user.phone}
                  onReveal={can('identity.user.reveal') ? async () => (await usersApi.reveal(user.id)).phone ?? '' : undefined}
                />
              </Descriptions.Item>
              <Descriptions.Item label={t('users.columns.email')}>
                <span data-user-data>{user.email ?? '—'}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('users.columns.mfa')}>{user.mfaEnabled ? t('mfa.statusOn') : t('mfa.statusOff')}</Descriptions.Item>
              <Descriptions.Item label={t('users.columns.failedSignIns')}>{user.failedSignIns}</Descriptions.Item>
              {user.lockedUntil ? (
                <Descriptions.Item label={t('users.lockedUntil')}>{formatDateTime(user.lockedUntil)}</Descriptions.Item>
              ) : null}
              <Descriptions.Item label={t('users.columns.lastSignInAt')}>{formatDateTime(user.lastSignInAt) || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('users.columns.createdAt')}>{formatDateTime(user.createdAt)}</Descriptions.Item>
            </Descriptions>
          )}

          <Divider style={{ margin: '8px 0' }} titlePlacement="start">
            {t('grants.title')}
          </Divider>
          <GrantsPanel user={user} />

          <Divider style={{ margin: '8px 0' }} titlePlacement="start">
            {t('files:title')}
          </Divider>
          <Attachments ownerType="user" ownerId={user.id} canWrite={can('identity.user.manage')} categories={USER_FILE_CATEGORIES} />
        </Flex>
      ) : null}
      <Modal
        open={!!temporaryPassword}
        title={t('users.temporaryPasswordTitle')}
        onCancel={() => setTemporaryPassword(null)}
        footer={
          <Button type="primary" onClick={() => setTemporaryPassword(null)}>
            {t('common:actions.done')}
          </Button>
        }
      >
        {temporaryPassword ? (
          <OneTimeSecret warning={t('users.temporaryPasswordHint')} values={[temporaryPassword]} testId="temporary-password" />
        ) : null}
      </Modal>
    </Drawer>
  );
}
