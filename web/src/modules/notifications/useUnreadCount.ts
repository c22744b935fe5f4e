import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { UnreadCount } from '@courtyard/contracts';
import { notificationKeys, notificationsApi } from './api';

const STREAM_URL = '/api/notifications/stream';
/** After the browser gives up on the stream (e.g. a 503 during a restart), try again this much later. */
const REOPEN_MS = 10_000;

/**
 * The signed-in user's unread in-app count, kept live: the server pushes `event: unread` over
 * Server-Sent Events (EventSource reconnects by itself after a dropped connection). The count lives
 * in the query cache, so marking messages read updates the badge at once too.
 */
export function useUnreadCount(enabled: boolean): number {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: notificationKeys.unread,
    queryFn: async ({ signal }) => (await notificationsApi.unreadCount(signal)).count,
    enabled,
    staleTime: Infinity,
  });

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      source = new EventSource(STREAM_URL, { withCredentials: true });
      source.addEventListener('unread', (event: MessageEvent<string>) => {
        const { count } = JSON.parse(event.data) as UnreadCount;
        const previous = client.getQueryData<number>(notificationKeys.unread);
        client.setQueryData(notificationKeys.unread, count);
        // Something new arrived: the open notification list must show it.
        if (previous !== undefined && count > previous) void client.invalidateQueries({ queryKey: ['notifications', 'inbox'] });
      });
      source.onerror = () => {
        // CONNECTING: the browser retries by itself. CLOSED: it gave up; start over later.
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          source.close();
          timer = setTimeout(open, REOPEN_MS);
        }
      };
    };
    open();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      source?.close();
    };
  }, [enabled, client]);

  return query.data ?? 0;
}
