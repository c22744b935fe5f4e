import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Flex, Select, Tag as AntTag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Community, RoomState, RoomUse, Tag } from '@courtyard/contracts';
import { useCommunities } from './api';

export const ROOM_STATES: readonly RoomState[] = ['unsold', 'vacant', 'occupied', 'rented', 'renovating'];
export const ROOM_USES: readonly RoomUse[] = ['residence', 'shop', 'office', 'garage', 'storage'];

/**
 * Colours of the 楼盘表: unsold grey, vacant blue, occupied green, rented orange, renovating purple
 * (antd palette, level 3 backgrounds so that the room number stays readable, level 6 borders).
 */
export const ROOM_STATE_STYLE: Record<RoomState, { background: string; border: string; tag: string }> = {
  unsold: { background: '#e8e8e8', border: '#8c8c8c', tag: 'default' },
  vacant: { background: '#bae0ff', border: '#1677ff', tag: 'blue' },
  occupied: { background: '#b7eb8f', border: '#389e0d', tag: 'green' },
  rented: { background: '#ffd591', border: '#d46b08', tag: 'orange' },
  renovating: { background: '#d3adf7', border: '#722ed1', tag: 'purple' },
};

export function RoomStateTag({ state }: { state: RoomState }) {
  const { t } = useTranslation('properties');
  return (
    <AntTag color={ROOM_STATE_STYLE[state].tag} data-testid={`room-state-${state}`}>
      {t(`roomState.${state}`)}
    </AntTag>
  );
}

/** A tag's chip in its own colour; names of free tags are user data. */
export function TagChip({ tag, closable, onClose }: { tag: Tag; closable?: boolean; onClose?: () => void }) {
  return (
    <AntTag
      color={tag.color || undefined}
      closable={closable}
      onClose={(e) => {
        e.preventDefault();
        onClose?.();
      }}
      data-testid={`tag-${tag.name}`}
      data-user-data={tag.kind === 'free' ? true : undefined}
      style={{ marginInlineEnd: 0 }}
    >
      {tag.name}
    </AntTag>
  );
}

const STORAGE_KEY = 'courtyard.registry.community';

function storedCommunity(): string | undefined {
  try {
    return window.localStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The community the registry pages work on: remembered on this device, falling back to the first
 * community in the user's scope (a manager scoped to one community never has to pick).
 */
export function useRegistryCommunity(): {
  communityId: string | undefined;
  setCommunityId: (id: string) => void;
  communities: Community[];
  isPending: boolean;
} {
  const query = useCommunities();
  const [chosen, setChosen] = useState<string | undefined>(storedCommunity);
  const communities = query.data?.items ?? [];
  const valid = chosen && communities.some((c) => c.id === chosen) ? chosen : communities[0]?.id;
  const setCommunityId = useCallback((id: string) => {
    setChosen(id);
    try {
      window.localStorage.setItem(STORAGE_KEY, id);
    } catch {
      // storage may be unavailable (private mode): the choice lasts for this page only
    }
  }, []);
  // Another registry page (another tab) may change the remembered community.
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key === STORAGE_KEY && e.newValue) setChosen(e.newValue);
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);
  return { communityId: valid, setCommunityId, communities, isPending: query.isPending };
}

/** The community picker of the registry pages (remembered). */
export function CommunitySelect({
  value,
  onChange,
  communities,
  loading,
  width = 220,
}: {
  value: string | undefined;
  onChange: (id: string) => void;
  communities: Community[];
  loading?: boolean;
  width?: number | string;
}) {
  const { t } = useTranslation('properties');
  return (
    <Select
      style={{ width, maxWidth: '100%' }}
      value={value}
      onChange={onChange}
      loading={loading}
      placeholder={t('community.pick')}
      showSearch={{ optionFilterProp: 'search' }}
      aria-label={t('community.label')}
      data-testid="community-select"
      options={communities.map((c) => ({
        value: c.id,
        search: `${c.name} ${c.code}`,
        label: (
          <span data-testid={`community-option-${c.code}`} data-user-data>
            {c.name}
          </span>
        ),
      }))}
    />
  );
}

/** "label: value" line used by the phone cards of lists. */
export function FieldLine({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Flex gap={8} wrap>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <span>{children}</span>
    </Flex>
  );
}
