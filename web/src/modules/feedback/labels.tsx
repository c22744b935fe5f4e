import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FeedbackCategory, FeedbackState } from '@courtyard/contracts';

export const CATEGORIES: FeedbackCategory[] = ['function', 'operation', 'security', 'other'];
export const STATES: FeedbackState[] = ['new', 'in_triage', 'answered', 'closed'];
const STATE_COLOR: Record<FeedbackState, string> = { new: 'blue', in_triage: 'orange', answered: 'green', closed: 'default' };

export function FeedbackStateTag({ state }: { state: FeedbackState }) {
  const { t } = useTranslation('feedback');
  return <Tag color={STATE_COLOR[state]}>{t(`state.${state}`)}</Tag>;
}
