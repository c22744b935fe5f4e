import { App, Alert, Button, Card, Empty, Flex, Form, Popconfirm, Select, Space, Spin, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Grant, User } from '@courtyard/contracts';
import { currentLocale } from '../../app/i18n';
import { hasPermission, useMe } from '../../app/session';
import { formatDateTimeShort } from '../../ui/format';
import { useApiError, useErrorText } from '../../ui/useApiError';
import { useCommunities } from '../properties/api';
import { grantsApi, identityKeys, rolesApi, type GrantStatus } from './api';
import { roleLabel } from './labels';

const ALL = '__all__';

export const GRANT_STATUS_COLOR: Record<GrantStatus, string> = {
  pending: 'orange',
  active: 'green',
  rejected: 'red',
  revoked: 'default',
};

/** A community id as its name; null means every community. */
export function useScopeLabel(): (communityId: string | null) => string {
  const { t } = useTranslation(['identity', 'common']);
  const { me } = useMe();
  const communities = useCommunities(hasPermission(me, 'properties.community.read'));
  return (communityId) => {
    if (!communityId) return t('grants.allCommunities');
    return communities.data?.items.find((c) => c.id === communityId)?.name ?? communityId;
  };
}

interface GrantValues {
  roleId: string;
  communityId: string;
}

/** The user's grants (all states), revoke, and a form to grant a role for all or one community. */
export function GrantsPanel({ user }: { user: User }) {
  const { t } = useTranslation(['identity', 'common']);
  const { message } = App.useApp();
  const { me } = useMe();
  const client = useQueryClient();
  const showError = useApiError();
  const errorText = useErrorText();
  const scopeLabel = useScopeLabel();
  const locale = currentLocale();
  const [form] = Form.useForm<GrantValues>();
  const canGrant = hasPermission(me, 'identity.grant.request');
  const filters = { userId: user.id };
  const grants = useQuery({ queryKey: identityKeys.grantList(filters), queryFn: () => grantsApi.list(filters, undefined) });
  const roles = useQuery({ queryKey: identityKeys.roles, queryFn: rolesApi.list, enabled: canGrant && hasPermission(me, 'identity.role.read') });
  const communities = useCommunities(canGrant && hasPermission(me, 'properties.community.read'));
  const roleId = Form.useWatch('roleId', form);
  const chosenRole = roles.data?.items.find((r) => r.id === roleId);

  const invalidate = async () => {
    await client.invalidateQueries({ queryKey: identityKeys.grants });
    await client.invalidateQueries({ queryKey: identityKeys.users });
    await client.invalidateQueries({ queryKey: identityKeys.roles });
  };
  const create = useMutation({
    mutationFn: (values: GrantValues) =>
      grantsApi.create({ userId: user.id, roleId: values.roleId, communityId: values.communityId === ALL ? null : values.communityId }),
    onSuccess: async (grant) => {
      if (grant.status === 'pending') void message.info(t('grants.pendingCreated'), 6);
      else void message.success(t('grants.activeCreated'));
      form.resetFields();
      await invalidate();
    },
    onError: (error) => showError(error, form),
  });
  const revoke = useMutation({
    mutationFn: (grant: Grant) => grantsApi.revoke(grant.id),
    onSuccess: async () => {
      void message.success(t('grants.revoked'));
      await invalidate();
    },
    onError: (error) => showError(error),
  });

  const items = grants.data?.items ?? [];
  return (
    <Flex vertical gap={12}>
      {grants.error ? <Alert type="error" showIcon title={errorText(grants.error)} /> : null}
      <Spin spinning={grants.isPending}>
        {items.length === 0 && !grants.isPending ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('grants.none')} />
        ) : (
          <Flex vertical gap={8}>
            {items.map((g) => (
              <Card key={g.id} size="small" data-testid={`grant-${g.roleCode}`}>
                <Flex justify="space-between" align="flex-start" gap={8} wrap>
                  <Flex vertical gap={2} style={{ minWidth: 0 }}>
                    <Space size={6} wrap>
                      <Typography.Text strong>{roleLabel(g.roleCode, locale, g.roleName)}</Typography.Text>
                      <Tag color={GRANT_STATUS_COLOR[g.status]}>{t(`grants.statuses.${g.status}`)}</Tag>
                    </Space>
                    <Typography.Text type="secondary">
                      {t('grants.scope')}: {scopeLabel(g.communityId)}
                    </Typography.Text>
                    <Typography.Text type="secondary">
                      {t('grants.createdAt')}: {formatDateTimeShort(g.createdAt)}
                      {g.requestedByName ? (
                        <>
                          {' · '}
                          {t('grants.requestedBy')}: <span data-user-data>{g.requestedByName}</span>
                        </>
                      ) : null}
                    </Typography.Text>
                    {g.reason ? (
                      <Typography.Text type="secondary">
                        {t('grants.reason')}: <span data-user-data>{g.reason}</span>
                      </Typography.Text>
                    ) : null}
                  </Flex>
                  {canGrant && (g.status === 'active' || g.status === 'pending') ? (
                    <Popconfirm
                      title={t('grants.revokeConfirm')}
                      onConfirm={() => revoke.mutate(g)}
                      okText={t('common:actions.confirm')}
                      cancelText={t('common:actions.cancel')}
                    >
                      <Button size="small" danger loading={revoke.isPending && revoke.variables.id === g.id}>
                        {t('grants.revoke')}
                      </Button>
                    </Popconfirm>
                  ) : null}
                </Flex>
              </Card>
            ))}
          </Flex>
        )}
      </Spin>

      {canGrant ? (
        <Card size="small" title={t('grants.grant')}>
          <Form<GrantValues>
            form={form}
            layout="vertical"
            requiredMark={false}
            initialValues={{ communityId: ALL }}
            onFinish={(values) => create.mutate(values)}
          >
            <Form.Item name="roleId" label={t('grants.role')} rules={[{ required: true, message: t('grants.roleRequired') }]}>
              <Select
                loading={roles.isPending && roles.fetchStatus !== 'idle'}
                showSearch={{ optionFilterProp: 'label' }}
                options={(roles.data?.items ?? []).map((r) => ({
                  value: r.id,
                  label: roleLabel(r.code, locale, r.name),
                }))}
                data-testid="grant-role"
              />
            </Form.Item>
            <Form.Item name="communityId" label={t('grants.scope')}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={[
                  { value: ALL, label: t('grants.allCommunities') },
                  ...(communities.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
                ]}
                data-testid="grant-community"
              />
            </Form.Item>
            {chosenRole?.sensitive ? (
              <Alert type="warning" showIcon title={t('grants.sensitiveWarning')} style={{ marginBottom: 12 }} data-testid="grant-sensitive" />
            ) : null}
            <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={create.isPending} data-testid="grant-submit">
              {t('grants.grant')}
            </Button>
          </Form>
        </Card>
      ) : null}
    </Flex>
  );
}
