import { useState } from 'react';
import { Button, Space, Typography } from 'antd';
import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useApiError } from './useApiError';

export interface MaskedTextProps {
  /** The value as the server sent it: masked (138****1234) unless the viewer may reveal it. */
  value: string | null | undefined;
  /** When given, a "show" button asks the server for the clear value (each reveal is audited). */
  onReveal?: () => Promise<string>;
}

/** Personal data such as phone and ID numbers, shown masked with an optional audited reveal. */
export function MaskedText({ value, onReveal }: MaskedTextProps) {
  const { t } = useTranslation();
  const showError = useApiError();
  const [revealed, setRevealed] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  if (!value) return <Typography.Text type="secondary">{t('masked.empty')}</Typography.Text>;
  const reveal = async () => {
    if (!onReveal) return;
    setLoading(true);
    try {
      setRevealed(await onReveal());
    } catch (error) {
      showError(error);
    } finally {
      setLoading(false);
    }
  };
  return (
    <Space size={4}>
      <Typography.Text style={{ fontVariantNumeric: 'tabular-nums' }}>{revealed ?? value}</Typography.Text>
      {onReveal ? (
        <Button
          size="small"
          type="link"
          data-testid="masked-reveal"
          loading={loading}
          icon={revealed ? <EyeInvisibleOutlined /> : <EyeOutlined />}
          aria-label={revealed ? t('masked.hide') : t('masked.reveal')}
          onClick={() => (revealed ? setRevealed(null) : void reveal())}
        />
      ) : null}
    </Space>
  );
}
