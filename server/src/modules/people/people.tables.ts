export type PersonKind = 'individual' | 'company';
export type Gender = 'male' | 'female' | 'unknown';
export type IdType = 'resident_id' | 'passport' | 'hk_macau_permit' | 'taiwan_permit' | 'foreign_permanent' | 'business_licence' | 'other';
export type Relation = 'owner' | 'co_owner' | 'family_member' | 'tenant';
export type MoveKind = 'move_in' | 'move_out';

export interface PersonTable {
  id: string;
  community_id: string;
  kind: PersonKind;
  name: string;
  gender: Gender;
  /** Field-encrypted (core/crypto/field.ts); `*_idx` is the keyed blind index for exact search. */
  phone_enc: string | null;
  phone_idx: string | null;
  id_type: IdType | null;
  id_number_enc: string | null;
  id_number_idx: string | null;
  email: string | null;
  emergency_contact: string | null;
  emergency_phone_enc: string | null;
  notes: string | null;
  user_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface OccupancyTable {
  id: string;
  community_id: string;
  person_id: string;
  room_id: string | null;
  parking_space_id: string | null;
  relation: Relation;
  primary_contact: number;
  moved_in_on: string;
  moved_out_on: string | null;
  created_at: string;
  updated_at: string;
}

export interface VehicleTable {
  id: string;
  community_id: string;
  plate: string;
  person_id: string | null;
  parking_space_id: string | null;
  brand: string | null;
  color: string | null;
  created_at: string;
  updated_at: string;
}

export interface MoveChecklistTable {
  id: string;
  community_id: string;
  room_id: string;
  person_id: string;
  occupancy_id: string | null;
  kind: MoveKind;
  items: string;
  state: 'open' | 'completed';
  completed_by: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
}

declare module '../../core/db/schema.js' {
  interface Database {
    persons: PersonTable;
    occupancies: OccupancyTable;
    vehicles: VehicleTable;
    move_checklists: MoveChecklistTable;
  }
}
