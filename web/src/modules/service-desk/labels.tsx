import { Tag, Tooltip } from 'antd';
import { ClockCircleOutlined, PauseCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { RequestPriority, RequestState, SlaStatus } from '@courtyard/contracts';
import { formatDateTimeShort } from '../../ui/format';

export const STATE_COLOR: Record<RequestState, string> = {
  submitted: 'blue',
  accepted: 'cyan',
  rejected: 'default',
  dispatched: 'geekblue',
  in_progress: 'processing',
  paused: 'warning',
  waiting_parts: 'orange',
  resolved: 'green',
  confirmed: 'success',
  closed: 'default',
  cancelled: 'default',
};

/** The kanban's columns: open states in workflow order (finished ones are history, not work). */
export const BOARD_STATES: readonly RequestState[] = ['submitted', 'accepted', 'dispatched', 'in_progress', 'paused', 'waiting_parts', 'resolved', 'confirmed'];

export const PRIORITY_COLOR: Record<RequestPriority, string> = { low: 'default', normal: 'blue', high: 'orange', urgent: 'red' };

export function StateTag({ state }: { state: RequestState }) {
  const { t } = useTranslation('serviceDesk');
  return (
    <Tag color={STATE_COLOR[state]} style={{ marginInlineEnd: 0 }} data-testid="request-state">
      {t(`state.${state}`)}
    </Tag>
  );
}

export function PriorityTag({ priority }: { priority: RequestPriority }) {
  const { t } = useTranslation('serviceDesk');
  return (
    <Tag color={PRIORITY_COLOR[priority]} style={{ marginInlineEnd: 0 }}>
      {t(`priority.${priority}`)}
    </Tag>
  );
}

/** Business minutes → "2 小时 5 分" / "2 h 5 min" (days of 24 h are not meaningful in business time). */
export function useMinutes(): (minutes: number) => string {
  const { t } = useTranslation('serviceDesk');
  return (minutes: number) => {
    const abs = Math.abs(Math.round(minutes));
    const h = Math.floor(abs / 60);
    const m = abs % 60;
    return h > 0 ? t('minutes.hm', { h, m }) : t('minutes.m', { m });
  };
}

/** Time left on the running limit; red once overdue, grey while paused (the clock is stopped). */
export function SlaTag({ sla }: { sla: SlaStatus | null }) {
  const { t } = useTranslation('serviceDesk');
  const minutes = useMinutes();
  if (!sla) return null;
  const stage = t(`slaStage.${sla.stage}`);
  const text = sla.overdue ? t('sla.overdue', { stage, time: minutes(sla.remainingMinutes) }) : t('sla.left', { stage, time: minutes(sla.remainingMinutes) });
  const color = sla.paused ? 'default' : sla.overdue ? 'red' : sla.remainingMinutes <= sla.limitMinutes * 0.2 ? 'orange' : 'green';
  return (
    <Tooltip title={sla.dueAt ? t('sla.due', { at: formatDateTimeShort(sla.dueAt) }) : t('sla.paused')}>
      <Tag color={color} icon={sla.paused ? <PauseCircleOutlined /> : <ClockCircleOutlined />} style={{ marginInlineEnd: 0 }} data-testid={sla.overdue ? 'sla-overdue' : 'sla-left'}>
        {text}
      </Tag>
    </Tooltip>
  );
}
