import { useState } from 'react';
import { App, Button, Card, Col, Drawer, Empty, Flex, Form, Input, Row, Select, Space, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { DownloadOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ParkingLot, ParkingTenure } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { useApiError } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import {
  exportUrl,
  parkingApi,
  propertiesKeys,
  useParkingLots,
  useParkingMutations,
  type ParkingLotKind,
  type ParkingSpaceFilters,
  type ParkingSpaceRow,
  type ParkingSpaceState,
} from './api';
import { CommunitySelect, FieldLine, useRegistryCommunity } from './registry';
import { AREA_PATTERN } from './StructureDrawers';
import { formKey } from '../../ui/formKey';

const LOT_KINDS: readonly ParkingLotKind[] = ['underground', 'surface', 'building'];
const TENURES: readonly ParkingTenure[] = ['owned', 'rented', 'temporary'];
const SPACE_STATES: readonly ParkingSpaceState[] = ['vacant', 'occupied', 'unavailable'];
const SPACE_STATE_COLOR: Record<ParkingSpaceState, string> = { vacant: 'blue', occupied: 'green', unavailable: 'default' };
const all = 'all';

type LotDrawerState = { mode: 'create'; communityId: string } | { mode: 'edit'; lot: ParkingLot } | null;
type SpaceDrawerState = { mode: 'create'; parkingLotId?: string } | { mode: 'edit'; space: ParkingSpaceRow } | null;

function LotDrawer({ state, onClose }: { state: LotDrawerState; onClose: () => void }) {
  const { t } = useTranslation(['properties', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<{ code: string; name: string; kind: ParkingLotKind }>();
  const m = useParkingMutations();
  const lot = state?.mode === 'edit' ? state.lot : null;
  const save = (v: { code: string; name: string; kind: ParkingLotKind }) => {
    const body = { code: v.code.trim(), name: v.name.trim(), kind: v.kind };
    const opts = {
      onSuccess: () => {
        void message.success(t('messages.saved'));
        onClose();
      },
      onError: (error: unknown) => showError(error, form),
    };
    if (lot) m.updateLot.mutate({ lotId: lot.id, body }, opts);
    else if (state?.mode === 'create') m.createLot.mutate({ communityId: state.communityId, ...body }, opts);
  };
  return (
    <Drawer
      open={!!state}
      onClose={onClose}
      title={lot ? t('parking.editLot') : t('parking.createLot')}
      size={isMobile ? '100%' : 440}
      destroyOnHidden
      footer={
        <Space>
          <Button type="primary" loading={m.createLot.isPending || m.updateLot.isPending} onClick={() => form.submit()} data-testid="lot-save">
            {t('common:actions.save')}
          </Button>
          <Button onClick={onClose}>{t('common:actions.cancel')}</Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ code: lot?.code ?? '', name: lot?.name ?? '', kind: lot?.kind ?? 'underground' }} onFinish={save}>
        <Form.Item name="code" label={t('parking.lotCode')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
          <Input maxLength={20} data-testid="lot-code" />
        </Form.Item>
        <Form.Item name="name" label={t('parking.lotName')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
          <Input maxLength={100} data-testid="lot-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('parking.lotKind')}>
          <Select options={LOT_KINDS.map((k) => ({ value: k, label: t(`lotKind.${k}`) }))} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

interface SpaceValues {
  parkingLotId: string;
  number: string;
  tenure: ParkingTenure;
  area: string;
  state: ParkingSpaceState;
}

function SpaceDrawer({ state, lots, onClose }: { state: SpaceDrawerState; lots: ParkingLot[]; onClose: () => void }) {
  const { t } = useTranslation(['properties', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<SpaceValues>();
  const m = useParkingMutations();
  const space = state?.mode === 'edit' ? state.space : null;
  const save = (v: SpaceValues) => {
    const body = { number: v.number.trim(), tenure: v.tenure, area: v.area.trim() || null, state: v.state };
    const opts = {
      onSuccess: () => {
        void message.success(t('messages.saved'));
        onClose();
      },
      onError: (error: unknown) => showError(error, form),
    };
    if (space) m.updateSpace.mutate({ spaceId: space.id, body }, opts);
    else m.createSpace.mutate({ parkingLotId: v.parkingLotId, ...body }, opts);
  };
  return (
    <Drawer
      open={!!state}
      onClose={onClose}
      title={space ? t('parking.editSpace', { number: space.number }) : t('parking.createSpace')}
      size={isMobile ? '100%' : 440}
      destroyOnHidden
      footer={
        <Space>
          <Button type="primary" loading={m.createSpace.isPending || m.updateSpace.isPending} onClick={() => form.submit()} data-testid="space-save">
            {t('common:actions.save')}
          </Button>
          <Button onClick={onClose}>{t('common:actions.cancel')}</Button>
        </Space>
      }
    >
      <Form<SpaceValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{
          parkingLotId: space?.parkingLotId ?? (state?.mode === 'create' ? state.parkingLotId : undefined) ?? lots[0]?.id,
          number: space?.number ?? '',
          tenure: space?.tenure ?? 'owned',
          area: space?.area ?? '',
          state: space?.state ?? 'vacant',
        }}
        onFinish={save}
      >
        <Form.Item name="parkingLotId" label={t('parking.lot')} rules={[{ required: true, message: t('common:form.required') }]}>
          <Select disabled={!!space} options={lots.map((l) => ({ value: l.id, label: l.name }))} data-testid="space-lot" />
        </Form.Item>
        <Form.Item name="number" label={t('parking.number')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
          <Input maxLength={20} placeholder="B1-001" data-testid="space-number" />
        </Form.Item>
        <Form.Item name="tenure" label={t('parking.tenure')}>
          <Select options={TENURES.map((v) => ({ value: v, label: t(`tenure.${v}`) }))} />
        </Form.Item>
        <Form.Item name="area" label={t('parking.area')} rules={[{ pattern: AREA_PATTERN, message: t('room.areaInvalid') }]}>
          <Input inputMode="decimal" suffix="m²" placeholder="12.50" data-testid="space-area" />
        </Form.Item>
        <Form.Item name="state" label={t('parking.state')}>
          <Select options={SPACE_STATES.map((v) => ({ value: v, label: t(`spaceState.${v}`) }))} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

/** `/registry/parking` — parking lots of a community and their spaces (filters, create, edit). */
export default function ParkingPage() {
  const { t } = useTranslation(['properties', 'common']);
  const { me } = useMe();
  const isMobile = useIsMobile();
  const canManage = hasPermission(me, 'properties.room.manage');
  const canExport = hasPermission(me, 'data.export.run');
  const { communityId, setCommunityId, communities, isPending } = useRegistryCommunity();
  const lots = useParkingLots(communityId);
  const [filters, setFilters] = useState<Omit<ParkingSpaceFilters, 'communityId'>>({});
  const [number, setNumber] = useState('');
  const [lotDrawer, setLotDrawer] = useState<LotDrawerState>(null);
  const [spaceDrawer, setSpaceDrawer] = useState<SpaceDrawerState>(null);
  const lotItems = lots.data?.items ?? [];
  const query: ParkingSpaceFilters = { communityId, ...filters };
  const lotName = (row: ParkingSpaceRow) => row.lotName ?? lotItems.find((l) => l.id === row.parkingLotId)?.name ?? '';

  const stateTag = (s: ParkingSpaceState) => <Tag color={SPACE_STATE_COLOR[s]}>{t(`spaceState.${s}`)}</Tag>;
  const editButton = (space: ParkingSpaceRow) =>
    canManage ? (
      <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setSpaceDrawer({ mode: 'edit', space })} data-testid={`space-edit-${space.number}`}>
        {t('common:actions.edit')}
      </Button>
    ) : null;
  const columns: TableProps<ParkingSpaceRow>['columns'] = [
    { title: t('parking.number'), dataIndex: 'number', fixed: 'left', render: (v: string) => <Typography.Text strong data-user-data>{v}</Typography.Text> },
    { title: t('parking.lot'), key: 'lot', render: (_, row) => <span data-user-data>{lotName(row)}</span> },
    { title: t('parking.tenure'), dataIndex: 'tenure', render: (v: ParkingTenure) => t(`tenure.${v}`) },
    { title: t('parking.area'), dataIndex: 'area', align: 'right', render: (v: string | null) => (v ? `${v} m²` : '—') },
    { title: t('parking.state'), dataIndex: 'state', render: stateTag },
    ...(canManage ? [{ title: t('columnActions'), key: 'actions', fixed: 'right' as const, render: (_: unknown, row: ParkingSpaceRow) => editButton(row) }] : []),
  ];

  const select = <V extends string>(value: V | undefined, label: string, options: { value: V; label: string }[], onChange: (v: V | undefined) => void, testId: string) => (
    <Select<V | typeof all>
      style={{ width: '100%' }}
      value={value ?? all}
      onChange={(v) => onChange(v === all ? undefined : (v))}
      options={[{ value: all, label: `${label}: ${t('common:common.all')}` }, ...options]}
      data-testid={testId}
    />
  );

  return (
    <>
      <PageHeader
        title={t('parking.title')}
        subtitle={t('parking.subtitle')}
        extra={
          <>
            <CommunitySelect
              value={communityId}
              onChange={(id) => {
                setCommunityId(id);
                setFilters({});
              }}
              communities={communities}
              loading={isPending}
              width={isMobile ? '100%' : 220}
            />
            {canExport ? (
              <>
                <Button icon={<DownloadOutlined />} href={exportUrl('parking-spaces', 'xlsx', { ...query })}>
                  {t('export.xlsx')}
                </Button>
                <Button icon={<DownloadOutlined />} href={exportUrl('parking-spaces', 'csv', { ...query })}>
                  {t('export.csv')}
                </Button>
              </>
            ) : null}
          </>
        }
      />
      <Card
        size="small"
        title={t('parking.lots')}
        style={{ marginBottom: 16 }}
        extra={
          canManage && communityId ? (
            <Button size="small" icon={<PlusOutlined />} onClick={() => setLotDrawer({ mode: 'create', communityId })} data-testid="lot-create">
              {t('parking.createLot')}
            </Button>
          ) : null
        }
      >
        {lotItems.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('parking.noLots')} />
        ) : (
          <Flex wrap gap={8}>
            {lotItems.map((lot) => (
              <Card key={lot.id} size="small" style={{ minWidth: 180 }} data-testid={`lot-${lot.code}`}>
                <Flex justify="space-between" align="center" gap={8}>
                  <Flex vertical>
                    <Typography.Link strong onClick={() => setFilters((f) => ({ ...f, parkingLotId: lot.id }))} data-user-data>
                      {lot.name}
                    </Typography.Link>
                    <Typography.Text type="secondary">
                      {lot.code} · {t(`lotKind.${lot.kind}`)}
                    </Typography.Text>
                  </Flex>
                  {canManage ? <Button size="small" type="text" icon={<EditOutlined />} aria-label={t('parking.editLot')} onClick={() => setLotDrawer({ mode: 'edit', lot })} /> : null}
                </Flex>
              </Card>
            ))}
          </Flex>
        )}
      </Card>
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={8} lg={6}>
          <Input.Search
            allowClear
            placeholder={t('parking.numberPlaceholder')}
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            onSearch={(v) => setFilters((f) => ({ ...f, q: v.trim() || undefined }))}
            enterButton
          />
        </Col>
        <Col xs={24} md={6} lg={5}>
          {select(filters.parkingLotId, t('parking.lot'), lotItems.map((l) => ({ value: l.id, label: l.name })), (parkingLotId) => setFilters((f) => ({ ...f, parkingLotId })), 'spaces-lot')}
        </Col>
        <Col xs={12} md={5} lg={4}>
          {select<ParkingTenure>(filters.tenure, t('parking.tenure'), TENURES.map((v) => ({ value: v, label: t(`tenure.${v}`) })), (tenure) => setFilters((f) => ({ ...f, tenure })), 'spaces-tenure')}
        </Col>
        <Col xs={12} md={5} lg={4}>
          {select<ParkingSpaceState>(filters.state, t('parking.state'), SPACE_STATES.map((v) => ({ value: v, label: t(`spaceState.${v}`) })), (state) => setFilters((f) => ({ ...f, state })), 'spaces-state')}
        </Col>
        {canManage ? (
          <Col xs={24} md={24} lg={5} style={{ textAlign: isMobile ? undefined : 'right' }}>
            <Button type="primary" icon={<PlusOutlined />} disabled={lotItems.length === 0} onClick={() => setSpaceDrawer({ mode: 'create', ...(filters.parkingLotId ? { parkingLotId: filters.parkingLotId } : {}) })} data-testid="space-create">
              {t('parking.createSpace')}
            </Button>
          </Col>
        ) : null}
      </Row>
      <DataTable<ParkingSpaceRow>
        queryKey={propertiesKeys.parkingSpaces(query)}
        fetchPage={(cursor, signal) => parkingApi.spaces(query, cursor, signal)}
        enabled={!!communityId}
        columns={columns}
        rowKey={(s) => s.id}
        rowTestId={(s) => `space-row-${s.number}`}
        renderCard={(s) => (
          <Flex vertical gap={4}>
            <Flex justify="space-between" align="center" gap={8}>
              <Typography.Text strong data-user-data>
                {s.number}
              </Typography.Text>
              {stateTag(s.state)}
            </Flex>
            <FieldLine label={t('parking.lot')}>
              <span data-user-data>{lotName(s)}</span>
            </FieldLine>
            <FieldLine label={t('parking.tenure')}>{t(`tenure.${s.tenure}`)}</FieldLine>
            {editButton(s)}
          </Flex>
        )}
      />
      <LotDrawer key={formKey(!!lotDrawer, lotDrawer?.mode === 'edit' ? lotDrawer.lot : null)} state={lotDrawer} onClose={() => setLotDrawer(null)} />
      <SpaceDrawer key={formKey(!!spaceDrawer, spaceDrawer?.mode === 'edit' ? spaceDrawer.space : null)} state={spaceDrawer} lots={lotItems} onClose={() => setSpaceDrawer(null)} />
    </>
  );
}
