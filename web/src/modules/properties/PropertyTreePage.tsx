import { useMemo, useState, type Key } from 'react';
import { Alert, App, Button, Card, Col, Empty, Flex, Popconfirm, Row, Select, Skeleton, Space, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { ApartmentOutlined, DeleteOutlined, EditOutlined, HomeOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { PropertyTree } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { PageHeader } from '../../ui/PageHeader';
import { useApiError, useErrorText } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { useBuildings, usePropertyTree, useStructureMutations } from './api';
import { CommunitySelect, useRegistryCommunity } from './registry';
import { RoomGrid, StateLegend, type TreeRoom } from './RoomGrid';
import { BuildingDrawer, RoomDrawer, UnitDrawer, type BuildingDrawerState, type RoomDrawerState, type UnitDrawerState } from './StructureDrawers';
import { formKey } from '../../ui/formKey';

type TreeBuilding = PropertyTree['buildings'][number];
type TreeUnit = TreeBuilding['units'][number];

const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code, undefined, { numeric: true });

/**
 * `/registry` — 房屋资料: pick a community, walk its buildings and units, see a unit's rooms as a
 * 楼盘表 coloured by state and open a room's card. The selection lives in the address
 * (`?building=&unit=`) so that "back" from a room card returns to the same grid.
 */
export default function PropertyTreePage() {
  const { t } = useTranslation(['properties', 'common']);
  const { me } = useMe();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const showError = useApiError();
  const { message } = App.useApp();
  const structure = useStructureMutations();
  const canManage = hasPermission(me, 'properties.room.manage');
  const { communityId, setCommunityId, communities, isPending: communitiesPending } = useRegistryCommunity();
  const [params, setParams] = useSearchParams();
  const tree = usePropertyTree(communityId);
  const buildingsFull = useBuildings(canManage ? communityId : undefined);
  const [buildingDrawer, setBuildingDrawer] = useState<BuildingDrawerState>(null);
  const [unitDrawer, setUnitDrawer] = useState<UnitDrawerState>(null);
  const [roomDrawer, setRoomDrawer] = useState<RoomDrawerState>(null);
  // Only the building being looked at starts open: a community may have dozens of buildings.
  const [expanded, setExpanded] = useState<Key[]>(() => (params.get('building') ? [`b:${params.get('building')}`] : []));

  const data = tree.data?.communityId === communityId ? tree.data : undefined;
  const buildings = useMemo(() => [...(data?.buildings ?? [])].sort(byCode), [data]);
  const building: TreeBuilding | undefined = buildings.find((b) => b.id === params.get('building'));
  const units = useMemo(() => [...(building?.units ?? [])].sort(byCode), [building]);
  const unit: TreeUnit | undefined = units.find((u) => u.id === params.get('unit'));
  const community = communities.find((c) => c.id === communityId);

  const select = (buildingId: string | null, unitId: string | null) => {
    const next = new URLSearchParams();
    if (buildingId) next.set('building', buildingId);
    if (unitId) next.set('unit', unitId);
    setParams(next, { replace: true });
  };
  const pickCommunity = (id: string) => {
    setCommunityId(id);
    setExpanded([]);
    select(null, null);
  };

  const allRooms = useMemo(() => buildings.flatMap((b) => b.units.flatMap((u) => u.rooms)), [buildings]);
  const shownRooms: TreeRoom[] = unit ? unit.rooms : building ? building.units.flatMap((u) => u.rooms) : allRooms;
  const openRoom = (room: TreeRoom) => void navigate(`/registry/rooms/${room.id}`);

  const treeData: TreeDataNode[] = buildings.map((b) => ({
    key: `b:${b.id}`,
    title: (
      <span data-testid={`tree-building-${b.code}`}>
        <span data-user-data>{b.name}</span>
        <Typography.Text type="secondary" style={{ marginInlineStart: 6 }}>
          {t('tree.roomCount', { count: b.units.reduce((n, u) => n + u.rooms.length, 0) })}
        </Typography.Text>
      </span>
    ),
    icon: <ApartmentOutlined />,
    children: [...b.units].sort(byCode).map((u) => ({
      key: `u:${u.id}`,
      isLeaf: true,
      title: (
        <span data-testid={`tree-unit-${b.code}-${u.code}`}>
          <span data-user-data>{u.name}</span>
          <Typography.Text type="secondary" style={{ marginInlineStart: 6 }}>
            {t('tree.roomCount', { count: u.rooms.length })}
          </Typography.Text>
        </span>
      ),
    })),
  }));

  const onTreeSelect = (keys: Key[]) => {
    const key = String(keys[0] ?? '');
    if (key.startsWith('b:')) {
      select(key.slice(2), null);
      setExpanded((keys) => (keys.includes(key) ? keys : [...keys, key]));
    }
    else if (key.startsWith('u:')) {
      const owner = buildings.find((b) => b.units.some((u) => `u:${u.id}` === key));
      select(owner?.id ?? null, key.slice(2));
    }
  };

  const fullBuilding = building ? buildingsFull.data?.items.find((b) => b.id === building.id) : undefined;
  const manageButtons = canManage ? (
    <Space wrap size={8}>
      {unit ? (
        <>
          <Button icon={<PlusOutlined />} onClick={() => setRoomDrawer({ mode: 'create', unitId: unit.id })} data-testid="room-create">
            {t('room.create')}
          </Button>
          <Button icon={<EditOutlined />} onClick={() => setUnitDrawer({ mode: 'edit', unit })} data-testid="unit-edit">
            {t('unit.edit')}
          </Button>
          {unit.rooms.length === 0 ? (
            <Popconfirm
              title={t('unit.deleteConfirm', { name: unit.name })}
              okText={t('common:actions.delete')}
              cancelText={t('common:actions.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() =>
                structure.removeUnit.mutate(unit.id, {
                  onSuccess: () => {
                    void message.success(t('messages.deleted'));
                    select(building?.id ?? null, null);
                  },
                  onError: (error) => showError(error),
                })
              }
            >
              <Button danger icon={<DeleteOutlined />} data-testid="unit-delete">
                {t('unit.delete')}
              </Button>
            </Popconfirm>
          ) : null}
        </>
      ) : building ? (
        <>
          <Button icon={<PlusOutlined />} onClick={() => setUnitDrawer({ mode: 'create', buildingId: building.id })} data-testid="unit-create">
            {t('unit.create')}
          </Button>
          <Button
            icon={<EditOutlined />}
            onClick={() => setBuildingDrawer({ mode: 'edit', building: fullBuilding ?? { ...building, floors: null } })}
            data-testid="building-edit"
          >
            {t('building.edit')}
          </Button>
          {building.units.length === 0 ? (
            <Popconfirm
              title={t('building.deleteConfirm', { name: building.name })}
              okText={t('common:actions.delete')}
              cancelText={t('common:actions.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() =>
                structure.removeBuilding.mutate(building.id, {
                  onSuccess: () => {
                    void message.success(t('messages.deleted'));
                    select(null, null);
                  },
                  onError: (error) => showError(error),
                })
              }
            >
              <Button danger icon={<DeleteOutlined />} data-testid="building-delete">
                {t('building.delete')}
              </Button>
            </Popconfirm>
          ) : null}
        </>
      ) : null}
    </Space>
  ) : null;

  const mobilePickers = (
    <Flex vertical gap={8} style={{ marginBottom: 12 }}>
      <Select
        value={building?.id}
        placeholder={t('tree.pickBuilding')}
        onChange={(id: string) => select(id, null)}
        options={buildings.map((b) => ({ value: b.id, label: <span data-testid={`building-option-${b.code}`}>{b.name}</span> }))}
        data-testid="building-select"
        allowClear
        onClear={() => select(null, null)}
      />
      <Select
        value={unit?.id}
        placeholder={t('tree.pickUnit')}
        disabled={!building}
        onChange={(id: string) => select(building?.id ?? null, id)}
        options={units.map((u) => ({ value: u.id, label: <span data-testid={`unit-option-${u.code}`}>{u.name}</span> }))}
        data-testid="unit-select"
        allowClear
        onClear={() => select(building?.id ?? null, null)}
      />
    </Flex>
  );

  const heading = unit && building ? `${building.name} · ${unit.name}` : building ? building.name : (community?.name ?? '');
  const gridCard = (
    <Card
      title={
        <span data-testid="grid-title" data-user-data>
          {heading}
        </span>
      }
      extra={isMobile ? null : manageButtons}
      styles={{ body: { padding: isMobile ? 12 : 24 } }}
    >
      {isMobile && manageButtons ? <div style={{ marginBottom: 12 }}>{manageButtons}</div> : null}
      <div style={{ marginBottom: 16 }}>
        <StateLegend rooms={shownRooms} />
      </div>
      {unit ? (
        <RoomGrid rooms={unit.rooms} onOpen={openRoom} compact={isMobile} />
      ) : building ? (
        units.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tree.noUnits')} />
        ) : (
          <Flex vertical gap={8}>
            <Typography.Text type="secondary">{t('tree.pickUnitHint')}</Typography.Text>
            <Flex wrap gap={8}>
              {units.map((u) => (
                <Button key={u.id} onClick={() => select(building.id, u.id)} data-testid={`unit-button-${u.code}`}>
                  <span data-user-data>{u.name}</span>
                  <Typography.Text type="secondary">{t('tree.roomCount', { count: u.rooms.length })}</Typography.Text>
                </Button>
              ))}
            </Flex>
          </Flex>
        )
      ) : (
        <Typography.Text type="secondary">{buildings.length ? t('tree.pickBuildingHint') : ''}</Typography.Text>
      )}
    </Card>
  );

  let body;
  if (!communitiesPending && communities.length === 0) {
    body = <Empty description={t('community.none')} />;
  } else if (tree.error) {
    body = <Alert type="error" showIcon title={t('common:errors.loadFailed')} description={errorText(tree.error)} />;
  } else if (!data) {
    body = <Skeleton active />;
  } else if (buildings.length === 0) {
    body = (
      <Empty description={t('tree.noBuildings')}>
        {canManage && communityId ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setBuildingDrawer({ mode: 'create', communityId })}>
            {t('building.create')}
          </Button>
        ) : null}
      </Empty>
    );
  } else if (isMobile) {
    body = (
      <>
        {mobilePickers}
        {gridCard}
      </>
    );
  } else {
    body = (
      <Row gutter={[16, 16]}>
        <Col md={8} lg={6}>
          <Card size="small" title={<span data-user-data>{community?.name}</span>} styles={{ body: { padding: 8 } }}>
            <Tree
              key={communityId}
              showIcon
              blockNode
              expandedKeys={expanded}
              onExpand={(keys) => setExpanded(keys)}
              treeData={treeData}
              selectedKeys={unit ? [`u:${unit.id}`] : building ? [`b:${building.id}`] : []}
              onSelect={onTreeSelect}
              data-testid="property-tree"
            />
          </Card>
        </Col>
        <Col md={16} lg={18}>
          {gridCard}
        </Col>
      </Row>
    );
  }

  return (
    <>
      <PageHeader
        title={t('tree.title')}
        subtitle={t('tree.subtitle')}
        extra={
          <>
            <CommunitySelect value={communityId} onChange={pickCommunity} communities={communities} loading={communitiesPending} width={isMobile ? '100%' : 220} />
            <Link to="/registry/rooms">
              <Button icon={<UnorderedListOutlined />}>{t('rooms.title')}</Button>
            </Link>
            {canManage && communityId ? (
              <Button type="primary" icon={<HomeOutlined />} onClick={() => setBuildingDrawer({ mode: 'create', communityId })} data-testid="building-create">
                {t('building.create')}
              </Button>
            ) : null}
          </>
        }
      />
      {body}
      <BuildingDrawer key={formKey(!!buildingDrawer, buildingDrawer?.mode === 'edit' ? buildingDrawer.building : null)} state={buildingDrawer} onClose={() => setBuildingDrawer(null)} onSaved={(b) => select(b.id, null)} />
      <UnitDrawer key={formKey(!!unitDrawer, unitDrawer?.mode === 'edit' ? unitDrawer.unit : null)} state={unitDrawer} onClose={() => setUnitDrawer(null)} />
      <RoomDrawer key={formKey(!!roomDrawer, roomDrawer?.mode === 'edit' ? roomDrawer.room : null)} state={roomDrawer} onClose={() => setRoomDrawer(null)} />
    </>
  );
}
