export type CommunityType = 'residential' | 'commercial' | 'office' | 'mall' | 'mixed';
export type RoomUse = 'residence' | 'shop' | 'office' | 'garage' | 'storage';
export type RoomState = 'unsold' | 'vacant' | 'occupied' | 'renovating' | 'rented';
export type ParkingLotKind = 'underground' | 'surface' | 'building';
export type ParkingTenure = 'owned' | 'rented' | 'temporary';
export type ParkingSpaceState = 'vacant' | 'occupied' | 'unavailable';
export type RenovationState = 'submitted' | 'approved' | 'rejected' | 'in_progress' | 'completed' | 'failed_inspection' | 'cancelled';
export type DepositState = 'none' | 'due' | 'collected' | 'released' | 'forfeited';

export type TagKind = 'system' | 'free' | 'derived';
export type TaggedEntity = 'person' | 'room';

export interface CommunityTable {
  id: string;
  code: string;
  name: string;
  address: string;
  type: CommunityType;
  phone: string | null;
  /** Square decimetres (0.01 m²), exact. */
  total_area_dm2: number | null;
  green_area_dm2: number | null;
  manager_user_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface BuildingTable {
  id: string;
  community_id: string;
  code: string;
  name: string;
  floors: number | null;
  created_at: string;
  updated_at: string;
}

export interface UnitTable {
  id: string;
  community_id: string;
  building_id: string;
  code: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface RoomTable {
  id: string;
  community_id: string;
  building_id: string;
  unit_id: string;
  number: string;
  /** building-unit-number, e.g. 3-2-1502 */
  code: string;
  /** Natural-order key of the code (room-order.ts): what the rooms list sorts and pages by. */
  sort_key: string;
  floor: number;
  building_area_dm2: number;
  inner_area_dm2: number | null;
  use: RoomUse;
  state: RoomState;
  delivered_on: string | null;
  created_at: string;
  updated_at: string;
}

export interface ParkingLotTable {
  id: string;
  community_id: string;
  code: string;
  name: string;
  kind: ParkingLotKind;
  created_at: string;
  updated_at: string;
}

export interface ParkingSpaceTable {
  id: string;
  community_id: string;
  parking_lot_id: string;
  number: string;
  tenure: ParkingTenure;
  area_dm2: number | null;
  state: ParkingSpaceState;
  created_at: string;
  updated_at: string;
}

export interface RenovationTable {
  id: string;
  community_id: string;
  room_id: string;
  applicant_person_id: string | null;
  contractor: string;
  contractor_phone_enc: string | null;
  description: string;
  starts_on: string;
  ends_on: string;
  deposit_cents: number;
  deposit_state: DepositState;
  state: RenovationState;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  inspected_by: string | null;
  inspected_at: string | null;
  inspection_note: string | null;
  /** The room's state to return to when the works end (set on start). */
  room_state_before: RoomState | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface TagTable {
  id: string;
  community_id: string | null;
  code: string | null;
  name: string;
  kind: TagKind;
  color: string;
  created_at: string;
}

export interface TaggingTable {
  tag_id: string;
  entity_type: TaggedEntity;
  entity_id: string;
  community_id: string;
  created_by: string | null;
  created_at: string;
}

declare module '../../core/db/schema.js' {
  interface Database {
    communities: CommunityTable;
    buildings: BuildingTable;
    units: UnitTable;
    rooms: RoomTable;
    parking_lots: ParkingLotTable;
    parking_spaces: ParkingSpaceTable;
    renovations: RenovationTable;
    tags: TagTable;
    taggings: TaggingTable;
  }
}
