import { Empty, Flex, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PropertyTree, RoomState } from '@courtyard/contracts';
import { ROOM_STATES, ROOM_STATE_STYLE } from './registry';

export type TreeRoom = PropertyTree['buildings'][number]['units'][number]['rooms'][number];

/** Rooms per state, every state present (zero when none). */
export function countByState(rooms: readonly { state: RoomState }[]): Record<RoomState, number> {
  const counts = Object.fromEntries(ROOM_STATES.map((s) => [s, 0])) as Record<RoomState, number>;
  for (const room of rooms) counts[room.state] += 1;
  return counts;
}

/** The colour legend with the number of rooms in each state. */
export function StateLegend({ rooms }: { rooms: readonly { state: RoomState }[] }) {
  const { t } = useTranslation('properties');
  const counts = countByState(rooms);
  return (
    <Flex wrap gap={12} align="center" data-testid="state-legend">
      {ROOM_STATES.map((state) => (
        <Flex key={state} align="center" gap={6} data-testid={`legend-${state}`}>
          <span
            aria-hidden
            style={{
              display: 'inline-block',
              width: 14,
              height: 14,
              borderRadius: 3,
              background: ROOM_STATE_STYLE[state].background,
              border: `1px solid ${ROOM_STATE_STYLE[state].border}`,
            }}
          />
          <Typography.Text>{t(`roomState.${state}`)}</Typography.Text>
          <Typography.Text strong style={{ fontVariantNumeric: 'tabular-nums' }}>
            {counts[state]}
          </Typography.Text>
        </Flex>
      ))}
      <Typography.Text type="secondary">{t('tree.total', { count: rooms.length })}</Typography.Text>
    </Flex>
  );
}

function byNumber(a: TreeRoom, b: TreeRoom): number {
  return a.number.localeCompare(b.number, undefined, { numeric: true });
}

/**
 * 楼盘表: one row per floor (top floor first, as the building stands), one cell per room,
 * coloured by state. Wide units scroll sideways inside the card instead of widening the page.
 */
export function RoomGrid({ rooms, onOpen, compact = false }: { rooms: readonly TreeRoom[]; onOpen: (room: TreeRoom) => void; compact?: boolean }) {
  const { t } = useTranslation('properties');
  if (rooms.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tree.noRooms')} />;
  const floors = new Map<number, TreeRoom[]>();
  for (const room of rooms) floors.set(room.floor, [...(floors.get(room.floor) ?? []), room]);
  const ordered = [...floors.entries()].sort((a, b) => b[0] - a[0]);
  return (
    <div style={{ overflowX: 'auto', paddingBottom: 4 }} data-testid="room-grid">
      <table style={{ borderCollapse: 'separate', borderSpacing: compact ? 4 : 6 }}>
        <tbody>
          {ordered.map(([floor, list]) => (
            <tr key={floor} data-testid={`grid-floor-${floor}`}>
              <th scope="row" style={{ textAlign: 'right', paddingInlineEnd: compact ? 2 : 6, fontWeight: 500, whiteSpace: 'nowrap', color: 'rgba(0,0,0,0.45)' }}>
                {t('tree.floor', { floor })}
              </th>
              {list.sort(byNumber).map((room) => {
                const style = ROOM_STATE_STYLE[room.state];
                return (
                  <td key={room.id} style={{ padding: 0 }}>
                    <Tooltip title={`${room.code} · ${t(`roomState.${room.state}`)} · ${t(`roomUse.${room.use}`)}`}>
                      <button
                        type="button"
                        onClick={() => onOpen(room)}
                        data-testid={`room-cell-${room.code}`}
                        data-state={room.state}
                        aria-label={`${room.code} ${t(`roomState.${room.state}`)}`}
                        style={{
                          minWidth: compact ? 50 : 64,
                          height: compact ? 36 : 40,
                          padding: compact ? '0 4px' : '0 8px',
                          border: `1px solid ${style.border}`,
                          borderRadius: 6,
                          background: style.background,
                          color: '#1f1f1f',
                          fontVariantNumeric: 'tabular-nums',
                          fontWeight: 500,
                          cursor: 'pointer',
                        }}
                      >
                        {room.number}
                      </button>
                    </Tooltip>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
