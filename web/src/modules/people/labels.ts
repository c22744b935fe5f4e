import type { IdType, Relation } from '@courtyard/contracts';

/** Display order of the choices (labels in people.json under the same keys). */
export const RELATIONS: Relation[] = ['owner', 'co_owner', 'family_member', 'tenant'];
export const ID_TYPES: IdType[] = ['resident_id', 'passport', 'hk_macau_permit', 'taiwan_permit', 'foreign_permanent', 'business_licence', 'other'];
export const GENDERS = ['male', 'female', 'unknown'] as const;
export const PERSON_KINDS = ['individual', 'company'] as const;

export const RELATION_COLORS: Record<Relation, string> = {
  owner: 'blue',
  co_owner: 'geekblue',
  family_member: 'green',
  tenant: 'orange',
};

/** Today as YYYY-MM-DD in the browser's time zone (dates of moves are calendar dates). */
export function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
