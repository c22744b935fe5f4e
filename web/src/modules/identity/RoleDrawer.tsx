import { useMemo } from 'react';
import { Alert, App, Button, Drawer, Form, Input, Space, Spin, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Role } from '@courtyard/contracts';
import { currentLocale } from '../../app/i18n';
import { useApiError } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { identityKeys, rolesApi, type PermissionItem } from './api';
import { permissionLabel, permissionModuleLabel, roleLabel } from './labels';

const GROUP_PREFIX = 'module:';

/** Permissions as a checkbox tree grouped by module (the first dot-segment of the code). */
export function usePermissionTree(items: PermissionItem[] | undefined): TreeDataNode[] {
  const { t } = useTranslation(['identity', 'common']);
  const locale = currentLocale();
  return useMemo(() => {
    const groups = new Map<string, PermissionItem[]>();
    for (const p of items ?? []) {
      const module = p.code.split('.')[0] ?? p.code;
      groups.set(module, [...(groups.get(module) ?? []), p]);
    }
    return [...groups.entries()].map(([module, perms]) => ({
      key: `${GROUP_PREFIX}${module}`,
      title: permissionModuleLabel(module, t),
      children: perms.map((p) => ({
        key: p.code,
        title: (
          <span>
            {permissionLabel(p.code, locale, p)}{' '}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {p.code}
            </Typography.Text>
          </span>
        ),
      })),
    }));
  }, [items, t, locale]);
}

interface Values {
  code: string;
  name: string;
  permissions: string[];
}

export type RoleDrawerState = { mode: 'create' } | { mode: 'edit'; role: Role } | null;

/** Create, edit (custom roles) or view (built-in roles) a role's permissions. */
export function RoleDrawer({ state, onClose, canManage }: { state: RoleDrawerState; onClose: () => void; canManage: boolean }) {
  const { t } = useTranslation(['identity', 'common']);
  const { message } = App.useApp();
  const client = useQueryClient();
  const showError = useApiError();
  const isMobile = useIsMobile();
  const locale = currentLocale();
  const [form] = Form.useForm<Values>();
  const permissions = useQuery({ queryKey: identityKeys.permissions, queryFn: rolesApi.permissions, staleTime: 10 * 60_000 });
  const tree = usePermissionTree(permissions.data?.items);
  const role = state?.mode === 'edit' ? state.role : null;
  const readOnly = !canManage || !!role?.builtIn;

  const save = useMutation({
    mutationFn: (values: Values) => {
      const chosen = values.permissions.filter((p) => !p.startsWith(GROUP_PREFIX));
      return role
        ? rolesApi.update(role.id, { name: values.name.trim(), permissions: chosen })
        : rolesApi.create({ code: values.code.trim(), name: values.name.trim(), permissions: chosen });
    },
    onSuccess: async () => {
      void message.success(t('roles.saved'));
      await client.invalidateQueries({ queryKey: identityKeys.roles });
      onClose();
    },
    onError: (error) => showError(error, form),
  });

  const title = !state ? '' : state.mode === 'create' ? t('roles.createTitle') : readOnly ? t('roles.viewTitle') : t('roles.editTitle');
  return (
    <Drawer
      open={!!state}
      onClose={onClose}
      title={title}
      size={isMobile ? '100%' : 560}
      destroyOnHidden
      footer={
        readOnly ? null : (
          <Space>
            <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="role-save">
              {t('common:actions.save')}
            </Button>
            <Button onClick={onClose}>{t('common:actions.cancel')}</Button>
          </Space>
        )
      }
    >
      {role?.builtIn ? <Alert type="info" showIcon title={t('roles.builtInReadOnly')} style={{ marginBottom: 16 }} /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        disabled={readOnly}
        initialValues={{ code: role?.code ?? '', name: role ? roleLabel(role.code, locale, role.name) : '', permissions: role?.permissions ?? [] }}
        onFinish={(values) => save.mutate(values)}
      >
        <Form.Item
          name="code"
          label={t('roles.code')}
          extra={role ? undefined : t('roles.codeHint')}
          rules={[
            { required: true, message: t('common:form.required') },
            { pattern: /^[a-z][a-z0-9_]{1,49}$/, message: t('roles.codeHint') },
          ]}
        >
          <Input disabled={!!role} autoCapitalize="none" data-testid="role-code" />
        </Form.Item>
        <Form.Item name="name" label={t('roles.name')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
          <Input maxLength={100} data-testid="role-name" />
        </Form.Item>
        <Form.Item
          name="permissions"
          label={t('roles.permissions')}
          valuePropName="checkedKeys"
          trigger="onCheck"
          getValueFromEvent={(checked: string[] | { checked: string[] }) => (Array.isArray(checked) ? checked : checked.checked)}
        >
          {permissions.isPending ? <Spin /> : <Tree checkable selectable={false} defaultExpandAll treeData={tree} disabled={readOnly} />}
        </Form.Item>
      </Form>
    </Drawer>
  );
}
