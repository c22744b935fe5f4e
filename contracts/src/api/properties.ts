import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, Nullable } from './common.js';

export const CommunityType = Type.Union([
  Type.Literal('residential'),
  Type.Literal('commercial'),
  Type.Literal('office'),
  Type.Literal('mall'),
  Type.Literal('mixed'),
]);

export const Community = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  address: Type.String(),
  type: CommunityType,
  phone: Nullable(Type.String()),
  createdAt: Instant,
});
export type Community = Static<typeof Community>;
export const CommunityList = Type.Object({ items: Type.Array(Community) });
