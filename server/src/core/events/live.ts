import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type pg from 'pg';
import { detachedFromTransaction, type Dialect } from '../db/database.js';
import type { Exec } from '../db/schema.js';

/** A small "something changed" signal, e.g. `{ topic: 'notifications.unread', data: { userIds } }`. */
export interface LiveMessage {
  topic: string;
  data: unknown;
}

export type LiveListener = (message: LiveMessage) => void;

/** Published after a PostgreSQL listener reconnected: anything may have changed meanwhile. */
export const LIVE_RESYNC = 'live.resync';

/**
 * Live pub/sub between server processes, for pushing changes to open browser streams (SSE).
 * It carries hints, never data that must not be lost: a listener re-reads the database.
 */
export interface Live {
  /**
   * Publishes as part of `exec` (a transaction or the database). On PostgreSQL it is a NOTIFY,
   * which PostgreSQL delivers to every listening process at commit and drops on rollback. On
   * SQLite (one process) listeners hear it at once; their queries queue behind the transaction on
   * the single connection, so they read the committed state (after a rollback: an unchanged one).
   */
  publish(exec: Exec, topic: string, data: unknown): Promise<void>;
  /** Listens in this process; returns the unsubscribe function. */
  subscribe(listener: LiveListener): () => void;
  /** Resolves once this process is listening (PostgreSQL: LISTEN issued on its own connection). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** NOTIFY payloads are limited to 8000 bytes. */
const MAX_PAYLOAD = 7900;
const RECONNECT_MS = 1000;

export function createLive(deps: { dialect: Dialect; channel: string; newClient?: () => pg.Client; log?: (msg: string, err?: unknown) => void }): Live {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const deliver = (message: LiveMessage) => {
    for (const listener of emitter.listeners('message') as LiveListener[]) {
      try {
        listener(message);
      } catch (err) {
        deps.log?.('live listener failed', err);
      }
    }
  };

  const pgMode = deps.dialect === 'postgres';
  if (pgMode && !deps.newClient) throw new Error('live pub/sub on PostgreSQL needs a client factory');
  if (!/^[a-z_][a-z0-9_]*$/.test(deps.channel)) throw new Error(`invalid live channel name ${deps.channel}`);

  let client: pg.Client | undefined;
  /** The client whose LISTEN succeeded (undefined while connecting or reconnecting). */
  let listeningClient: pg.Client | undefined;
  let listening: Promise<void> | undefined;
  let closed = false;
  let reconnectTimer: NodeJS.Timeout | undefined;

  /** One dedicated connection per process; reconnects after a failure and asks listeners to resync. */
  function listen(isReconnect = false): Promise<void> {
    const c = deps.newClient!();
    client = c;
    const retry = (err?: unknown) => {
      if (closed || client !== c) return;
      deps.log?.('live listener connection lost; reconnecting', err);
      client = undefined;
      if (listeningClient === c) listeningClient = undefined;
      c.removeAllListeners();
      c.on('error', () => undefined);
      void c.end().catch(() => undefined);
      reconnectTimer = setTimeout(() => {
        listening = listen(true).catch(() => undefined);
      }, RECONNECT_MS);
    };
    c.on('notification', (n) => {
      if (n.channel !== deps.channel || !n.payload) return;
      try {
        deliver(JSON.parse(n.payload) as LiveMessage);
      } catch (err) {
        deps.log?.('malformed live payload', err);
      }
    });
    c.on('error', retry);
    c.on('end', () => retry());
    return c
      .connect()
      .then(() => c.query(`listen ${deps.channel}`))
      .then(() => {
        listeningClient = c;
        if (isReconnect) deliver({ topic: LIVE_RESYNC, data: null });
      })
      .catch((err: unknown) => {
        retry(err);
        throw err;
      });
  }

  return {
    async publish(exec, topic, data) {
      const payload = JSON.stringify({ topic, data });
      if (Buffer.byteLength(payload) > MAX_PAYLOAD) throw new Error(`live payload over ${MAX_PAYLOAD} bytes (topic ${topic}); publish smaller batches`);
      if (pgMode) {
        await sql`select pg_notify(${deps.channel}, ${payload})`.execute(exec);
        return;
      }
      // Listeners get a copy, as they would from PostgreSQL; the publisher does not wait for them.
      detachedFromTransaction(() => deliver(JSON.parse(payload) as LiveMessage));
    },
    subscribe(listener) {
      emitter.on('message', listener);
      if (pgMode && !listening && !closed) listening = listen().catch(() => undefined);
      return () => {
        emitter.off('message', listener);
      };
    },
    async ready() {
      if (!pgMode) return;
      if (!listening && !closed) listening = listen().catch(() => undefined);
      // A failed first attempt schedules its own retry; wait for a connection that listens.
      for (let i = 0; i < 100 && !closed; i++) {
        await listening;
        if (listeningClient) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      if (!closed) throw new Error('live listener could not connect');
    },
    async close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      emitter.removeAllListeners();
      const c = client;
      client = undefined;
      listeningClient = undefined;
      if (c) {
        c.removeAllListeners();
        c.on('error', () => undefined);
        await c.end().catch(() => undefined);
      }
    },
  };
}
