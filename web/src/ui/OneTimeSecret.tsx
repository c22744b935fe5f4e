import { Alert, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export interface OneTimeSecretProps {
  /** Warning shown above the values (e.g. "shown only this once"). */
  warning: string;
  values: string[];
  /** Label of the copy button. */
  copyLabel?: string;
  testId?: string;
}

/** Values the server returns once (initial passwords, recovery codes): a warning, the values and a copy button. */
export function OneTimeSecret({ warning, values, copyLabel, testId }: OneTimeSecretProps) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={12}>
      <Alert type="warning" showIcon title={warning} />
      <div
        data-testid={testId}
        style={{
          display: 'grid',
          gridTemplateColumns: values.length > 1 ? 'repeat(auto-fill, minmax(200px, 1fr))' : '1fr',
          gap: 8,
          padding: 12,
          borderRadius: 8,
          background: 'rgba(0, 0, 0, 0.04)',
          fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
          fontSize: 15,
          wordBreak: 'break-all',
        }}
      >
        {values.map((value) => (
          <code key={value} data-testid={testId ? `${testId}-item` : undefined}>
            {value}
          </code>
        ))}
      </div>
      <Typography.Text
        copyable={{
          text: values.join('\n'),
          tooltips: [copyLabel ?? t('actions.copy'), t('actions.copied')],
        }}
      >
        {copyLabel ?? t('actions.copy')}
      </Typography.Text>
    </Flex>
  );
}
