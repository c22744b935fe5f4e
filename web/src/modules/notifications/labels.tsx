import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NotificationChannel, NotificationStatus } from '@courtyard/contracts';

const STATUS_COLOR: Record<NotificationStatus, string> = { queued: 'gold', sent: 'blue', delivered: 'green', failed: 'red' };

export function StatusTag({ status }: { status: NotificationStatus }) {
  const { t } = useTranslation('notifications');
  return (
    <Tag color={STATUS_COLOR[status]} data-testid={`status-${status}`}>
      {t(`status.${status}`)}
    </Tag>
  );
}

export function ChannelTag({ channel }: { channel: NotificationChannel }) {
  const { t } = useTranslation('notifications');
  return <Tag>{t(`channels.${channel}`)}</Tag>;
}

const KNOWN_TEMPLATES = ['system.test', 'identity.password_reset', 'identity.account_locked'] as const;
type KnownTemplate = (typeof KNOWN_TEMPLATES)[number];

/** The template's name in the UI language; codes added later by other modules show as the code. */
export function useTemplateName(): (code: string) => string {
  const { t } = useTranslation('notifications');
  return (code) => ((KNOWN_TEMPLATES as readonly string[]).includes(code) ? t(`templates.names.${code as KnownTemplate}`) : code);
}

/** `{{name}}` placeholders used by a template text. */
export function variablesOf(...texts: (string | null)[]): string[] {
  const names = new Set<string>();
  for (const text of texts) for (const m of (text ?? '').matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g)) names.add(m[1]!);
  return [...names];
}
