import { sql } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';

/**
 * The registry's property side: community details, buildings (楼栋) → units (单元) → rooms (房屋),
 * parking lots and spaces (车位), renovation applications (装修申请), tags (标签) on rooms and persons.
 * Areas are integers in square decimetres (`*_dm2`, 1 dm² = 0.01 m²): two decimals of m², exact.
 */
export const propertiesRegistry: ModuleMigration = {
  name: '202611250400_properties_registry',
  async up(db, c) {
    await db.schema.alterTable('communities').addColumn('total_area_dm2', sql`bigint`).execute();
    await db.schema.alterTable('communities').addColumn('green_area_dm2', sql`bigint`).execute();
    await db.schema.alterTable('communities').addColumn('manager_user_id', c.id).execute();

    await db.schema
      .createTable('buildings')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('code', c.text, (col) => col.notNull())
      .addColumn('name', c.text, (col) => col.notNull())
      .addColumn('floors', c.int)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addUniqueConstraint('buildings_code_unique', ['community_id', 'code'])
      .execute();

    await db.schema
      .createTable('units')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('building_id', c.id, (col) => col.notNull().references('buildings.id'))
      .addColumn('code', c.text, (col) => col.notNull())
      .addColumn('name', c.text, (col) => col.notNull())
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addUniqueConstraint('units_code_unique', ['building_id', 'code'])
      .execute();

    await db.schema
      .createTable('rooms')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('building_id', c.id, (col) => col.notNull().references('buildings.id'))
      .addColumn('unit_id', c.id, (col) => col.notNull().references('units.id'))
      .addColumn('number', c.text, (col) => col.notNull())
      // building-unit-number ("3-2-1502"): what staff type and say; unique in the community.
      .addColumn('code', c.text, (col) => col.notNull())
      .addColumn('floor', c.int, (col) => col.notNull())
      .addColumn('building_area_dm2', sql`bigint`, (col) => col.notNull())
      .addColumn('inner_area_dm2', sql`bigint`)
      .addColumn('use', c.text, (col) => col.notNull())
      .addColumn('state', c.text, (col) => col.notNull())
      .addColumn('delivered_on', c.date)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addUniqueConstraint('rooms_number_unique', ['unit_id', 'number'])
      .addUniqueConstraint('rooms_code_unique', ['community_id', 'code'])
      .execute();
    await db.schema.createIndex('rooms_building').on('rooms').columns(['building_id', 'code']).execute();
    await db.schema.createIndex('rooms_community_state').on('rooms').columns(['community_id', 'state', 'id']).execute();

    await db.schema
      .createTable('parking_lots')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('code', c.text, (col) => col.notNull())
      .addColumn('name', c.text, (col) => col.notNull())
      .addColumn('kind', c.text, (col) => col.notNull())
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addUniqueConstraint('parking_lots_code_unique', ['community_id', 'code'])
      .execute();

    await db.schema
      .createTable('parking_spaces')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('parking_lot_id', c.id, (col) => col.notNull().references('parking_lots.id'))
      .addColumn('number', c.text, (col) => col.notNull())
      .addColumn('tenure', c.text, (col) => col.notNull())
      .addColumn('area_dm2', sql`bigint`)
      .addColumn('state', c.text, (col) => col.notNull())
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addUniqueConstraint('parking_spaces_number_unique', ['parking_lot_id', 'number'])
      .execute();
    await db.schema.createIndex('parking_spaces_community').on('parking_spaces').columns(['community_id', 'id']).execute();

    await db.schema
      .createTable('renovations')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('room_id', c.id, (col) => col.notNull().references('rooms.id'))
      // A person of the people module (same layer; no foreign key across modules).
      .addColumn('applicant_person_id', c.id)
      .addColumn('contractor', c.text, (col) => col.notNull())
      .addColumn('contractor_phone_enc', c.text)
      .addColumn('description', c.text, (col) => col.notNull())
      .addColumn('starts_on', c.date, (col) => col.notNull())
      .addColumn('ends_on', c.date, (col) => col.notNull())
      .addColumn('deposit_cents', c.cents, (col) => col.notNull())
      .addColumn('deposit_state', c.text, (col) => col.notNull())
      .addColumn('state', c.text, (col) => col.notNull())
      .addColumn('decided_by', c.id)
      .addColumn('decided_at', c.instant)
      .addColumn('decision_note', c.text)
      .addColumn('inspected_by', c.id)
      .addColumn('inspected_at', c.instant)
      .addColumn('inspection_note', c.text)
      .addColumn('created_by', c.id)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('renovations_community').on('renovations').columns(['community_id', 'id']).execute();
    await db.schema.createIndex('renovations_room').on('renovations').columns(['room_id', 'id']).execute();

    // Tags classify rooms and persons (标签): free, system (特殊需求, 装修中 …) and derived (欠费, set by billing).
    await db.schema
      .createTable('tags')
      .addColumn('id', c.id, (col) => col.primaryKey())
      // Null for the organisation-wide system and derived tags.
      .addColumn('community_id', c.id, (col) => col.references('communities.id'))
      // Stable code of a system or derived tag (e.g. `arrears` for 欠费); null for free tags.
      .addColumn('code', c.text, (col) => col.unique())
      .addColumn('name', c.text, (col) => col.notNull())
      .addColumn('kind', c.text, (col) => col.notNull())
      .addColumn('color', c.text, (col) => col.notNull())
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addUniqueConstraint('tags_name_unique', ['community_id', 'name'])
      .execute();

    await db.schema
      .createTable('taggings')
      .addColumn('tag_id', c.id, (col) => col.notNull().references('tags.id'))
      .addColumn('entity_type', c.text, (col) => col.notNull())
      .addColumn('entity_id', c.id, (col) => col.notNull())
      .addColumn('community_id', c.id, (col) => col.notNull())
      .addColumn('created_by', c.id)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addPrimaryKeyConstraint('taggings_pk', ['tag_id', 'entity_type', 'entity_id'])
      .execute();
    await db.schema.createIndex('taggings_entity').on('taggings').columns(['entity_type', 'entity_id']).execute();

  },
};
