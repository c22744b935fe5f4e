import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, Nullable, Page, PageQuery } from './common.js';

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

// ---------------------------------------------------------------------------------------------
// Requests and list shapes of the property routes

/**
 * Building and unit codes and room numbers make up the room code "3-2-1502": no dash and no
 * whitespace inside them, so a room code always splits back into exactly one building, unit
 * and number (and two rooms can never share a code).
 */
export const RegistryCode = Type.String({ minLength: 1, maxLength: 20, pattern: '^[^\\s-]+$' });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Phone = Type.String({ minLength: 3, maxLength: 30, pattern: '^\\+?[0-9][0-9 -]*$' });
const Note = Type.String({ maxLength: 1000 });
const Floor = Type.Integer({ minimum: -20, maximum: 300 });

export const CreateCommunityBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 20, pattern: '^[A-Za-z0-9_]+$' }),
    name: Name,
    address: Type.String({ minLength: 1, maxLength: 200 }),
    type: CommunityType,
    phone: Type.Optional(Nullable(Phone)),
    totalArea: Type.Optional(Nullable(Area)),
    greenArea: Type.Optional(Nullable(Area)),
    managerUserId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);
export type CreateCommunityBody = Static<typeof CreateCommunityBody>;
export const UpdateCommunityBody = Type.Partial(CreateCommunityBody, { additionalProperties: false });
export type UpdateCommunityBody = Static<typeof UpdateCommunityBody>;

export const BuildingListQuery = Type.Object({ communityId: Id }, { additionalProperties: false });
export const BuildingList = Type.Object({ items: Type.Array(Building) });
export const CreateBuildingBody = Type.Object(
  { communityId: Id, code: RegistryCode, name: Name, floors: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 300 }))) },
  { additionalProperties: false },
);
export type CreateBuildingBody = Static<typeof CreateBuildingBody>;
export const UpdateBuildingBody = Type.Object(
  { code: Type.Optional(RegistryCode), name: Type.Optional(Name), floors: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 300 }))) },
  { additionalProperties: false },
);
export type UpdateBuildingBody = Static<typeof UpdateBuildingBody>;

export const UnitListQuery = Type.Object({ buildingId: Id }, { additionalProperties: false });
export const UnitList = Type.Object({ items: Type.Array(Unit) });
export const CreateUnitBody = Type.Object({ buildingId: Id, code: RegistryCode, name: Name }, { additionalProperties: false });
export type CreateUnitBody = Static<typeof CreateUnitBody>;
export const UpdateUnitBody = Type.Object({ code: Type.Optional(RegistryCode), name: Type.Optional(Name) }, { additionalProperties: false });
export type UpdateUnitBody = Static<typeof UpdateUnitBody>;

export const RoomListQuery = Type.Object(
  {
    communityId: Type.Optional(Id),
    buildingId: Type.Optional(Id),
    unitId: Type.Optional(Id),
    use: Type.Optional(RoomUse),
    state: Type.Optional(RoomState),
    tagId: Type.Optional(Id),
    /** Room code prefix: "3-2" finds every room of building 3, unit 2. */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type RoomListQuery = Static<typeof RoomListQuery>;
export const RoomPage = Page(Room);
export const RoomDetail = Type.Composite([Room, Type.Object({ communityName: Type.String(), buildingName: Type.String(), unitName: Type.String(), tags: Type.Array(Tag) })]);
export type RoomDetail = Static<typeof RoomDetail>;
export const CreateRoomBody = Type.Object(
  {
    unitId: Id,
    number: RegistryCode,
    floor: Floor,
    buildingArea: Area,
    innerArea: Type.Optional(Nullable(Area)),
    use: RoomUse,
    /** Defaults to vacant; `renovating` is set by renovations only. */
    state: Type.Optional(RoomState),
    deliveredOn: Type.Optional(Nullable(DateOnly)),
  },
  { additionalProperties: false },
);
export type CreateRoomBody = Static<typeof CreateRoomBody>;
export const UpdateRoomBody = Type.Object(
  {
    number: Type.Optional(RegistryCode),
    floor: Type.Optional(Floor),
    buildingArea: Type.Optional(Area),
    innerArea: Type.Optional(Nullable(Area)),
    use: Type.Optional(RoomUse),
    state: Type.Optional(RoomState),
    deliveredOn: Type.Optional(Nullable(DateOnly)),
  },
  { additionalProperties: false },
);
export type UpdateRoomBody = Static<typeof UpdateRoomBody>;

export const ParkingLotListQuery = Type.Object({ communityId: Id }, { additionalProperties: false });
export const ParkingLotList = Type.Object({ items: Type.Array(ParkingLot) });
export const CreateParkingLotBody = Type.Object({ communityId: Id, code: RegistryCode, name: Name, kind: ParkingLotKind }, { additionalProperties: false });
export type CreateParkingLotBody = Static<typeof CreateParkingLotBody>;
export const UpdateParkingLotBody = Type.Object(
  { code: Type.Optional(RegistryCode), name: Type.Optional(Name), kind: Type.Optional(ParkingLotKind) },
  { additionalProperties: false },
);
export type UpdateParkingLotBody = Static<typeof UpdateParkingLotBody>;

export const ParkingSpaceListQuery = Type.Object(
  {
    communityId: Type.Optional(Id),
    parkingLotId: Type.Optional(Id),
    tenure: Type.Optional(ParkingTenure),
    state: Type.Optional(ParkingSpaceState),
    /** Space number prefix. */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type ParkingSpaceListQuery = Static<typeof ParkingSpaceListQuery>;
export const ParkingSpaceRow = Type.Composite([ParkingSpace, Type.Object({ lotName: Type.String(), lotCode: Type.String() })]);
export type ParkingSpaceRow = Static<typeof ParkingSpaceRow>;
export const ParkingSpacePage = Page(ParkingSpaceRow);
export const CreateParkingSpaceBody = Type.Object(
  { parkingLotId: Id, number: RegistryCode, tenure: ParkingTenure, area: Type.Optional(Nullable(Area)), state: Type.Optional(ParkingSpaceState) },
  { additionalProperties: false },
);
export type CreateParkingSpaceBody = Static<typeof CreateParkingSpaceBody>;
export const UpdateParkingSpaceBody = Type.Object(
  { number: Type.Optional(RegistryCode), tenure: Type.Optional(ParkingTenure), area: Type.Optional(Nullable(Area)), state: Type.Optional(ParkingSpaceState) },
  { additionalProperties: false },
);
export type UpdateParkingSpaceBody = Static<typeof UpdateParkingSpaceBody>;

export const TagListQuery = Type.Object({ communityId: Type.Optional(Id) }, { additionalProperties: false });
export const TagList = Type.Object({ items: Type.Array(Tag) });
export const TagColor = Type.String({ pattern: '^#[0-9a-fA-F]{6}$' });
export const CreateTagBody = Type.Object({ communityId: Id, name: Type.String({ minLength: 1, maxLength: 30 }), color: Type.Optional(TagColor) }, { additionalProperties: false });
export type CreateTagBody = Static<typeof CreateTagBody>;
/** Bulk tagging: every entity must be in the caller's scope, or nothing is written. */
export const TaggingBody = Type.Object(
  { entityType: TaggedEntity, entityIds: Type.Array(Id, { minItems: 1, maxItems: 1000, uniqueItems: true }) },
  { additionalProperties: false },
);
export type TaggingBody = Static<typeof TaggingBody>;
/** `changed`: taggings added (apply) or removed (remove); entities already in that state are not counted. */
export const TaggingResult = Type.Object({ tagId: Id, entityType: TaggedEntity, requested: Type.Integer(), changed: Type.Integer() });
export type TaggingResult = Static<typeof TaggingResult>;

export const RenovationListQuery = Type.Object(
  { communityId: Type.Optional(Id), state: Type.Optional(RenovationState), roomId: Type.Optional(Id), ...PageQuery },
  { additionalProperties: false },
);
export type RenovationListQuery = Static<typeof RenovationListQuery>;
export const RenovationPage = Page(Renovation);
export const CreateRenovationBody = Type.Object(
  {
    roomId: Id,
    applicantPersonId: Type.Optional(Nullable(Id)),
    contractor: Name,
    contractorPhone: Type.Optional(Nullable(Phone)),
    description: Type.String({ minLength: 1, maxLength: 2000 }),
    startsOn: DateOnly,
    endsOn: DateOnly,
    depositCents: Type.Integer({ minimum: 0, maximum: 100_000_000_00 }),
  },
  { additionalProperties: false },
);
export type CreateRenovationBody = Static<typeof CreateRenovationBody>;
export const RenovationNoteBody = Type.Object({ note: Type.Optional(Note) }, { additionalProperties: false });
export type RenovationNoteBody = Static<typeof RenovationNoteBody>;
export const RenovationRejectBody = Type.Object({ note: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });
export type RenovationRejectBody = Static<typeof RenovationRejectBody>;
/** A failed inspection needs a note saying what must be redone. */
export const RenovationInspectBody = Type.Object({ passed: Type.Boolean(), note: Type.Optional(Note) }, { additionalProperties: false });
export type RenovationInspectBody = Static<typeof RenovationInspectBody>;
export const RenovationDepositBody = Type.Object({ state: Type.Union([Type.Literal('collected'), Type.Literal('released'), Type.Literal('forfeited')]) }, { additionalProperties: false });
export type RenovationDepositBody = Static<typeof RenovationDepositBody>;
