import { useState } from 'react';
import { App, Button, Card, ColorPicker, Empty, Flex, Form, Input, List, Modal, Popconfirm, Skeleton, Tag as AntTag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Tag } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { PageHeader } from '../../ui/PageHeader';
import { useApiError } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { useTagMutations, useTags } from './api';
import { CommunitySelect, TagChip, useRegistryCommunity } from './registry';

const DEFAULT_COLOR = '#1677ff';

/**
 * `/registry/tags` — 标签: the organisation's system and derived tags (read only) and the
 * community's free tags (create, delete). Rooms and persons are tagged from their cards and lists.
 */
export default function TagsPage() {
  const { t } = useTranslation(['properties', 'common']);
  const { message } = App.useApp();
  const { me } = useMe();
  const isMobile = useIsMobile();
  const showError = useApiError();
  const canManage = hasPermission(me, 'properties.tag.manage');
  const { communityId, setCommunityId, communities, isPending } = useRegistryCommunity();
  const tags = useTags(communityId);
  const m = useTagMutations();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ name: string; color: string }>();
  const items = tags.data?.items ?? [];
  const fixed = items.filter((tag) => tag.kind !== 'free');
  const free = items.filter((tag) => tag.kind === 'free');

  const create = (v: { name: string; color: string | { toHexString: () => string } }) => {
    if (!communityId) return;
    const color = typeof v.color === 'string' ? v.color : v.color.toHexString();
    m.create.mutate(
      { communityId, name: v.name.trim(), color },
      {
        onSuccess: () => {
          void message.success(t('messages.saved'));
          setCreating(false);
          form.resetFields();
        },
        onError: (error) => showError(error, form),
      },
    );
  };
  const remove = (tag: Tag) => m.remove.mutate(tag.id, { onSuccess: () => void message.success(t('tags.deleted')), onError: (error) => showError(error) });

  const line = (tag: Tag) => (
    <List.Item
      key={tag.id}
      data-testid={`tag-row-${tag.name}`}
      actions={
        canManage && tag.kind === 'free'
          ? [
              <Popconfirm
                key="delete"
                title={t('tags.deleteConfirm', { name: tag.name })}
                okText={t('common:actions.delete')}
                cancelText={t('common:actions.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => remove(tag)}
              >
                <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common:actions.delete')} data-testid={`tag-delete-${tag.name}`} />
              </Popconfirm>,
            ]
          : []
      }
    >
      <Flex gap={8} align="center" wrap>
        <TagChip tag={tag} />
        <AntTag bordered={false}>{t(`tagKind.${tag.kind}`)}</AntTag>
      </Flex>
    </List.Item>
  );

  return (
    <>
      <PageHeader
        title={t('tags.title')}
        subtitle={t('tags.subtitle')}
        extra={
          <>
            <CommunitySelect value={communityId} onChange={setCommunityId} communities={communities} loading={isPending} width={isMobile ? '100%' : 220} />
            {canManage ? (
              <Button type="primary" icon={<PlusOutlined />} disabled={!communityId} onClick={() => setCreating(true)} data-testid="tag-create">
                {t('tags.create')}
              </Button>
            ) : null}
          </>
        }
      />
      {tags.isPending && communityId ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={16}>
          <Card size="small" title={t('tags.freeTitle')}>
            {free.length ? <List size="small" dataSource={free} renderItem={line} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tags.noFree')} />}
          </Card>
          <Card size="small" title={t('tags.systemTitle')}>
            <Typography.Paragraph type="secondary">{t('tags.systemHint')}</Typography.Paragraph>
            <List size="small" dataSource={fixed} renderItem={line} />
          </Card>
        </Flex>
      )}
      <Modal
        open={creating}
        title={t('tags.create')}
        okText={t('common:actions.save')}
        cancelText={t('common:actions.cancel')}
        confirmLoading={m.create.isPending}
        onOk={() => form.submit()}
        onCancel={() => setCreating(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" requiredMark={false} initialValues={{ name: '', color: DEFAULT_COLOR }} onFinish={create}>
          <Form.Item name="name" label={t('tags.name')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
            <Input maxLength={30} data-testid="tag-name" />
          </Form.Item>
          <Form.Item name="color" label={t('tags.color')}>
            <ColorPicker disabledAlpha presets={[{ label: t('tags.color'), colors: ['#1677ff', '#52c41a', '#fa8c16', '#f5222d', '#722ed1', '#13c2c2', '#8c8c8c'] }]} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
