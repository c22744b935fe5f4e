import { useMemo } from 'react';
import { App, Button, Card, Empty, Flex, Form, List, Popconfirm, Radio, Select, Spin, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { REQUEST_TYPES, type DispatchStrategy } from '@courtyard/contracts';
import { useApiError } from '../../../ui/useApiError';
import { useIsMobile } from '../../../ui/useIsMobile';
import { useCategories, useTeams } from '../api';
import { settingsApi, useConfigMutation, useRules } from '../settingsApi';

const ANY = '__any__';
const STRATEGIES: readonly DispatchStrategy[] = ['round_robin', 'least_open', 'team'];

interface Values {
  categoryId: string;
  teamId: string;
  strategy: DispatchStrategy;
}

/**
 * 派单规则: automatic dispatch goes by the rule of the request's category, else by the rule for
 * any category (the fallback). One rule per category: setting it again replaces the old one.
 */
export function RulesTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation(['serviceDesk', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const isMobile = useIsMobile();
  const rules = useRules(communityId);
  const categories = useCategories(communityId);
  const teams = useTeams(communityId);
  const [form] = Form.useForm<Values>();
  const create = useConfigMutation(settingsApi.createRule);
  const remove = useConfigMutation(settingsApi.deleteRule);
  const category = useMemo(() => new Map((categories.data?.items ?? []).map((c) => [c.id, c])), [categories.data]);
  const teamName = useMemo(() => new Map((teams.data?.items ?? []).map((x) => [x.id, x.name])), [teams.data]);
  // The fallback first, then by type and category order.
  const sorted = useMemo(
    () =>
      [...(rules.data?.items ?? [])].sort((a, b) => {
        const ca = a.categoryId ? category.get(a.categoryId) : undefined;
        const cb = b.categoryId ? category.get(b.categoryId) : undefined;
        if (!ca || !cb) return ca ? 1 : cb ? -1 : 0;
        return REQUEST_TYPES.indexOf(ca.type) - REQUEST_TYPES.indexOf(cb.type) || ca.sort - cb.sort;
      }),
    [rules.data, category],
  );
  const categoryOptions = [
    { label: t('serviceDesk:settings.rules.fallbackGroup'), options: [{ value: ANY, label: t('serviceDesk:settings.rules.any') }] },
    ...REQUEST_TYPES.map((type) => ({
      label: t(`serviceDesk:type.${type}`),
      options: (categories.data?.items ?? []).filter((c) => c.type === type && c.active).map((c) => ({ value: c.id, label: `${t(`serviceDesk:type.${type}`)} · ${c.name}` })),
    })).filter((g) => g.options.length > 0),
  ];

  const submit = (v: Values) =>
    create.mutate(
      { communityId, categoryId: v.categoryId === ANY ? null : v.categoryId, teamId: v.teamId, strategy: v.strategy },
      {
        onSuccess: () => {
          void message.success(t('serviceDesk:settings.saved'));
          form.resetFields();
        },
        onError: (e) => showError(e, form),
      },
    );

  return (
    <Flex vertical gap={12}>
      <Card size="small" title={t('serviceDesk:settings.rules.add')}>
        <Typography.Paragraph type="secondary">{t('serviceDesk:settings.rules.hint')}</Typography.Paragraph>
        <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ categoryId: ANY, strategy: 'least_open' }} data-testid="rule-form">
          <Flex gap={12} wrap>
            <Form.Item name="categoryId" label={t('serviceDesk:field.category')} rules={[{ required: true }]} style={{ width: isMobile ? '100%' : 260 }}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={categoryOptions} loading={categories.isPending} data-testid="rule-category" />
            </Form.Item>
            <Form.Item name="teamId" label={t('serviceDesk:settings.rules.team')} rules={[{ required: true }]} style={{ width: isMobile ? '100%' : 200 }}>
              <Select options={(teams.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))} loading={teams.isPending} data-testid="rule-team" />
            </Form.Item>
          </Flex>
          <Form.Item name="strategy" label={t('serviceDesk:settings.rules.strategy')}>
            <Radio.Group>
              <Flex vertical gap={4}>
                {STRATEGIES.map((s) => (
                  <Radio key={s} value={s}>
                    {t(`serviceDesk:settings.strategy.${s}`)}
                    <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
                      {t(`serviceDesk:settings.strategyHint.${s}`)}
                    </Typography.Text>
                  </Radio>
                ))}
              </Flex>
            </Radio.Group>
          </Form.Item>
          <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={create.isPending} block={isMobile} data-testid="rule-save">
            {t('serviceDesk:settings.rules.save')}
          </Button>
        </Form>
      </Card>
      {rules.isPending ? <Spin /> : null}
      {rules.isSuccess && sorted.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('serviceDesk:settings.rules.empty')} /> : null}
      {sorted.length ? (
        <List
          size="small"
          bordered
          style={{ background: 'var(--ant-color-bg-container)' }}
          dataSource={sorted}
          data-testid="rule-list"
          renderItem={(r) => {
            const c = r.categoryId ? category.get(r.categoryId) : undefined;
            return (
              <List.Item
                actions={[
                  <Popconfirm key="del" title={t('serviceDesk:settings.rules.removeConfirm')} onConfirm={() => remove.mutate(r.id, { onError: (e) => showError(e) })} okText={t('common:actions.confirm')} cancelText={t('common:actions.cancel')}>
                    <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common:actions.delete')} />
                  </Popconfirm>,
                ]}
              >
                <Flex gap={6} wrap align="center">
                  <Typography.Text strong>{c ? `${t(`serviceDesk:type.${c.type}`)} · ${c.name}` : t('serviceDesk:settings.rules.any')}</Typography.Text>
                  <Typography.Text type="secondary">→</Typography.Text>
                  <Typography.Text>{teamName.get(r.teamId) ?? '—'}</Typography.Text>
                  <Tag>{t(`serviceDesk:settings.strategy.${r.strategy}`)}</Tag>
                </Flex>
              </List.Item>
            );
          }}
        />
      ) : null}
    </Flex>
  );
}
