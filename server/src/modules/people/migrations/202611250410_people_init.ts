import { sql } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';

/**
 * The registry's people side: persons (人员), their dated relations to rooms and parking spaces
 * (occupancy: owner, co-owner, family member, tenant), vehicles, move-in / move-out
 * checklists. Rooms, spaces and communities belong to the properties module: referenced by id.
 * Phone and ID number are stored only encrypted (`*_enc`) with a keyed blind index (`*_idx`).
 */
export const peopleInit: ModuleMigration = {
  name: '202611250410_people_init',
  async up(db, c) {
    await db.schema
      .createTable('persons')
      .addColumn('id', c.id, (col) => col.primaryKey())
      // A person is registered per community (业主档案 per 项目): the data-scope key.
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('kind', c.text, (col) => col.notNull())
      .addColumn('name', c.text, (col) => col.notNull())
      .addColumn('gender', c.text, (col) => col.notNull())
      .addColumn('phone_enc', c.text)
      .addColumn('phone_idx', c.text)
      .addColumn('id_type', c.text)
      .addColumn('id_number_enc', c.text)
      .addColumn('id_number_idx', c.text)
      .addColumn('email', c.text)
      .addColumn('emergency_contact', c.text)
      .addColumn('emergency_phone_enc', c.text)
      .addColumn('notes', c.text)
      // The portal account of this person, when they have one.
      .addColumn('user_id', c.id)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addUniqueConstraint('persons_id_number_unique', ['community_id', 'id_number_idx'])
      .execute();
    await db.schema.createIndex('persons_name').on('persons').columns(['name', 'id']).execute();
    await db.schema.createIndex('persons_community').on('persons').columns(['community_id', 'id']).execute();
    await db.schema.createIndex('persons_phone').on('persons').column('phone_idx').execute();
    await db.schema.createIndex('persons_id_number').on('persons').column('id_number_idx').execute();
    await db.schema.createIndex('persons_user').on('persons').column('user_id').execute();

    await db.schema
      .createTable('occupancies')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('person_id', c.id, (col) => col.notNull().references('persons.id'))
      // Exactly one of room_id / parking_space_id.
      .addColumn('room_id', c.id)
      .addColumn('parking_space_id', c.id)
      .addColumn('relation', c.text, (col) => col.notNull())
      .addColumn('primary_contact', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('moved_in_on', c.date, (col) => col.notNull())
      // Null while current. Moving out sets it; rows are never deleted (the room's history).
      .addColumn('moved_out_on', c.date)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addCheckConstraint('occupancies_one_target', sql`(room_id is null) <> (parking_space_id is null)`)
      .execute();
    await db.schema.createIndex('occupancies_room').on('occupancies').columns(['room_id', 'moved_out_on']).execute();
    await db.schema.createIndex('occupancies_space').on('occupancies').columns(['parking_space_id', 'moved_out_on']).execute();
    await db.schema.createIndex('occupancies_person').on('occupancies').columns(['person_id', 'moved_out_on']).execute();
    await db.schema.createIndex('occupancies_community').on('occupancies').columns(['community_id', 'relation', 'moved_in_on']).execute();

    await db.schema
      .createTable('vehicles')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      // Plates are unique in the organisation (one car, one registration).
      .addColumn('plate', c.text, (col) => col.notNull().unique())
      .addColumn('person_id', c.id, (col) => col.references('persons.id'))
      .addColumn('parking_space_id', c.id)
      .addColumn('brand', c.text)
      .addColumn('color', c.text)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('vehicles_person').on('vehicles').column('person_id').execute();
    await db.schema.createIndex('vehicles_community').on('vehicles').columns(['community_id', 'id']).execute();

    await db.schema
      .createTable('move_checklists')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('room_id', c.id, (col) => col.notNull())
      .addColumn('person_id', c.id, (col) => col.notNull().references('persons.id'))
      .addColumn('occupancy_id', c.id, (col) => col.references('occupancies.id'))
      .addColumn('kind', c.text, (col) => col.notNull())
      // JSON array of { key, label, done, note }.
      .addColumn('items', c.text, (col) => col.notNull())
      .addColumn('state', c.text, (col) => col.notNull())
      .addColumn('completed_by', c.id)
      .addColumn('completed_at', c.instant)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('move_checklists_room').on('move_checklists').columns(['room_id', 'id']).execute();
  },
};
