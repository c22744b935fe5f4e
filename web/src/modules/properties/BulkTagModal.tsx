import { useState } from 'react';
import { App, Flex, Modal, Radio, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useApiError } from '../../ui/useApiError';
import { useTagMutations, useTags, type TaggedEntity } from './api';

/** The server takes at most this many ids per bulk-tag call. */
export const BULK_TAG_LIMIT = 1000;

/** Apply a tag to (or remove it from) the selected rows in one call; all or nothing on the server. */
export function BulkTagModal({
  open,
  entityType,
  entityIds,
  communityId,
  onClose,
  onDone,
}: {
  open: boolean;
  entityType: TaggedEntity;
  entityIds: string[];
  communityId: string | undefined;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation(['properties', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const tags = useTags(open ? communityId : undefined);
  const m = useTagMutations();
  const [tagId, setTagId] = useState<string | undefined>(undefined);
  const [mode, setMode] = useState<'apply' | 'remove'>('apply');
  const tooMany = entityIds.length > BULK_TAG_LIMIT;
  const mutation = mode === 'apply' ? m.apply : m.unapply;
  const submit = () => {
    if (!tagId || tooMany) return;
    mutation.mutate(
      { tagId, entityType, entityIds },
      {
        onSuccess: () => {
          void message.success(t(mode === 'apply' ? 'tags.bulkApplied' : 'tags.bulkRemoved', { count: entityIds.length }));
          setTagId(undefined);
          onDone();
        },
        onError: (error) => showError(error),
      },
    );
  };
  return (
    <Modal
      open={open}
      title={t('tags.bulkTitle', { count: entityIds.length })}
      okText={t('common:actions.confirm')}
      cancelText={t('common:actions.cancel')}
      okButtonProps={{ disabled: !tagId || tooMany }}
      confirmLoading={mutation.isPending}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      <Flex vertical gap={12} data-testid="bulk-tag-modal">
        <Radio.Group
          value={mode}
          onChange={(e) => setMode(e.target.value as 'apply' | 'remove')}
          optionType="button"
          options={[
            { value: 'apply', label: t('tags.bulkApply') },
            { value: 'remove', label: t('tags.bulkRemove') },
          ]}
        />
        <Select
          value={tagId}
          onChange={setTagId}
          placeholder={t('tags.pick')}
          loading={tags.isPending}
          showSearch={{ optionFilterProp: 'search' }}
          options={(tags.data?.items ?? []).filter((tag) => tag.kind !== 'derived').map((tag) => ({ value: tag.id, label: tag.name, search: tag.name }))}
          data-testid="bulk-tag-select"
        />
        {tooMany ? <Typography.Text type="danger">{t('tags.bulkTooMany', { limit: BULK_TAG_LIMIT })}</Typography.Text> : null}
      </Flex>
    </Modal>
  );
}
