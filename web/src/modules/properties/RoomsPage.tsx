import { useMemo, useState, type HTMLAttributes, type Key } from 'react';
import { Alert, Button, Card, Checkbox, Col, Empty, Flex, Input, Row, Select, Spin, Table, Typography } from 'antd';
import type { TableProps } from 'antd';
import { DownloadOutlined, TagsOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Room, RoomState, RoomUse } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { PageHeader } from '../../ui/PageHeader';
import { useErrorText } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { exportUrl, propertiesKeys, roomsApi, useBuildings, useTags, useUnits, type RoomFilters } from './api';
import { BulkTagModal } from './BulkTagModal';
import { CommunitySelect, FieldLine, ROOM_STATES, ROOM_USES, RoomStateTag, useRegistryCommunity } from './registry';

const all = 'all';

/**
 * `/registry/rooms` — every room of a community with filters, keyset "load more", bulk tagging of
 * the selected rows and export of the filtered list (.xlsx / .csv, served by data-exchange).
 */
export default function RoomsPage() {
  const { t } = useTranslation(['properties', 'common']);
  const { me } = useMe();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const canTag = hasPermission(me, 'properties.tag.manage');
  const canExport = hasPermission(me, 'data.export.run');
  const { communityId, setCommunityId, communities, isPending: communitiesPending } = useRegistryCommunity();
  const [filters, setFilters] = useState<Omit<RoomFilters, 'communityId'>>({});
  const [code, setCode] = useState('');
  const [selected, setSelected] = useState<Key[]>([]);
  const [tagging, setTagging] = useState(false);
  const buildings = useBuildings(communityId);
  const units = useUnits(filters.buildingId);
  const tags = useTags(communityId);

  const query: RoomFilters = useMemo(() => ({ communityId, ...filters }), [communityId, filters]);
  const list = useInfiniteQuery({
    queryKey: propertiesKeys.rooms(query),
    queryFn: ({ pageParam, signal }) => roomsApi.list(query, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: !!communityId,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const change = (next: Partial<RoomFilters>) => {
    setFilters((f) => ({ ...f, ...next }));
    setSelected([]);
  };
  const buildingName = (id: string) => buildings.data?.items.find((b) => b.id === id)?.name ?? '';

  const columns: TableProps<Room>['columns'] = [
    {
      title: t('room.codeColumn'),
      dataIndex: 'code',
      fixed: 'left',
      render: (value: string, room) => (
        <Link to={`/registry/rooms/${room.id}`} data-user-data>
          {value}
        </Link>
      ),
    },
    { title: t('building.label'), dataIndex: 'buildingId', render: (id: string) => <span data-user-data>{buildingName(id)}</span> },
    { title: t('room.floor'), dataIndex: 'floor', align: 'right' },
    { title: t('room.buildingArea'), dataIndex: 'buildingArea', align: 'right', render: (v: string) => `${v} m²` },
    { title: t('room.innerArea'), dataIndex: 'innerArea', align: 'right', render: (v: string | null) => (v ? `${v} m²` : '—') },
    { title: t('room.use'), dataIndex: 'use', render: (u: RoomUse) => t(`roomUse.${u}`) },
    { title: t('room.state'), dataIndex: 'state', render: (s: RoomState) => <RoomStateTag state={s} /> },
    { title: t('room.deliveredOn'), dataIndex: 'deliveredOn', render: (v: string | null) => v ?? '—' },
  ];

  const exportFilters = { ...query };
  const exportButtons = canExport ? (
    <>
      <Button icon={<DownloadOutlined />} href={exportUrl('rooms', 'xlsx', exportFilters)} data-testid="rooms-export-xlsx">
        {t('export.xlsx')}
      </Button>
      <Button icon={<DownloadOutlined />} href={exportUrl('rooms', 'csv', exportFilters)} data-testid="rooms-export-csv">
        {t('export.csv')}
      </Button>
    </>
  ) : null;

  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...s, id] : s.filter((k) => k !== id)));

  const footer = (
    <Flex justify="center" align="center" gap={12} wrap style={{ padding: '12px 0' }}>
      <Typography.Text type="secondary" data-testid="table-count">
        {t('common:table.loaded', { count: rows.length })}
      </Typography.Text>
      {list.hasNextPage ? (
        <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="load-more">
          {t('common:actions.loadMore')}
        </Button>
      ) : rows.length > 0 ? (
        <Typography.Text type="secondary">{t('common:table.end')}</Typography.Text>
      ) : null}
    </Flex>
  );

  const listBody = isMobile ? (
    <Spin spinning={list.isPending && !!communityId}>
      {rows.length === 0 && !list.isPending ? (
        <Empty description={t('common:table.empty')} />
      ) : (
        <Flex vertical gap={12}>
          {rows.map((room) => (
            <Card key={room.id} size="small" data-testid={`room-row-${room.code}`}>
              <Flex gap={12} align="flex-start">
                {canTag ? <Checkbox checked={selected.includes(room.id)} onChange={(e) => toggle(room.id, e.target.checked)} aria-label={room.code} /> : null}
                <Flex vertical gap={4} style={{ flex: 1, minWidth: 0 }} onClick={() => void navigate(`/registry/rooms/${room.id}`)}>
                  <Flex justify="space-between" align="center" gap={8}>
                    <Typography.Text strong data-user-data>
                      {room.code}
                    </Typography.Text>
                    <RoomStateTag state={room.state} />
                  </Flex>
                  <FieldLine label={t('room.buildingArea')}>{`${room.buildingArea} m²`}</FieldLine>
                  <FieldLine label={t('room.use')}>{t(`roomUse.${room.use}`)}</FieldLine>
                </Flex>
              </Flex>
            </Card>
          ))}
        </Flex>
      )}
    </Spin>
  ) : (
    <Table<Room>
      rowKey="id"
      columns={columns}
      dataSource={rows}
      loading={list.isPending && !!communityId}
      pagination={false}
      size="middle"
      scroll={{ x: 'max-content' }}
      rowSelection={canTag ? { selectedRowKeys: selected, onChange: setSelected, preserveSelectedRowKeys: true } : undefined}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common:table.empty')} /> }}
      onRow={(room) => ({ 'data-testid': `room-row-${room.code}` }) as HTMLAttributes<HTMLElement>}
    />
  );

  const filterSelect = <V extends string>(value: V | undefined, placeholder: string, options: { value: V; label: string }[], onChange: (v: V | undefined) => void, testId: string, disabled = false) => (
    <Select<V | typeof all>
      style={{ width: '100%' }}
      value={value ?? all}
      disabled={disabled}
      onChange={(v) => onChange(v === all ? undefined : (v))}
      options={[{ value: all, label: `${placeholder}: ${t('common:common.all')}` }, ...options]}
      data-testid={testId}
    />
  );

  return (
    <>
      <PageHeader
        title={t('rooms.title')}
        subtitle={t('rooms.subtitle')}
        extra={
          <>
            <CommunitySelect
              value={communityId}
              onChange={(id) => {
                setCommunityId(id);
                setFilters({});
                setSelected([]);
              }}
              communities={communities}
              loading={communitiesPending}
              width={isMobile ? '100%' : 220}
            />
            {exportButtons}
          </>
        }
      />
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={8} lg={6}>
          <Input.Search
            allowClear
            placeholder={t('rooms.codePlaceholder')}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            onSearch={(value) => change({ q: value.trim() || undefined })}
            enterButton
            data-testid="rooms-code"
          />
        </Col>
        <Col xs={12} md={8} lg={4}>
          {filterSelect(
            filters.buildingId,
            t('building.label'),
            (buildings.data?.items ?? []).map((b) => ({ value: b.id, label: b.name })),
            (buildingId) => change({ buildingId, unitId: undefined }),
            'rooms-building',
          )}
        </Col>
        <Col xs={12} md={8} lg={4}>
          {filterSelect(filters.unitId, t('unit.label'), (units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name })), (unitId) => change({ unitId }), 'rooms-unit', !filters.buildingId)}
        </Col>
        <Col xs={12} md={8} lg={3}>
          {filterSelect<RoomUse>(filters.use, t('room.use'), ROOM_USES.map((u) => ({ value: u, label: t(`roomUse.${u}`) })), (use) => change({ use }), 'rooms-use')}
        </Col>
        <Col xs={12} md={8} lg={3}>
          {filterSelect<RoomState>(filters.state, t('room.state'), ROOM_STATES.map((s) => ({ value: s, label: t(`roomState.${s}`) })), (state) => change({ state }), 'rooms-state')}
        </Col>
        <Col xs={24} md={8} lg={4}>
          {filterSelect(filters.tagId, t('room.tags'), (tags.data?.items ?? []).map((tag) => ({ value: tag.id, label: tag.name })), (tagId) => change({ tagId }), 'rooms-tag')}
        </Col>
      </Row>
      {canTag ? (
        <Flex align="center" gap={12} wrap style={{ marginBottom: 12 }}>
          <Button icon={<TagsOutlined />} disabled={selected.length === 0} onClick={() => setTagging(true)} data-testid="rooms-bulk-tag">
            {t('tags.bulk')}
          </Button>
          <Typography.Text type="secondary">{t('rooms.selected', { count: selected.length })}</Typography.Text>
          {selected.length ? (
            <Button type="link" size="small" onClick={() => setSelected([])}>
              {t('rooms.clearSelection')}
            </Button>
          ) : null}
        </Flex>
      ) : null}
      {list.error ? (
        <Alert
          type="error"
          showIcon
          title={t('common:errors.loadFailed')}
          description={errorText(list.error)}
          action={
            <Button size="small" onClick={() => void list.refetch()}>
              {t('common:actions.retry')}
            </Button>
          }
          style={{ marginBottom: 12 }}
        />
      ) : null}
      {listBody}
      {footer}
      <BulkTagModal
        open={tagging}
        entityType="room"
        entityIds={selected.map(String)}
        communityId={communityId}
        onClose={() => setTagging(false)}
        onDone={() => {
          setTagging(false);
          setSelected([]);
        }}
      />
    </>
  );
}
