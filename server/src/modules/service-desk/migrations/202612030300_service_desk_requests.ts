import { sql, type ColumnDefinitionBuilder } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';

/** States in which a request is still open: the board reads only these rows (partial indexes). */
/** Every operational row carries its community (the data-scope key). */
const community = (col: ColumnDefinitionBuilder) => col.notNull().references('communities.id');

const OPEN = sql.raw<boolean>(`state not in ('rejected', 'closed', 'cancelled')`);

/**
 * Service desk (服务申请): categories, teams and technicians, dispatch rules, time limits and
 * business calendar per community, requests with their timeline, and paid-repair charges.
 */
export const serviceDeskRequests: ModuleMigration = {
  name: '202612030300_service_desk_requests',
  async up(db, c) {
    await db.schema
      .createTable('service_categories')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, community)
      .addColumn('type', c.text, (col) => col.notNull())
      .addColumn('code', c.text, (col) => col.notNull())
      .addColumn('name', c.text, (col) => col.notNull())
      .addColumn('sort', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('active', c.int, (col) => col.notNull().defaultTo(1))
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addUniqueConstraint('service_categories_code', ['community_id', 'type', 'code'])
      .execute();

    await db.schema
      .createTable('service_teams')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, community)
      .addColumn('name', c.text, (col) => col.notNull())
      .addColumn('supervisor_user_id', c.id, (col) => col.references('users.id'))
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('service_teams_community').on('service_teams').columns(['community_id', 'name']).execute();

    await db.schema
      .createTable('service_technicians')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, community)
      .addColumn('user_id', c.id, (col) => col.notNull().references('users.id'))
      .addColumn('name', c.text, (col) => col.notNull())
      .addColumn('on_duty', c.int, (col) => col.notNull().defaultTo(1))
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      // One technician record per account and community.
      .addUniqueConstraint('service_technicians_user', ['user_id', 'community_id'])
      .execute();
    await db.schema.createIndex('service_technicians_community').on('service_technicians').columns(['community_id', 'name']).execute();

    await db.schema
      .createTable('service_team_members')
      .addColumn('team_id', c.id, (col) => col.notNull().references('service_teams.id'))
      .addColumn('technician_id', c.id, (col) => col.notNull().references('service_technicians.id'))
      .addColumn('community_id', c.id, community)
      .addPrimaryKeyConstraint('service_team_members_pk', ['team_id', 'technician_id'])
      .execute();
    await db.schema.createIndex('service_team_members_technician').on('service_team_members').column('technician_id').execute();

    await db.schema
      .createTable('service_technician_skills')
      .addColumn('technician_id', c.id, (col) => col.notNull().references('service_technicians.id'))
      .addColumn('category_id', c.id, (col) => col.notNull().references('service_categories.id'))
      .addColumn('community_id', c.id, community)
      .addPrimaryKeyConstraint('service_technician_skills_pk', ['technician_id', 'category_id'])
      .execute();
    await db.schema.createIndex('service_technician_skills_category').on('service_technician_skills').column('category_id').execute();

    await db.schema
      .createTable('service_dispatch_rules')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, community)
      .addColumn('category_id', c.id, (col) => col.references('service_categories.id'))
      .addColumn('team_id', c.id, (col) => col.notNull().references('service_teams.id'))
      .addColumn('strategy', c.text, (col) => col.notNull())
      .addColumn('last_technician_id', c.id)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('service_dispatch_rules_community').on('service_dispatch_rules').columns(['community_id', 'category_id']).execute();

    await db.schema
      .createTable('service_sla_policies')
      .addColumn('community_id', c.id, community)
      .addColumn('type', c.text, (col) => col.notNull())
      .addColumn('priority', c.text, (col) => col.notNull())
      .addColumn('accept_minutes', c.int, (col) => col.notNull())
      .addColumn('arrive_minutes', c.int, (col) => col.notNull())
      .addColumn('resolve_minutes', c.int, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addPrimaryKeyConstraint('service_sla_policies_pk', ['community_id', 'type', 'priority'])
      .execute();

    await db.schema
      .createTable('service_desk_settings')
      .addColumn('community_id', c.id, (col) => col.primaryKey().references('communities.id'))
      .addColumn('week', c.text, (col) => col.notNull())
      .addColumn('utc_offset_minutes', c.int, (col) => col.notNull())
      .addColumn('auto_close_hours', c.int, (col) => col.notNull())
      .addColumn('warn_at_percent', c.int, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('service_holidays')
      .addColumn('community_id', c.id, community)
      .addColumn('on', c.date, (col) => col.notNull())
      .addColumn('kind', c.text, (col) => col.notNull())
      .addColumn('name', c.text, (col) => col.notNull())
      .addPrimaryKeyConstraint('service_holidays_pk', ['community_id', 'on'])
      .execute();

    await db.schema
      .createTable('service_request_counters')
      .addColumn('community_id', c.id, community)
      .addColumn('prefix', c.text, (col) => col.notNull())
      .addColumn('year', c.int, (col) => col.notNull())
      .addColumn('last_number', c.int, (col) => col.notNull())
      .addPrimaryKeyConstraint('service_request_counters_pk', ['community_id', 'prefix', 'year'])
      .execute();

    await db.schema
      .createTable('service_requests')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, community)
      .addColumn('number', c.text, (col) => col.notNull())
      .addColumn('type', c.text, (col) => col.notNull())
      .addColumn('category_id', c.id, (col) => col.references('service_categories.id'))
      .addColumn('room_id', c.id, (col) => col.references('rooms.id'))
      .addColumn('location', c.text, (col) => col.notNull())
      .addColumn('description', c.text, (col) => col.notNull())
      .addColumn('contact_name', c.text)
      .addColumn('contact_phone_enc', c.text)
      .addColumn('preferred_from', c.instant)
      .addColumn('preferred_to', c.instant)
      .addColumn('priority', c.text, (col) => col.notNull())
      .addColumn('channel', c.text, (col) => col.notNull())
      .addColumn('state', c.text, (col) => col.notNull())
      .addColumn('version', c.int, (col) => col.notNull())
      .addColumn('requester_user_id', c.id, (col) => col.references('users.id'))
      .addColumn('created_by', c.id)
      .addColumn('team_id', c.id, (col) => col.references('service_teams.id'))
      .addColumn('technician_id', c.id, (col) => col.references('service_technicians.id'))
      .addColumn('reject_reason', c.text)
      .addColumn('pause_reason', c.text)
      .addColumn('result', c.text)
      .addColumn('lines', c.text, (col) => col.notNull())
      .addColumn('cost_cents', c.cents, (col) => col.notNull())
      .addColumn('rating', c.int)
      .addColumn('rating_comment', c.text)
      .addColumn('reopen_count', c.int, (col) => col.notNull())
      .addColumn('accepted_at', c.instant)
      .addColumn('dispatched_at', c.instant)
      .addColumn('arrived_at', c.instant)
      .addColumn('resolved_at', c.instant)
      .addColumn('confirmed_at', c.instant)
      .addColumn('closed_at', c.instant)
      .addColumn('sla_accept_minutes', c.int)
      .addColumn('sla_arrive_minutes', c.int)
      .addColumn('sla_resolve_minutes', c.int)
      .addColumn('pauses', c.text, (col) => col.notNull())
      .addColumn('sla_stage', c.text)
      .addColumn('sla_due_at', c.instant)
      .addColumn('sla_warn_at', c.instant)
      .addColumn('warned_stage', c.text)
      .addColumn('escalated_stage', c.text)
      .addColumn('accept_met', c.int)
      .addColumn('arrive_met', c.int)
      .addColumn('resolve_met', c.int)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addUniqueConstraint('service_requests_number', ['community_id', 'number'])
      .execute();
    // The board: open requests of one community, newest first (ids are time-ordered). Open
    // requests are a small fraction of the history, so partial indexes keep the board's reads
    // proportional to the open work, not to the years of closed requests.
    await db.schema.createIndex('service_requests_open').on('service_requests').columns(['community_id', 'id']).where(OPEN).execute();
    await db.schema.createIndex('service_requests_open_due').on('service_requests').columns(['sla_due_at']).where(OPEN).execute();
    await db.schema.createIndex('service_requests_open_technician').on('service_requests').columns(['technician_id', 'id']).where(OPEN).execute();
    await db.schema.createIndex('service_requests_open_team').on('service_requests').columns(['team_id', 'id']).where(OPEN).execute();
    // History lists and the auto-close job.
    await db.schema.createIndex('service_requests_community').on('service_requests').columns(['community_id', 'state', 'id']).execute();
    await db.schema.createIndex('service_requests_room').on('service_requests').columns(['room_id', 'id']).execute();
    await db.schema.createIndex('service_requests_requester').on('service_requests').columns(['requester_user_id', 'id']).execute();
    await db.schema.createIndex('service_requests_resolved').on('service_requests').columns(['community_id', 'resolved_at']).execute();

    await db.schema
      .createTable('service_request_events')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, community)
      .addColumn('request_id', c.id, (col) => col.notNull().references('service_requests.id'))
      // The request's version after this entry: orders the timeline (several entries can share an instant).
      .addColumn('version', c.int, (col) => col.notNull())
      .addColumn('action', c.text, (col) => col.notNull())
      .addColumn('from_state', c.text)
      .addColumn('to_state', c.text, (col) => col.notNull())
      .addColumn('actor_user_id', c.id)
      .addColumn('actor_name', c.text, (col) => col.notNull())
      .addColumn('comment', c.text)
      .addColumn('at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('service_request_events_request').on('service_request_events').columns(['request_id', 'version']).execute();
    await c.appendOnly('service_request_events');

    await db.schema
      .createTable('service_charges')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, community)
      .addColumn('room_id', c.id, (col) => col.references('rooms.id'))
      .addColumn('request_id', c.id, (col) => col.notNull().references('service_requests.id'))
      .addColumn('lines', c.text, (col) => col.notNull())
      .addColumn('total_cents', c.cents, (col) => col.notNull())
      .addColumn('status', c.text, (col) => col.notNull())
      .addColumn('bill_id', c.id)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('service_charges_request').on('service_charges').column('request_id').execute();
    await db.schema.createIndex('service_charges_community').on('service_charges').columns(['community_id', 'status', 'id']).execute();
  },
};
