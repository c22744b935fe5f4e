import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, Nullable } from './common.js';
import { DateOnly, RoomState, RoomUse, Tag } from './properties.js';

/**
 * Registry — people side (业主信息): persons, their dated relations to rooms and parking spaces
 * (occupancy), vehicles, move-in / move-out checklists. Phone and ID number are always
 * masked in these shapes; the clear value comes only from the audited reveal endpoint.
 */
export const PersonKind = Type.Union([Type.Literal('individual'), Type.Literal('company')]);
export const Gender = Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Literal('unknown')]);
export const IdType = Type.Union([
  Type.Literal('resident_id'),
  Type.Literal('passport'),
  Type.Literal('hk_macau_permit'),
  Type.Literal('taiwan_permit'),
  Type.Literal('foreign_permanent'),
  Type.Literal('business_licence'),
  Type.Literal('other'),
]);
export type IdType = Static<typeof IdType>;
export const Relation = Type.Union([Type.Literal('owner'), Type.Literal('co_owner'), Type.Literal('family_member'), Type.Literal('tenant')]);
export type Relation = Static<typeof Relation>;

export const Person = Type.Object({
  id: Id,
  communityId: Id,
  kind: PersonKind,
  name: Type.String(),
  gender: Gender,
  /** Masked: 138****1234 */
  phone: Nullable(Type.String()),
  idType: Nullable(IdType),
  /** Masked: 1101**********1234 */
  idNumber: Nullable(Type.String()),
  email: Nullable(Type.String()),
  emergencyContact: Nullable(Type.String()),
  emergencyPhone: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  userId: Nullable(Id),
  tags: Type.Array(Tag),
  createdAt: Instant,
});
export type Person = Static<typeof Person>;

export const Occupancy = Type.Object({
  id: Id,
  communityId: Id,
  personId: Id,
  personName: Type.String(),
  roomId: Nullable(Id),
  roomCode: Nullable(Type.String()),
  parkingSpaceId: Nullable(Id),
  parkingSpaceNumber: Nullable(Type.String()),
  relation: Relation,
  primaryContact: Type.Boolean(),
  movedInOn: DateOnly,
  movedOutOn: Nullable(DateOnly),
});
export type Occupancy = Static<typeof Occupancy>;

export const Vehicle = Type.Object({
  id: Id,
  communityId: Id,
  plate: Type.String(),
  personId: Nullable(Id),
  personName: Nullable(Type.String()),
  parkingSpaceId: Nullable(Id),
  parkingSpaceNumber: Nullable(Type.String()),
  brand: Nullable(Type.String()),
  color: Nullable(Type.String()),
});
export type Vehicle = Static<typeof Vehicle>;

export const ChecklistItem = Type.Object({ key: Type.String(), label: Type.String(), done: Type.Boolean(), note: Nullable(Type.String()) });
export const MoveChecklist = Type.Object({
  id: Id,
  communityId: Id,
  roomId: Id,
  personId: Id,
  occupancyId: Nullable(Id),
  kind: Type.Union([Type.Literal('move_in'), Type.Literal('move_out')]),
  items: Type.Array(ChecklistItem),
  state: Type.Union([Type.Literal('open'), Type.Literal('completed')]),
  completedAt: Nullable(Instant),
  createdAt: Instant,
});
export type MoveChecklist = Static<typeof MoveChecklist>;

/** One hit of the console's search box: a person, a room or a vehicle. */
export const SearchHit = Type.Object({
  kind: Type.Union([Type.Literal('person'), Type.Literal('room'), Type.Literal('vehicle')]),
  id: Id,
  communityId: Id,
  title: Type.String(),
  subtitle: Type.String(),
});
export type SearchHit = Static<typeof SearchHit>;
export const SearchResult = Type.Object({ items: Type.Array(SearchHit) });

/** The owner portal's "my home": my current rooms, who lives there, vehicles and spaces. */
export const MyHome = Type.Object({
  rooms: Type.Array(
    Type.Object({
      id: Id,
      communityName: Type.String(),
      code: Type.String(),
      use: RoomUse,
      state: RoomState,
      buildingArea: Type.String(),
      relation: Relation,
      movedInOn: DateOnly,
      household: Type.Array(Type.Object({ name: Type.String(), relation: Relation, phone: Nullable(Type.String()) })),
    }),
  ),
  vehicles: Type.Array(Type.Object({ plate: Type.String(), parkingSpaceNumber: Nullable(Type.String()) })),
  parkingSpaces: Type.Array(Type.Object({ id: Id, number: Type.String(), lot: Type.String(), relation: Relation })),
});
export type MyHome = Static<typeof MyHome>;
