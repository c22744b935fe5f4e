import { useEffect, useState } from 'react';
import { AutoComplete, Button, Empty, Flex, Input, List, Modal, Spin, Tag, Typography } from 'antd';
import { CarOutlined, HomeOutlined, SearchOutlined, UserOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { useIsMobile } from '../../ui/useIsMobile';
import { ROOM_STATE_STYLE } from '../properties/registry';
import { useSearch } from './api';

const ICONS = { person: UserOutlined, room: HomeOutlined, vehicle: CarOutlined } as const;
const MIN_LENGTH = 2;

/** Where a hit leads: the person card, the room card, or the vehicle's owner (the vehicles list when it has none). */
export function hitPath(hit: SearchHit): string {
  if (hit.kind === 'person') return `/registry/persons/${hit.id}`;
  if (hit.kind === 'room') return `/registry/rooms/${hit.id}`;
  if (hit.personId) return `/registry/persons/${hit.personId}`;
  return `/registry/vehicles?q=${encodeURIComponent(hit.title)}`;
}

function useDebounced(value: string, ms = 250): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function HitLabel({ hit }: { hit: SearchHit }) {
  const { t } = useTranslation(['people', 'properties']);
  const Icon = ICONS[hit.kind];
  return (
    <Flex gap={10} align="center" style={{ minWidth: 0 }} data-testid={`search-hit-${hit.kind}`}>
      <Icon style={{ color: '#1677ff', flex: 'none' }} />
      <Flex vertical style={{ minWidth: 0, flex: 1 }}>
        <Typography.Text strong ellipsis data-user-data>
          {hit.title}
        </Typography.Text>
        <Flex gap={6} align="center" style={{ minWidth: 0 }}>
          <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, minWidth: 0 }} data-user-data data-testid="search-hit-subtitle">
            {hit.subtitle}
          </Typography.Text>
          {hit.roomState ? (
            <Tag
              color={ROOM_STATE_STYLE[hit.roomState].tag}
              bordered={false}
              style={{ fontSize: 11, lineHeight: '16px', paddingInline: 4, marginInlineEnd: 0, flex: 'none' }}
              data-testid="search-hit-state"
            >
              {t(`properties:roomState.${hit.roomState}`)}
            </Tag>
          ) : null}
        </Flex>
      </Flex>
      <Tag style={{ marginInlineEnd: 0, flex: 'none' }}>{t(`people:search.kind.${hit.kind}`)}</Tag>
    </Flex>
  );
}

/**
 * The console's search box (header): a name, phone, ID number, room code ("3-2-1502") or plate →
 * persons, rooms and vehicles in the user's scope. Phones get an icon that opens a full-width search.
 */
export function HeaderSearch() {
  const { t } = useTranslation('people');
  const { me } = useMe();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const q = useDebounced(text.trim());
  const visible = hasPermission(me, 'people.person.read') || hasPermission(me, 'properties.room.read');
  const result = useSearch(q, visible && q.length >= MIN_LENGTH);
  if (!visible) return null;
  const hits = result.data?.items ?? [];
  const go = (hit: SearchHit) => {
    setOpen(false);
    setText('');
    void navigate(hitPath(hit));
  };

  if (isMobile) {
    return (
      <>
        <Button type="text" icon={<SearchOutlined />} aria-label={t('search.open')} onClick={() => setOpen(true)} data-testid="search-open" />
        <Modal
          open={open}
          onCancel={() => setOpen(false)}
          footer={null}
          closable={false}
          width="100%"
          style={{ top: 0, maxWidth: '100vw', margin: 0, paddingBottom: 0 }}
          styles={{ body: { padding: 0 } }}
          destroyOnHidden
        >
          <Input
            autoFocus
            allowClear
            size="large"
            prefix={<SearchOutlined />}
            placeholder={t('search.placeholder')}
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="header-search"
          />
          <div style={{ marginTop: 8, maxHeight: '70vh', overflowY: 'auto' }}>
            {q.length < MIN_LENGTH ? (
              <Typography.Text type="secondary">{t('search.hint')}</Typography.Text>
            ) : result.isFetching && !hits.length ? (
              <Spin style={{ display: 'block', margin: 16 }} />
            ) : hits.length ? (
              <List
                size="small"
                dataSource={hits}
                rowKey={(h) => `${h.kind}-${h.id}`}
                renderItem={(hit) => (
                  <List.Item onClick={() => go(hit)} style={{ cursor: 'pointer', paddingInline: 4 }}>
                    <HitLabel hit={hit} />
                  </List.Item>
                )}
              />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('search.empty')} />
            )}
          </div>
        </Modal>
      </>
    );
  }

  // The header's 64 px line height would stretch the input: the box keeps its own.
  return (
    <div style={{ display: 'flex', alignItems: 'center', lineHeight: 'normal' }}>
      <AutoComplete
        value={text}
        onChange={(value: string) => {
          // picking a hit sets the option's value (kind:id) as the text; the box is cleared instead
          if (!hits.some((h) => `${h.kind}:${h.id}` === value)) setText(value);
        }}
        onSelect={(_: string, option: { hit: SearchHit }) => go(option.hit)}
        options={hits.map((hit) => ({ value: `${hit.kind}:${hit.id}`, hit, label: <HitLabel hit={hit} /> }))}
        notFoundContent={
          q.length >= MIN_LENGTH && !result.isFetching && result.isSuccess ? (
            <Typography.Text type="secondary">{t('search.empty')}</Typography.Text>
          ) : null
        }
        popupMatchSelectWidth={380}
        style={{ width: 'min(320px, 30vw)' }}
      >
        <Input prefix={<SearchOutlined />} allowClear placeholder={t('search.placeholder')} data-testid="header-search" />
      </AutoComplete>
    </div>
  );
}
