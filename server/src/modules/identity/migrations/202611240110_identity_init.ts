import type { ModuleMigration } from '../../../core/db/migrator.js';

export const identityInit: ModuleMigration = {
  name: '202611240110_identity_init',
  async up(db, c) {
    await db.schema
      .createTable('users')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('username', c.text, (col) => col.notNull().unique())
      .addColumn('display_name', c.text, (col) => col.notNull())
      .addColumn('kind', c.text, (col) => col.notNull())
      .addColumn('status', c.text, (col) => col.notNull())
      .addColumn('locale', c.text, (col) => col.notNull())
      .addColumn('password_hash', c.text, (col) => col.notNull())
      .addColumn('password_changed_at', c.instant, (col) => col.notNull())
      .addColumn('password_must_change', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('phone_enc', c.text)
      .addColumn('phone_idx', c.text)
      .addColumn('email', c.text)
      .addColumn('mfa_secret_enc', c.text)
      .addColumn('mfa_pending_secret_enc', c.text)
      .addColumn('mfa_enabled_at', c.instant)
      .addColumn('mfa_last_step', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('failed_sign_ins', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('locked_until', c.instant)
      .addColumn('last_sign_in_at', c.instant)
      .addColumn('authz_version', c.int, (col) => col.notNull().defaultTo(1))
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('users_phone_idx').on('users').column('phone_idx').execute();
    await db.schema.createIndex('users_kind').on('users').columns(['kind', 'username']).execute();

    await db.schema
      .createTable('password_history')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('user_id', c.id, (col) => col.notNull().references('users.id'))
      .addColumn('password_hash', c.text, (col) => col.notNull())
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('password_history_user').on('password_history').columns(['user_id', 'created_at']).execute();

    await db.schema
      .createTable('recovery_codes')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('user_id', c.id, (col) => col.notNull().references('users.id'))
      .addColumn('code_hash', c.text, (col) => col.notNull())
      .addColumn('used_at', c.instant)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('recovery_codes_user').on('recovery_codes').columns(['user_id', 'code_hash']).execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('token_hash', c.text, (col) => col.notNull().unique())
      .addColumn('user_id', c.id, (col) => col.notNull().references('users.id'))
      .addColumn('stage', c.text, (col) => col.notNull())
      .addColumn('csrf_token', c.text, (col) => col.notNull())
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('last_seen_at', c.instant, (col) => col.notNull())
      .addColumn('expires_at', c.instant, (col) => col.notNull())
      .addColumn('ip', c.text)
      .addColumn('user_agent', c.text)
      .addColumn('mfa_attempts', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('revoked_at', c.instant)
      .addColumn('revoked_reason', c.text)
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id', 'revoked_at']).execute();

    await db.schema
      .createTable('roles')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('code', c.text, (col) => col.notNull().unique())
      .addColumn('name', c.text, (col) => col.notNull())
      .addColumn('name_en', c.text)
      .addColumn('built_in', c.int, (col) => col.notNull())
      .addColumn('sensitive', c.int, (col) => col.notNull())
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('role_permissions')
      .addColumn('role_id', c.id, (col) => col.notNull().references('roles.id').onDelete('cascade'))
      .addColumn('permission', c.text, (col) => col.notNull())
      .addPrimaryKeyConstraint('role_permissions_pk', ['role_id', 'permission'])
      .execute();

    await db.schema
      .createTable('grants')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('user_id', c.id, (col) => col.notNull().references('users.id'))
      .addColumn('role_id', c.id, (col) => col.notNull().references('roles.id'))
      .addColumn('community_id', c.id)
      .addColumn('status', c.text, (col) => col.notNull())
      .addColumn('requested_by', c.id)
      .addColumn('decided_by', c.id)
      .addColumn('reason', c.text)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('decided_at', c.instant)
      .execute();
    await db.schema.createIndex('grants_user').on('grants').columns(['user_id', 'status']).execute();
    await db.schema.createIndex('grants_status').on('grants').columns(['status', 'id']).execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('user_id', c.id, (col) => col.notNull().references('users.id'))
      .addColumn('name', c.text, (col) => col.notNull())
      .addColumn('token_hash', c.text, (col) => col.notNull().unique())
      .addColumn('scopes_json', c.text, (col) => col.notNull())
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('last_used_at', c.instant)
      .addColumn('expires_at', c.instant)
      .addColumn('revoked_at', c.instant)
      .execute();
  },
};
