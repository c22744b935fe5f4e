import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, Nullable } from './common.js';

/**
 * Registry — property side (基础资料): communities → buildings → units → rooms, parking lots and
 * spaces, renovation applications. Areas travel as exact decimal strings of square metres
 * ("89.50"); the database keeps integer square decimetres (`*_dm2`).
 */
export const Area = Type.String({ pattern: '^\\d{1,9}(\\.\\d{1,2})?$', description: 'Square metres with at most two decimals, e.g. "89.50"' });
export const DateOnly = Type.String({ format: 'date', description: 'Calendar date YYYY-MM-DD' });

export const CommunityType = Type.Union([
  Type.Literal('residential'),
  Type.Literal('commercial'),
  Type.Literal('office'),
  Type.Literal('mall'),
  Type.Literal('mixed'),
]);
export type CommunityType = Static<typeof CommunityType>;

export const Community = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  address: Type.String(),
  type: CommunityType,
  phone: Nullable(Type.String()),
  totalArea: Nullable(Area),
  greenArea: Nullable(Area),
  managerUserId: Nullable(Id),
  createdAt: Instant,
});
export type Community = Static<typeof Community>;
export const CommunityList = Type.Object({ items: Type.Array(Community) });

export const RoomUse = Type.Union([Type.Literal('residence'), Type.Literal('shop'), Type.Literal('office'), Type.Literal('garage'), Type.Literal('storage')]);
export type RoomUse = Static<typeof RoomUse>;
export const RoomState = Type.Union([Type.Literal('unsold'), Type.Literal('vacant'), Type.Literal('occupied'), Type.Literal('renovating'), Type.Literal('rented')]);
export type RoomState = Static<typeof RoomState>;
export const ParkingLotKind = Type.Union([Type.Literal('underground'), Type.Literal('surface'), Type.Literal('building')]);
export const ParkingTenure = Type.Union([Type.Literal('owned'), Type.Literal('rented'), Type.Literal('temporary')]);
export type ParkingTenure = Static<typeof ParkingTenure>;
export const ParkingSpaceState = Type.Union([Type.Literal('vacant'), Type.Literal('occupied'), Type.Literal('unavailable')]);

export const Building = Type.Object({
  id: Id,
  communityId: Id,
  code: Type.String(),
  name: Type.String(),
  floors: Nullable(Type.Integer()),
  createdAt: Instant,
});
export type Building = Static<typeof Building>;

export const Unit = Type.Object({ id: Id, communityId: Id, buildingId: Id, code: Type.String(), name: Type.String() });
export type Unit = Static<typeof Unit>;

export const Room = Type.Object({
  id: Id,
  communityId: Id,
  buildingId: Id,
  unitId: Id,
  number: Type.String(),
  /** building-unit-number, e.g. "3-2-1502" */
  code: Type.String(),
  floor: Type.Integer(),
  buildingArea: Area,
  innerArea: Nullable(Area),
  use: RoomUse,
  state: RoomState,
  deliveredOn: Nullable(DateOnly),
  createdAt: Instant,
});
export type Room = Static<typeof Room>;

export const ParkingLot = Type.Object({ id: Id, communityId: Id, code: Type.String(), name: Type.String(), kind: ParkingLotKind });
export type ParkingLot = Static<typeof ParkingLot>;

export const ParkingSpace = Type.Object({
  id: Id,
  communityId: Id,
  parkingLotId: Id,
  number: Type.String(),
  tenure: ParkingTenure,
  area: Nullable(Area),
  state: ParkingSpaceState,
});
export type ParkingSpace = Static<typeof ParkingSpace>;

export const TagKind = Type.Union([Type.Literal('system'), Type.Literal('free'), Type.Literal('derived')]);
export const TaggedEntity = Type.Union([Type.Literal('person'), Type.Literal('room')]);
/** 标签: free tags per community; system tags (特殊需求, 装修中, 无障碍设施需求, 独居老人) and derived tags (欠费, set by billing) organisation-wide. */
export const Tag = Type.Object({ id: Id, communityId: Nullable(Id), code: Nullable(Type.String()), name: Type.String(), kind: TagKind, color: Type.String() });
export type Tag = Static<typeof Tag>;

/** One node of the community → building → unit → room tree, with occupancy counts for colouring. */
export const TreeUnit = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  rooms: Type.Array(Type.Object({ id: Id, number: Type.String(), code: Type.String(), floor: Type.Integer(), state: RoomState, use: RoomUse })),
});
export const TreeBuilding = Type.Object({ id: Id, code: Type.String(), name: Type.String(), units: Type.Array(TreeUnit) });
export const PropertyTree = Type.Object({ communityId: Id, buildings: Type.Array(TreeBuilding) });
export type PropertyTree = Static<typeof PropertyTree>;

export const RenovationState = Type.Union([
  Type.Literal('submitted'),
  Type.Literal('approved'),
  Type.Literal('rejected'),
  Type.Literal('in_progress'),
  Type.Literal('completed'),
  Type.Literal('failed_inspection'),
  Type.Literal('cancelled'),
]);
export const DepositState = Type.Union([Type.Literal('none'), Type.Literal('due'), Type.Literal('collected'), Type.Literal('released'), Type.Literal('forfeited')]);
export const Renovation = Type.Object({
  id: Id,
  communityId: Id,
  roomId: Id,
  roomCode: Type.String(),
  applicantPersonId: Nullable(Id),
  contractor: Type.String(),
  /** Masked unless the caller may reveal personal data. */
  contractorPhone: Nullable(Type.String()),
  description: Type.String(),
  startsOn: DateOnly,
  endsOn: DateOnly,
  depositCents: Type.Integer({ minimum: 0 }),
  depositState: DepositState,
  state: RenovationState,
  decisionNote: Nullable(Type.String()),
  inspectionNote: Nullable(Type.String()),
  decidedAt: Nullable(Instant),
  inspectedAt: Nullable(Instant),
  createdAt: Instant,
});
export type Renovation = Static<typeof Renovation>;
