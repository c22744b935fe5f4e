import type { FastifyReply, FastifyRequest } from 'fastify';
import type { NotificationsService } from './notifications.service.js';

/**
 * Live unread counts over Server-Sent Events. One stream per open browser tab: `event: unread`
 * with `{ count }` at connect and whenever the count changes, a heartbeat comment every 25 s
 * (proxies close silent connections), and the end of the stream when the session ends.
 */
export interface UnreadStreams {
  open(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Ends every open stream (server shutdown: open streams must not hold the drain up). */
  closeAll(): void;
  /** Open streams (tests, metrics). */
  size(): number;
}

interface Stream {
  userId: string;
  sessionId: string | null;
  /** The count last sent; -1 before the first. */
  last: number;
  write(chunk: string): void;
  end(): void;
}

export interface StreamOptions {
  heartbeatMs?: number;
  /** Is the session behind a stream still valid (not signed out, revoked, timed out)? */
  sessionAlive(sessionId: string): Promise<boolean>;
}

export function createUnreadStreams(notifications: Pick<NotificationsService, 'unreadCount' | 'onUnreadChange'>, options: StreamOptions): UnreadStreams {
  const heartbeatMs = options.heartbeatMs ?? 25_000;
  const byUser = new Map<string, Set<Stream>>();
  let unsubscribe: (() => void) | undefined;
  // Per user: a refresh is running / another one was asked for meanwhile. Counts are read one
  // after the other, so an older count can never overtake a newer one.
  const running = new Set<string>();
  const pending = new Set<string>();

  async function refresh(userId: string): Promise<void> {
    if (running.has(userId)) {
      pending.add(userId);
      return;
    }
    running.add(userId);
    try {
      do {
        pending.delete(userId);
        const streams = byUser.get(userId);
        if (!streams?.size) break;
        const count = await notifications.unreadCount(userId);
        for (const s of byUser.get(userId) ?? []) {
          if (s.last === count) continue;
          s.last = count;
          s.write(`event: unread\ndata: ${JSON.stringify({ count })}\n\n`);
        }
      } while (pending.has(userId));
    } catch {
      // The database is unreachable for a moment: the next change or reconnect catches up.
    } finally {
      running.delete(userId);
    }
  }

  function ensureSubscribed() {
    unsubscribe ??= notifications.onUnreadChange((userIds) => {
      for (const id of userIds === 'all' ? [...byUser.keys()] : userIds) if (byUser.has(id)) void refresh(id);
    });
  }

  function remove(stream: Stream) {
    const set = byUser.get(stream.userId);
    set?.delete(stream);
    if (set && set.size === 0) byUser.delete(stream.userId);
    if (byUser.size === 0 && unsubscribe) {
      unsubscribe();
      unsubscribe = undefined;
    }
  }

  return {
    async open(request, reply) {
      const userId = request.ctx.actor.userId;
      if (!userId) return;
      const res = reply.raw;
      // The security headers set by the hooks so far, then the stream's own.
      const headers: Record<string, string | number | string[]> = {};
      for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v;
      reply.hijack();
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store, no-transform',
        connection: 'keep-alive',
        // nginx: do not buffer the stream.
        'x-accel-buffering': 'no',
      });
      let ended = false;
      const stream: Stream = {
        userId,
        sessionId: request.ctx.sessionId,
        last: -1,
        write(chunk) {
          if (!ended) res.write(chunk);
        },
        end() {
          if (ended) return;
          ended = true;
          clearInterval(timer);
          remove(stream);
          res.end();
        },
      };
      const timer = setInterval(() => {
        stream.write(': heartbeat\n\n');
        // Also re-read the count: a change made by a process this one cannot hear (several
        // processes on one SQLite file) reaches the badge within one heartbeat.
        void refresh(userId);
        // Signing out, revocation and the session's timeouts end the stream.
        if (stream.sessionId) {
          options.sessionAlive(stream.sessionId).then(
            (alive) => {
              if (!alive) stream.end();
            },
            () => undefined,
          );
        }
      }, heartbeatMs);
      timer.unref();
      request.raw.on('close', () => stream.end());
      res.on('close', () => stream.end());
      // Reconnect after 5 s when the connection drops.
      res.write('retry: 5000\n\n');
      const set = byUser.get(userId) ?? new Set<Stream>();
      set.add(stream);
      byUser.set(userId, set);
      ensureSubscribed();
      await refresh(userId);
    },
    closeAll() {
      for (const set of [...byUser.values()]) for (const s of [...set]) s.end();
    },
    size() {
      let n = 0;
      for (const set of byUser.values()) n += set.size;
      return n;
    },
  };
}
