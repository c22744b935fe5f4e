import { useState } from 'react';
import { App, Button, Col, Flex, Input, Row, Select, Space, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { PlusOutlined, UnlockOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { User, UserKind } from '@courtyard/contracts';
import { currentLocale } from '../../app/i18n';
import { hasPermission, useMe } from '../../app/session';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { MaskedText } from '../../ui/MaskedText';
import { formatDateTimeShort, isFuture } from '../../ui/format';
import { useApiError } from '../../ui/useApiError';
import { identityKeys, usersApi, type UserFilters, type UserStatus } from './api';
import { roleLabel } from './labels';
import { CreateUserModal } from './CreateUserModal';
import { UserDrawer } from './UserDrawer';

/** Locked: the lock has not run out yet, or the failure count reached the lock threshold. */
export function isLocked(user: User): boolean {
  return isFuture(user.lockedUntil) || user.failedSignIns >= 3;
}

export function UserStatusTags({ user }: { user: User }) {
  const { t } = useTranslation(['identity', 'common']);
  return (
    <Space size={4} wrap>
      <Tag color={user.status === 'active' ? 'green' : 'default'}>{t(`status.${user.status}`)}</Tag>
      {isLocked(user) ? (
        <Tag color="red" data-testid={`locked-${user.username}`}>
          {t('users.locked')}
        </Tag>
      ) : null}
    </Space>
  );
}

/** `/admin/users`: search, create, unlock; the drawer edits one user and their grants. */
export default function UsersPage() {
  const { t } = useTranslation(['identity', 'common']);
  const { message } = App.useApp();
  const { me } = useMe();
  const client = useQueryClient();
  const showError = useApiError();
  const locale = currentLocale();
  const [search, setSearch] = useState('');
  const [filters, setFilters] = useState<UserFilters>({});
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<User | null>(null);
  const canManage = hasPermission(me, 'identity.user.manage');
  const canUnlock = hasPermission(me, 'identity.user.unlock');

  const unlock = useMutation({
    mutationFn: (user: User) => usersApi.unlock(user.id),
    onSuccess: async (user) => {
      void message.success(t('users.unlocked', { username: user.username }));
      await client.invalidateQueries({ queryKey: identityKeys.users });
    },
    onError: (error) => showError(error),
  });

  const unlockButton = (user: User) =>
    canUnlock && isLocked(user) ? (
      <Button
        size="small"
        icon={<UnlockOutlined />}
        loading={unlock.isPending && unlock.variables.id === user.id}
        onClick={(e) => {
          e.stopPropagation();
          unlock.mutate(user);
        }}
        data-testid={`unlock-${user.username}`}
      >
        {t('users.unlock')}
      </Button>
    ) : null;

  const columns: TableProps<User>['columns'] = [
    {
      title: t('users.columns.username'),
      dataIndex: 'username',
      fixed: 'left',
      render: (username: string, user) => (
        <Typography.Link onClick={() => setSelected(user)} data-user-data>
          {username}
        </Typography.Link>
      ),
    },
    { title: t('users.columns.displayName'), dataIndex: 'displayName', render: (v: string) => <span data-user-data>{v}</span> },
    { title: t('users.columns.kind'), dataIndex: 'kind', render: (kind: UserKind) => t(`kind.${kind}`) },
    { title: t('users.columns.status'), key: 'status', render: (_, user) => <UserStatusTags user={user} /> },
    {
      title: t('users.columns.roles'),
      dataIndex: 'roles',
      render: (roles: string[]) => (
        <Space size={[4, 4]} wrap style={{ maxWidth: 280 }}>
          {roles.map((r) => (
            <Tag key={r} color="blue">
              {roleLabel(r, locale)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('users.columns.mfa'),
      dataIndex: 'mfaEnabled',
      render: (on: boolean) => <Tag color={on ? 'green' : 'default'}>{on ? t('users.mfaOn') : t('users.mfaOff')}</Tag>,
    },
    { title: t('users.columns.phone'), dataIndex: 'phone', render: (phone: string | null) => <MaskedText value={phone} /> },
    { title: t('users.columns.lastSignInAt'), dataIndex: 'lastSignInAt', render: (v: string | null) => formatDateTimeShort(v) || '—' },
    {
      title: t('users.columns.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, user) => (
        <Space size={4}>
          <Button size="small" type="link" onClick={() => setSelected(user)} data-testid={`view-${user.username}`}>
            {t('common:actions.view')}
          </Button>
          {unlockButton(user)}
        </Space>
      ),
    },
  ];

  const renderCard = (user: User) => (
    <Flex vertical gap={6} onClick={() => setSelected(user)} style={{ cursor: 'pointer' }}>
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Text strong data-user-data>
          {user.username}
        </Typography.Text>
        <UserStatusTags user={user} />
      </Flex>
      <Typography.Text type="secondary" data-user-data>
        {user.displayName} · {t(`kind.${user.kind}`)}
      </Typography.Text>
      <Flex justify="space-between" align="center" gap={8}>
        <Space size={[4, 4]} wrap>
          {user.roles.map((r) => (
            <Tag key={r} color="blue">
              {roleLabel(r, locale)}
            </Tag>
          ))}
        </Space>
        {unlockButton(user)}
      </Flex>
    </Flex>
  );

  return (
    <>
      <PageHeader
        title={t('users.title')}
        extra={
          canManage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
              {t('users.create')}
            </Button>
          ) : null
        }
      />
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={10} lg={8}>
          <Input.Search
            allowClear
            placeholder={t('users.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(value) => setFilters((f) => ({ ...f, q: value.trim() || undefined }))}
            enterButton
            data-testid="user-search"
          />
        </Col>
        <Col xs={12} md={7} lg={5}>
          <Select<UserKind | 'all'>
            style={{ width: '100%' }}
            value={filters.kind ?? 'all'}
            onChange={(kind) => setFilters((f) => ({ ...f, kind: kind === 'all' ? undefined : kind }))}
            options={[
              { value: 'all', label: `${t('users.kindFilter')}: ${t('common:common.all')}` },
              { value: 'staff', label: t('kind.staff') },
              { value: 'owner', label: t('kind.owner') },
            ]}
          />
        </Col>
        <Col xs={12} md={7} lg={5}>
          <Select<UserStatus | 'all'>
            style={{ width: '100%' }}
            value={filters.status ?? 'all'}
            onChange={(status) => setFilters((f) => ({ ...f, status: status === 'all' ? undefined : status }))}
            options={[
              { value: 'all', label: `${t('users.statusFilter')}: ${t('common:common.all')}` },
              { value: 'active', label: t('status.active') },
              { value: 'disabled', label: t('status.disabled') },
            ]}
          />
        </Col>
      </Row>
      <DataTable<User>
        queryKey={identityKeys.userList(filters)}
        fetchPage={(cursor, signal) => usersApi.list(filters, cursor, signal)}
        columns={columns}
        rowKey={(u) => u.id}
        rowTestId={(u) => `user-row-${u.username}`}
        renderCard={renderCard}
      />
      <CreateUserModal open={creating} onClose={() => setCreating(false)} />
      <UserDrawer user={selected} onClose={() => setSelected(null)} />
    </>
  );
}
