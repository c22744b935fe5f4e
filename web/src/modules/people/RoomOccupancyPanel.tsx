import { useState } from 'react';
import { Alert, App, Button, Collapse, DatePicker, Empty, Flex, List, Popover, Space, Spin, Tag, Typography } from 'antd';
import { LogoutOutlined, StarOutlined, UserAddOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import type { Occupancy } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { useApiError, useErrorText } from '../../ui/useApiError';
import { useMoveOut, useOccupancies, usePrimaryContact, type OccupancyOwner } from './api';
import { RELATION_COLORS } from './labels';
import { MoveInDialog } from './MoveInDialog';
import { formKey } from '../../ui/formKey';

/** Move-out with a date (defaults to today); the occupancy is kept as history, never deleted. */
function MoveOutButton({ occupancy }: { occupancy: Occupancy }) {
  const { t } = useTranslation(['people', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const moveOut = useMoveOut();
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState<Dayjs>(dayjs());
  const confirm = () =>
    moveOut.mutate(
      { id: occupancy.id, movedOutOn: date.format('YYYY-MM-DD') },
      {
        onSuccess: () => {
          void message.success(t('occupancy.movedOut', { name: occupancy.personName }));
          setOpen(false);
        },
        onError: (error) => showError(error),
      },
    );
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      title={t('occupancy.moveOutTitle', { name: occupancy.personName })}
      content={
        <Flex vertical gap={8} style={{ width: 220 }}>
          <Typography.Text type="secondary">{t('occupancy.movedOutOn')}</Typography.Text>
          <DatePicker value={date} onChange={(d) => d && setDate(d)} allowClear={false} style={{ width: '100%' }} />
          <Button type="primary" danger loading={moveOut.isPending} onClick={confirm} data-testid="move-out-confirm">
            {t('occupancy.moveOut')}
          </Button>
        </Flex>
      }
    >
      <Button size="small" icon={<LogoutOutlined />} data-testid={`move-out-${occupancy.id}`}>
        {t('occupancy.moveOut')}
      </Button>
    </Popover>
  );
}

/** One occupancy line: who (or which room / space), relation, dates, and the actions on a current one. */
export function OccupancyItem({ occupancy, show, canManage }: { occupancy: Occupancy; show: 'person' | 'place'; canManage: boolean }) {
  const { t } = useTranslation(['people', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const primary = usePrimaryContact();
  const current = occupancy.movedOutOn === null;
  const place = occupancy.roomId ? (
    <Link to={`/registry/rooms/${occupancy.roomId}`}>{occupancy.roomCode}</Link>
  ) : (
    <span>{t('occupancy.space', { number: occupancy.parkingSpaceNumber ?? '' })}</span>
  );
  return (
    <List.Item
      data-testid={`occupancy-${occupancy.id}`}
      actions={
        current && canManage
          ? [
              occupancy.primaryContact ? null : (
                <Button
                  key="primary"
                  size="small"
                  type="link"
                  icon={<StarOutlined />}
                  loading={primary.isPending}
                  onClick={() =>
                    primary.mutate(occupancy.id, {
                      onSuccess: () => void message.success(t('occupancy.primarySet', { name: occupancy.personName })),
                      onError: (error) => showError(error),
                    })
                  }
                >
                  {t('occupancy.setPrimary')}
                </Button>
              ),
              <MoveOutButton key="out" occupancy={occupancy} />,
            ].filter((a) => a !== null)
          : undefined
      }
    >
      <Flex vertical gap={2} style={{ minWidth: 0 }}>
        <Space size={[6, 4]} wrap>
          {show === 'person' ? (
            <Link to={`/registry/persons/${occupancy.personId}`} data-user-data>
              {occupancy.personName}
            </Link>
          ) : (
            place
          )}
          <Tag color={current ? RELATION_COLORS[occupancy.relation] : 'default'}>{t(`relation.${occupancy.relation}`)}</Tag>
          {occupancy.primaryContact && current ? <Tag color="gold">{t('occupancy.primary')}</Tag> : null}
        </Space>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {current
            ? t('occupancy.since', { date: occupancy.movedInOn })
            : t('occupancy.between', { from: occupancy.movedInOn, to: occupancy.movedOutOn ?? '' })}
        </Typography.Text>
      </Flex>
    </List.Item>
  );
}

/** Current occupancies first, then the history (moved out) in a collapsed section. */
export function OccupancyList({ owner, show, canManage }: { owner: OccupancyOwner; show: 'person' | 'place'; canManage: boolean }) {
  const { t } = useTranslation(['people', 'common']);
  const errorText = useErrorText();
  const query = useOccupancies(owner);
  const items = query.data?.items ?? [];
  const current = items.filter((o) => o.movedOutOn === null);
  const history = items.filter((o) => o.movedOutOn !== null);
  if (query.error) return <Alert type="error" showIcon title={t('common:errors.loadFailed')} description={errorText(query.error)} />;
  return (
    <Spin spinning={query.isPending}>
      {current.length === 0 && !query.isPending ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('occupancy.none')} />
      ) : (
        <List
          size="small"
          dataSource={current}
          rowKey={(o) => o.id}
          renderItem={(o) => <OccupancyItem occupancy={o} show={show} canManage={canManage} />}
          data-testid="occupancy-current"
        />
      )}
      {history.length > 0 ? (
        <Collapse
          ghost
          size="small"
          items={[
            {
              key: 'history',
              label: t('occupancy.history', { count: history.length }),
              children: (
                <List
                  size="small"
                  dataSource={history}
                  rowKey={(o) => o.id}
                  renderItem={(o) => <OccupancyItem occupancy={o} show={show} canManage={false} />}
                />
              ),
            },
          ]}
        />
      ) : null}
    </Spin>
  );
}

export interface RoomOccupancyPanelProps {
  roomId: string;
  communityId: string;
}

/**
 * Who lives in a room (住户): current occupants with relation and primary contact, the history of
 * moves, and — with `people.person.manage` — move in, move out and set the primary contact.
 * Embedded in the room card of the properties screens.
 */
export function RoomOccupancyPanel({ roomId, communityId }: RoomOccupancyPanelProps) {
  const { t } = useTranslation(['people', 'common']);
  const { me } = useMe();
  const canManage = hasPermission(me, 'people.person.manage');
  const [moving, setMoving] = useState(false);
  return (
    <Flex vertical gap={8} data-testid="room-occupancy-panel">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text strong>{t('occupancy.title')}</Typography.Text>
        {canManage ? (
          <Button size="small" type="primary" icon={<UserAddOutlined />} onClick={() => setMoving(true)} data-testid="move-in-open">
            {t('occupancy.moveIn')}
          </Button>
        ) : null}
      </Flex>
      <OccupancyList owner={{ kind: 'room', id: roomId }} show="person" canManage={canManage} />
      {canManage ? <MoveInDialog key={formKey(moving, null)} open={moving} onClose={() => setMoving(false)} communityId={communityId} roomId={roomId} /> : null}
    </Flex>
  );
}

export default RoomOccupancyPanel;
