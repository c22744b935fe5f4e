import { useState } from 'react';
import { App, Button, Card, Checkbox, Empty, Flex, Progress, Select, Space, Tag, Typography } from 'antd';
import { CheckOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { MoveChecklist, Occupancy } from '@courtyard/contracts';
import { formatDateTimeShort } from '../../ui/format';
import { useApiError } from '../../ui/useApiError';
import { checklistsApi, peopleKeys } from './api';

function ChecklistView({ checklist, roomCode, canManage }: { checklist: MoveChecklist; roomCode: string; canManage: boolean }) {
  const { t } = useTranslation(['people', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: peopleKeys.checklists });
  const tick = useMutation({
    mutationFn: ({ key, done }: { key: string; done: boolean }) => checklistsApi.update(checklist.id, [{ key, done }]),
    onSuccess: refresh,
    onError: (error) => showError(error),
  });
  const complete = useMutation({
    mutationFn: () => checklistsApi.complete(checklist.id),
    onSuccess: async () => {
      void message.success(t('checklist.completed'));
      await refresh();
    },
    onError: (error) => showError(error),
  });
  const done = checklist.items.filter((i) => i.done).length;
  const open = checklist.state === 'open';
  return (
    <Card
      size="small"
      data-testid={`checklist-${checklist.id}`}
      title={
        <Space size={6} wrap>
          <span>{t(`checklist.kind.${checklist.kind}`)}</span>
          <Typography.Text type="secondary">{roomCode}</Typography.Text>
        </Space>
      }
      extra={<Tag color={open ? 'processing' : 'success'}>{t(`checklist.state.${checklist.state}`)}</Tag>}
    >
      <Flex vertical gap={6}>
        <Progress percent={checklist.items.length ? Math.round((done / checklist.items.length) * 100) : 0} size="small" format={() => t('checklist.progress', { done, total: checklist.items.length })} />
        {checklist.items.map((item) => (
          <Checkbox
            key={item.key}
            checked={item.done}
            disabled={!open || !canManage || tick.isPending}
            onChange={(e) => tick.mutate({ key: item.key, done: e.target.checked })}
          >
            {item.label}
            {item.note ? <Typography.Text type="secondary"> · {item.note}</Typography.Text> : null}
          </Checkbox>
        ))}
        {open && canManage ? (
          <Button
            type="primary"
            size="small"
            icon={<CheckOutlined />}
            style={{ alignSelf: 'flex-start' }}
            loading={complete.isPending}
            onClick={() => complete.mutate()}
            data-testid="checklist-complete"
          >
            {t('checklist.complete')}
          </Button>
        ) : checklist.completedAt ? (
          <Typography.Text type="secondary">{t('checklist.completedAt', { at: formatDateTimeShort(checklist.completedAt) })}</Typography.Text>
        ) : null}
      </Flex>
    </Card>
  );
}

/** The move-in / move-out checklists of this person in the rooms they occupy(ied). */
export function ChecklistsCard({ personId, occupancies, canManage }: { personId: string; occupancies: Occupancy[]; canManage: boolean }) {
  const { t } = useTranslation(['people', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const roomOccupancies = occupancies.filter((o) => o.roomId);
  const roomIds = [...new Set(roomOccupancies.map((o) => o.roomId ?? ''))];
  const codes = new Map(roomOccupancies.map((o) => [o.roomId ?? '', o.roomCode ?? '']));
  const lists = useQueries({
    queries: roomIds.map((roomId) => ({ queryKey: peopleKeys.checklistsOfRoom(roomId), queryFn: () => checklistsApi.ofRoom(roomId) })),
  });
  const mine = lists.flatMap((q) => q.data?.items ?? []).filter((c) => c.personId === personId);
  const current = roomOccupancies.filter((o) => o.movedOutOn === null);
  const [target, setTarget] = useState<string | undefined>();
  const create = useMutation({
    mutationFn: (input: { occupancy: Occupancy; kind: MoveChecklist['kind'] }) =>
      checklistsApi.create({ roomId: input.occupancy.roomId ?? '', personId, occupancyId: input.occupancy.id, kind: input.kind }),
    onSuccess: async () => {
      void message.success(t('checklist.created'));
      setTarget(undefined);
      await client.invalidateQueries({ queryKey: peopleKeys.checklists });
    },
    onError: (error) => showError(error),
  });
  const options = current.flatMap((o) =>
    (['move_in', 'move_out'] as const).map((kind) => ({ value: `${o.id}:${kind}`, label: `${o.roomCode ?? ''} · ${t(`checklist.kind.${kind}`)}` })),
  );
  const submit = () => {
    if (!target) return;
    const [occupancyId, kind] = target.split(':') as [string, MoveChecklist['kind']];
    const occupancy = current.find((o) => o.id === occupancyId);
    if (occupancy) create.mutate({ occupancy, kind });
  };
  return (
    <Flex vertical gap={12}>
      {canManage && options.length ? (
        <Space.Compact style={{ width: '100%', maxWidth: 420 }}>
          <Select<string> style={{ flex: 1, minWidth: 0 }} placeholder={t('checklist.create')} value={target} onChange={setTarget} options={options} data-testid="checklist-kind" />
          <Button icon={<PlusOutlined />} disabled={!target} loading={create.isPending} onClick={submit} data-testid="checklist-create">
            {t('common:actions.create')}
          </Button>
        </Space.Compact>
      ) : null}
      {mine.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('checklist.none')} />
      ) : (
        mine.map((c) => <ChecklistView key={c.id} checklist={c} roomCode={codes.get(c.roomId) ?? ''} canManage={canManage} />)
      )}
    </Flex>
  );
}
