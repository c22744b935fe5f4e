import { useState } from 'react';
import { App, Button, Flex, Select, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Tag } from '@courtyard/contracts';
import { useApiError } from '../../ui/useApiError';
import { useTagMutations, useTags, type TaggedEntity } from './api';
import { TagChip } from './registry';

/**
 * The tags of one room (or person), with add / remove when the user holds `properties.tag.manage`.
 * Derived tags (欠费) are set by their owning module only, so they are never offered nor removable.
 */
export function TagEditor({
  entityType,
  entityId,
  communityId,
  tags,
  canManage,
}: {
  entityType: TaggedEntity;
  entityId: string;
  communityId: string;
  tags: Tag[];
  canManage: boolean;
}) {
  const { t } = useTranslation('properties');
  const { message } = App.useApp();
  const showError = useApiError();
  const [adding, setAdding] = useState(false);
  const available = useTags(canManage ? communityId : undefined);
  const m = useTagMutations();
  const applied = new Set(tags.map((tag) => tag.id));
  const options = (available.data?.items ?? [])
    .filter((tag) => tag.kind !== 'derived' && !applied.has(tag.id))
    .map((tag) => ({ value: tag.id, label: tag.name, search: tag.name }));

  const add = (tagId: string) =>
    m.apply.mutate(
      { tagId, entityType, entityIds: [entityId] },
      {
        onSuccess: () => {
          void message.success(t('tags.applied'));
          setAdding(false);
        },
        onError: (error) => showError(error),
      },
    );
  const remove = (tag: Tag) =>
    m.unapply.mutate(
      { tagId: tag.id, entityType, entityIds: [entityId] },
      { onSuccess: () => void message.success(t('tags.removed')), onError: (error) => showError(error) },
    );

  return (
    <Flex wrap gap={6} align="center" data-testid="tag-editor">
      {tags.length === 0 && !canManage ? <Typography.Text type="secondary">{t('tags.none')}</Typography.Text> : null}
      {tags.map((tag) => (
        <TagChip key={tag.id} tag={tag} closable={canManage && tag.kind !== 'derived'} onClose={() => remove(tag)} />
      ))}
      {canManage ? (
        adding ? (
          <Select
            autoFocus
            defaultOpen
            size="small"
            style={{ width: 180 }}
            placeholder={t('tags.pick')}
            options={options}
            showSearch={{ optionFilterProp: 'search' }}
            loading={available.isPending || m.apply.isPending}
            onChange={add}
            onBlur={() => setAdding(false)}
            notFoundContent={t('tags.noneLeft')}
            data-testid="tag-add-select"
          />
        ) : (
          <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="tag-add">
            {t('tags.add')}
          </Button>
        )
      ) : null}
    </Flex>
  );
}
