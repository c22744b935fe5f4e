import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, Nullable, Page, PageQuery } from './common.js';
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
  /** Vehicle hits: the owner, whose card the hit opens. */
  personId: Type.Optional(Nullable(Id)),
  /** Room hits: the room's state, for a translated badge. */
  roomState: Type.Optional(RoomState),
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

// ---- Requests ----

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const OptionalText = (maxLength: number) => Type.Optional(Nullable(Type.String({ maxLength })));

/** Persons list: every filter narrows; relation / building / room / dates look at occupancies. */
export const PersonListQuery = Type.Object(
  {
    communityId: Type.Optional(Id),
    buildingId: Type.Optional(Id),
    roomId: Type.Optional(Id),
    relation: Type.Optional(Relation),
    tagId: Type.Optional(Id),
    /** Moved in on or after (any occupancy, current or past). */
    movedInFrom: Type.Optional(DateOnly),
    movedInTo: Type.Optional(DateOnly),
    /** true: has a current occupancy; false: has none. */
    current: Type.Optional(Type.Boolean()),
    /** Name prefix. */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type PersonListQuery = Static<typeof PersonListQuery>;
export const PersonPage = Page(Person);

/** Phone and emergency phone: mainland mobile, "+86" accepted. ID number checked by idType (GB 11643 for resident_id). */
export const CreatePersonBody = Type.Object(
  {
    communityId: Id,
    kind: PersonKind,
    name: Text(100),
    gender: Type.Optional(Gender),
    phone: OptionalText(30),
    idType: Type.Optional(Nullable(IdType)),
    idNumber: OptionalText(40),
    email: Type.Optional(Nullable(Type.String({ maxLength: 200, format: 'email' }))),
    emergencyContact: OptionalText(100),
    emergencyPhone: OptionalText(30),
    notes: OptionalText(2000),
    userId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);
export type CreatePersonBody = Static<typeof CreatePersonBody>;

export const UpdatePersonBody = Type.Object(
  {
    kind: Type.Optional(PersonKind),
    name: Type.Optional(Text(100)),
    gender: Type.Optional(Gender),
    phone: OptionalText(30),
    idType: Type.Optional(Nullable(IdType)),
    idNumber: OptionalText(40),
    email: Type.Optional(Nullable(Type.String({ maxLength: 200, format: 'email' }))),
    emergencyContact: OptionalText(100),
    emergencyPhone: OptionalText(30),
    notes: OptionalText(2000),
    userId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdatePersonBody = Static<typeof UpdatePersonBody>;

export const RevealField = Type.Union([Type.Literal('phone'), Type.Literal('idNumber'), Type.Literal('emergencyPhone')]);
export const RevealBody = Type.Object({ field: RevealField }, { additionalProperties: false });
export type RevealBody = Static<typeof RevealBody>;
export const RevealResult = Type.Object({ value: Nullable(Type.String()) });

export const OccupancyList = Type.Object({ items: Type.Array(Occupancy) });

/** Move in: exactly one of roomId / parkingSpaceId. */
export const MoveInBody = Type.Object(
  {
    personId: Id,
    roomId: Type.Optional(Id),
    parkingSpaceId: Type.Optional(Id),
    relation: Relation,
    movedInOn: DateOnly,
    primaryContact: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type MoveInBody = Static<typeof MoveInBody>;
export const MoveOutBody = Type.Object({ movedOutOn: DateOnly }, { additionalProperties: false });
export type MoveOutBody = Static<typeof MoveOutBody>;

export const VehicleListQuery = Type.Object(
  {
    communityId: Type.Optional(Id),
    personId: Type.Optional(Id),
    /** Vehicles of the room's current occupants. */
    roomId: Type.Optional(Id),
    /** Plate prefix (normalised like plates). */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type VehicleListQuery = Static<typeof VehicleListQuery>;
export const VehiclePage = Page(Vehicle);

export const CreateVehicleBody = Type.Object(
  {
    communityId: Id,
    plate: Text(20),
    personId: Type.Optional(Nullable(Id)),
    parkingSpaceId: Type.Optional(Nullable(Id)),
    brand: OptionalText(60),
    color: OptionalText(30),
  },
  { additionalProperties: false },
);
export type CreateVehicleBody = Static<typeof CreateVehicleBody>;
export const UpdateVehicleBody = Type.Object(
  {
    plate: Type.Optional(Text(20)),
    personId: Type.Optional(Nullable(Id)),
    parkingSpaceId: Type.Optional(Nullable(Id)),
    brand: OptionalText(60),
    color: OptionalText(30),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateVehicleBody = Static<typeof UpdateVehicleBody>;

export const MoveKind = Type.Union([Type.Literal('move_in'), Type.Literal('move_out')]);
export const MoveChecklistQuery = Type.Object({ roomId: Id }, { additionalProperties: false });
export const MoveChecklistList = Type.Object({ items: Type.Array(MoveChecklist) });
export const CreateMoveChecklistBody = Type.Object(
  { roomId: Id, personId: Id, occupancyId: Type.Optional(Nullable(Id)), kind: MoveKind },
  { additionalProperties: false },
);
export type CreateMoveChecklistBody = Static<typeof CreateMoveChecklistBody>;
/** Ticks items by key; omitted items are left as they are. */
export const UpdateMoveChecklistBody = Type.Object(
  {
    items: Type.Array(
      Type.Object({ key: Type.String({ minLength: 1, maxLength: 60 }), done: Type.Optional(Type.Boolean()), note: OptionalText(500) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);
export type UpdateMoveChecklistBody = Static<typeof UpdateMoveChecklistBody>;

export const SearchQuery = Type.Object(
  { q: Type.String({ minLength: 1, maxLength: 100 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })) },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;
