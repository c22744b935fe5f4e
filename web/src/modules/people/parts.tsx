import { useState, type CSSProperties } from 'react';
import { Select, Tag as AntTag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Person, Tag } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { MaskedText } from '../../ui/MaskedText';
import { useCommunities } from '../properties/api';
import { personsApi, usePersonPick, type RevealField } from './api';

/** A tag in its colour; the names of free tags are typed by users. */
export function TagChip({ tag }: { tag: Tag }) {
  return (
    <AntTag color={tag.color || undefined} data-user-data={tag.kind === 'free' ? true : undefined} style={{ marginInlineEnd: 0 }}>
      {tag.name}
    </AntTag>
  );
}

/** A person's phone / ID number: masked, with the audited reveal when the viewer holds `people.person.reveal`. */
export function PersonSecret({ person, field }: { person: Pick<Person, 'id' | RevealField>; field: RevealField }) {
  const { me } = useMe();
  const canReveal = hasPermission(me, 'people.person.reveal');
  return (
    <span data-user-data>
      <MaskedText
        value={person[field]}
        onReveal={canReveal ? async () => (await personsApi.reveal(person.id, field)).value ?? '' : undefined}
      />
    </span>
  );
}

/** Community picker; `allowAll` adds "all communities" (value undefined). */
export function CommunityPicker({
  value,
  onChange,
  allowAll = false,
  style,
}: {
  value?: string | undefined;
  onChange?: (id: string | undefined) => void;
  allowAll?: boolean;
  style?: CSSProperties;
}) {
  const { t } = useTranslation('people');
  const communities = useCommunities();
  return (
    <Select<string>
      style={{ width: '100%', ...style }}
      value={value ?? (allowAll ? '' : undefined)}
      placeholder={t('persons.community')}
      loading={communities.isPending}
      onChange={(v) => onChange?.(v || undefined)}
      showSearch={{ optionFilterProp: 'search' }}
      aria-label={t('persons.community')}
      data-testid="people-community"
      options={[
        ...(allowAll ? [{ value: '', search: '', label: t('persons.allCommunities') }] : []),
        ...(communities.data?.items ?? []).map((c) => ({ value: c.id, search: `${c.name} ${c.code}`, label: <span data-user-data>{c.name}</span> })),
      ]}
    />
  );
}

/** Pick a person of one community by name prefix (vehicles' owner). */
export function PersonPicker({
  communityId,
  value,
  onChange,
  initialLabel,
}: {
  communityId: string | undefined;
  value?: string | null;
  onChange?: (id: string | null) => void;
  initialLabel?: string | null;
}) {
  const { t } = useTranslation('people');
  const [q, setQ] = useState('');
  const picked = usePersonPick(communityId ?? '', q);
  const options = (picked.data?.items ?? []).map((p) => ({
    value: p.id,
    label: (
      <span data-user-data>
        {p.name}
        {p.phone ? ` · ${p.phone}` : ''}
      </span>
    ),
  }));
  if (value && initialLabel && !options.some((o) => o.value === value)) {
    options.unshift({ value, label: <span data-user-data>{initialLabel}</span> });
  }
  return (
    <Select<string>
      allowClear
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      showSearch={{ filterOption: false, onSearch: setQ }}
      placeholder={t('vehicles.ownerPlaceholder')}
      loading={picked.isFetching}
      disabled={!communityId}
      options={options}
      data-testid="person-picker"
    />
  );
}
