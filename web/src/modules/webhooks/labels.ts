import { EVENT_TYPES, isEventType, type Locale, type WebhookEventTypeInfo } from '@courtyard/contracts';

/** An event type's label in the UI language: from the server's catalogue when given, else the bundled one. */
export function eventTypeLabel(code: string, locale: Locale, fromServer?: WebhookEventTypeInfo[]): string {
  const entry = fromServer?.find((e) => e.code === code) ?? (isEventType(code) ? EVENT_TYPES[code] : undefined);
  if (!entry) return code;
  return locale === 'en-US' ? entry.en : entry.zh;
}
