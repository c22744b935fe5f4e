import type { Kysely, Transaction } from 'kysely';

/**
 * The whole database's table types. Empty here: each module adds its own tables by declaration
 * merging in its `*.tables.ts`, so the core never imports a module.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Repositories take either, so the service decides the transaction boundary. */
export type Exec = Db | Tx;
