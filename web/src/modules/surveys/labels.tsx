import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SurveyState } from '@courtyard/contracts';

const STATE_COLOR: Record<SurveyState, string> = { draft: 'default', published: 'green', closed: 'purple' };

export function SurveyStateTag({ state }: { state: SurveyState }) {
  const { t } = useTranslation('surveys');
  return (
    <Tag color={STATE_COLOR[state]} data-testid="survey-state">
      {t(`state.${state}`)}
    </Tag>
  );
}
