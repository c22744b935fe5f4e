import type { HTMLAttributes } from 'react';
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { TableProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Grant, Role } from '@courtyard/contracts';
import { currentLocale } from '../../app/i18n';
import { hasPermission, useMe } from '../../app/session';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTimeShort } from '../../ui/format';
import { useApiError, useErrorText } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { grantsApi, identityKeys, rolesApi } from './api';
import { roleLabel } from './labels';
import { RoleDrawer, type RoleDrawerState } from './RoleDrawer';
import { useScopeLabel } from './GrantsPanel';

function RolesTab() {
  const { t } = useTranslation(['identity', 'common']);
  const { message } = App.useApp();
  const { me } = useMe();
  const client = useQueryClient();
  const showError = useApiError();
  const errorText = useErrorText();
  const isMobile = useIsMobile();
  const locale = currentLocale();
  const canManage = hasPermission(me, 'identity.role.manage');
  const [drawer, setDrawer] = useState<RoleDrawerState>(null);
  const roles = useQuery({ queryKey: identityKeys.roles, queryFn: rolesApi.list });
  const remove = useMutation({
    mutationFn: (role: Role) => rolesApi.remove(role.id),
    onSuccess: async () => {
      void message.success(t('roles.deleted'));
      await client.invalidateQueries({ queryKey: identityKeys.roles });
    },
    onError: (error) => showError(error),
  });

  const columns: TableProps<Role>['columns'] = [
    {
      title: t('roles.columns.name'),
      key: 'name',
      render: (_, role) => (
        <Typography.Link onClick={() => setDrawer({ mode: 'edit', role })}>{roleLabel(role.code, locale, role.name)}</Typography.Link>
      ),
    },
    { title: t('roles.columns.code'), dataIndex: 'code', render: (code: string) => <Typography.Text code>{code}</Typography.Text> },
    {
      title: t('roles.columns.type'),
      key: 'type',
      render: (_, role) => (
        <Space size={4}>
          <Tag color={role.builtIn ? 'blue' : 'purple'}>{role.builtIn ? t('roles.builtIn') : t('roles.custom')}</Tag>
          {role.sensitive ? <Tag color="orange">{t('roles.sensitive')}</Tag> : null}
        </Space>
      ),
    },
    { title: t('roles.columns.permissions'), key: 'permissions', align: 'right', render: (_, role) => role.permissions.length },
    { title: t('roles.columns.holders'), dataIndex: 'holders', align: 'right' },
    {
      title: t('roles.columns.actions'),
      key: 'actions',
      render: (_, role) => (
        <Space size={4}>
          <Button size="small" type="link" onClick={() => setDrawer({ mode: 'edit', role })}>
            {canManage && !role.builtIn ? t('common:actions.edit') : t('common:actions.view')}
          </Button>
          {canManage && !role.builtIn ? (
            <Popconfirm
              title={t('roles.deleteConfirm', { name: role.name })}
              onConfirm={() => remove.mutate(role)}
              okText={t('common:actions.confirm')}
              cancelText={t('common:actions.cancel')}
            >
              <Button size="small" type="link" danger>
                {t('common:actions.delete')}
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <>
      {canManage ? (
        <div style={{ marginBottom: 12, textAlign: 'right' }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ mode: 'create' })} data-testid="role-create">
            {t('roles.create')}
          </Button>
        </div>
      ) : null}
      {roles.error ? <Alert type="error" showIcon title={errorText(roles.error)} style={{ marginBottom: 12 }} /> : null}
      <Table<Role>
        rowKey="id"
        columns={columns}
        dataSource={roles.data?.items ?? []}
        loading={roles.isPending}
        pagination={false}
        size={isMobile ? 'small' : 'middle'}
        scroll={{ x: 'max-content' }}
        onRow={(role) => ({ 'data-testid': `role-row-${role.code}` }) as HTMLAttributes<HTMLElement>}
      />
      <RoleDrawer state={drawer} onClose={() => setDrawer(null)} canManage={canManage} />
    </>
  );
}

function ApprovalsTab() {
  const { t } = useTranslation(['identity', 'common']);
  const { message } = App.useApp();
  const { me } = useMe();
  const client = useQueryClient();
  const showError = useApiError();
  const scopeLabel = useScopeLabel();
  const locale = currentLocale();
  const canApprove = hasPermission(me, 'identity.grant.approve');
  const [rejecting, setRejecting] = useState<Grant | null>(null);
  const [rejectForm] = Form.useForm<{ reason: string }>();
  const filters = { status: 'pending' as const };

  const done = async (text: string) => {
    void message.success(text);
    await client.invalidateQueries({ queryKey: identityKeys.grants });
    await client.invalidateQueries({ queryKey: identityKeys.users });
    await client.invalidateQueries({ queryKey: identityKeys.roles });
  };
  const approve = useMutation({
    mutationFn: (grant: Grant) => grantsApi.approve(grant.id),
    onSuccess: () => done(t('approvals.approved')),
    onError: (error) => showError(error),
  });
  const reject = useMutation({
    mutationFn: ({ grant, reason }: { grant: Grant; reason: string }) => grantsApi.reject(grant.id, reason.trim() || undefined),
    onSuccess: async () => {
      setRejecting(null);
      rejectForm.resetFields();
      await done(t('approvals.rejected'));
    },
    onError: (error) => showError(error, rejectForm),
  });

  const columns: TableProps<Grant>['columns'] = [
    { title: t('approvals.user'), dataIndex: 'username', render: (v: string) => <span data-user-data>{v}</span> },
    { title: t('grants.role'), key: 'role', render: (_, g) => roleLabel(g.roleCode, locale, g.roleName) },
    { title: t('grants.scope'), key: 'scope', render: (_, g) => scopeLabel(g.communityId) },
    { title: t('grants.requestedBy'), dataIndex: 'requestedByName', render: (v: string | null) => <span data-user-data>{v ?? '—'}</span> },
    { title: t('grants.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTimeShort(v) },
    {
      title: t('roles.columns.actions'),
      key: 'actions',
      render: (_, g) => {
        if (!canApprove) return null;
        const own = g.requestedBy === me?.user.id;
        const buttons = (
          <Space size={4}>
            <Popconfirm
              title={t('approvals.approveConfirm')}
              onConfirm={() => approve.mutate(g)}
              okText={t('common:actions.confirm')}
              cancelText={t('common:actions.cancel')}
              disabled={own}
            >
              <Button size="small" type="primary" disabled={own} loading={approve.isPending && approve.variables.id === g.id} data-testid={`approve-${g.username}-${g.roleCode}`}>
                {t('approvals.approve')}
              </Button>
            </Popconfirm>
            <Button size="small" danger onClick={() => setRejecting(g)} data-testid={`reject-${g.username}-${g.roleCode}`}>
              {t('approvals.reject')}
            </Button>
          </Space>
        );
        return own ? <Tooltip title={t('approvals.ownRequest')}>{buttons}</Tooltip> : buttons;
      },
    },
  ];

  return (
    <>
      <Alert type="info" showIcon title={t('approvals.hint')} style={{ marginBottom: 12 }} />
      <DataTable<Grant>
        queryKey={identityKeys.grantList(filters)}
        fetchPage={(cursor, signal) => grantsApi.list(filters, cursor, signal)}
        columns={columns}
        rowKey={(g) => g.id}
        rowTestId={(g) => `pending-${g.username}-${g.roleCode}`}
      />
      <Modal
        open={!!rejecting}
        title={t('approvals.rejectTitle')}
        onCancel={() => setRejecting(null)}
        okText={t('approvals.reject')}
        cancelText={t('common:actions.cancel')}
        okButtonProps={{ danger: true, loading: reject.isPending }}
        onOk={() => rejectForm.submit()}
        destroyOnHidden
      >
        <Form
          form={rejectForm}
          layout="vertical"
          onFinish={({ reason }: { reason?: string }) => rejecting && reject.mutate({ grant: rejecting, reason: reason ?? '' })}
        >
          <Form.Item name="reason" label={t('approvals.reasonLabel')}>
            <Input.TextArea maxLength={500} rows={3} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** `/admin/roles`: roles (built-in and custom) and the approval queue of sensitive grants. */
export default function RolesPage() {
  const { t } = useTranslation(['identity', 'common']);
  const { me } = useMe();
  const isMobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const showQueue = hasPermission(me, 'identity.grant.approve') || hasPermission(me, 'identity.grant.request');
  const active = showQueue && params.get('tab') === 'approvals' ? 'approvals' : 'roles';
  const items = [
    { key: 'roles', label: <span data-testid="roles-tab-roles">{t('roles.tabs.roles')}</span>, children: <RolesTab /> },
    ...(showQueue
      ? [{ key: 'approvals', label: <span data-testid="roles-tab-approvals">{t('roles.tabs.approvals')}</span>, children: <ApprovalsTab /> }]
      : []),
  ];
  return (
    <>
      <PageHeader title={t('roles.title')} />
      <Card styles={{ body: { padding: isMobile ? 12 : 24 } }}>
        <Tabs activeKey={active} items={items} onChange={(key) => setParams({ tab: key }, { replace: true })} destroyOnHidden />
      </Card>
    </>
  );
}
