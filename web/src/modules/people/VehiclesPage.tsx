import { useState } from 'react';
import { App, Button, Col, Dropdown, Flex, Input, Popconfirm, Row, Space, Typography } from 'antd';
import type { TableProps } from 'antd';
import { DeleteOutlined, DownloadOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Vehicle } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { useApiError } from '../../ui/useApiError';
import { useCommunities } from '../properties/api';
import { peopleKeys, useRemoveVehicle, vehiclesApi, type VehicleFilters } from './api';
import { CommunityPicker } from './parts';
import { VehicleModal } from './VehicleModal';
import { formKey } from '../../ui/formKey';

/** `/registry/vehicles` (车辆管理): by plate prefix and community; register, edit, remove. */
export default function VehiclesPage() {
  const { t } = useTranslation(['people', 'common']);
  const { message } = App.useApp();
  const { me } = useMe();
  const showError = useApiError();
  const [params] = useSearchParams();
  const communities = useCommunities();
  const canManage = hasPermission(me, 'people.person.manage');
  const canExport = hasPermission(me, 'data.export.run');
  const initialQ = params.get('q') ?? '';
  const [search, setSearch] = useState(initialQ);
  const [filters, setFilters] = useState<VehicleFilters>(initialQ ? { q: initialQ } : {});
  const [editing, setEditing] = useState<Vehicle | null | 'new'>(null);
  const remove = useRemoveVehicle();
  const communityName = (id: string) => communities.data?.items.find((c) => c.id === id)?.name ?? '';

  const actions = (v: Vehicle) =>
    canManage ? (
      <Space size={4}>
        <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing(v)} aria-label={t('common:actions.edit')} data-testid={`vehicle-edit-${v.plate}`} />
        <Popconfirm
          title={t('vehicles.removeConfirm', { plate: v.plate })}
          okText={t('common:actions.delete')}
          cancelText={t('common:actions.cancel')}
          onConfirm={() =>
            remove.mutate(v.id, {
              onSuccess: () => void message.success(t('vehicles.removed', { plate: v.plate })),
              onError: (error) => showError(error),
            })
          }
        >
          <Button size="small" type="link" danger icon={<DeleteOutlined />} aria-label={t('common:actions.delete')} />
        </Popconfirm>
      </Space>
    ) : null;

  const owner = (v: Vehicle) =>
    v.personId ? (
      <Link to={`/registry/persons/${v.personId}`} data-user-data>
        {v.personName}
      </Link>
    ) : (
      '—'
    );

  const columns: TableProps<Vehicle>['columns'] = [
    { title: t('vehicles.plate'), dataIndex: 'plate', fixed: 'left', render: (plate: string) => <Typography.Text strong data-user-data>{plate}</Typography.Text> },
    { title: t('vehicles.owner'), key: 'owner', render: (_, v) => owner(v) },
    { title: t('vehicles.space'), dataIndex: 'parkingSpaceNumber', render: (n: string | null) => n ?? '—' },
    { title: t('vehicles.brand'), dataIndex: 'brand', render: (v: string | null) => <span data-user-data>{v ?? '—'}</span> },
    { title: t('vehicles.color'), dataIndex: 'color', render: (v: string | null) => <span data-user-data>{v ?? '—'}</span> },
    { title: t('vehicles.community'), dataIndex: 'communityId', render: (id: string) => <span data-user-data>{communityName(id)}</span> },
    { title: '', key: 'actions', fixed: 'right', render: (_, v) => actions(v) },
  ];

  const renderCard = (v: Vehicle) => (
    <Flex vertical gap={4}>
      <Flex justify="space-between" align="center">
        <Typography.Text strong data-user-data>
          {v.plate}
        </Typography.Text>
        {actions(v)}
      </Flex>
      <Typography.Text type="secondary">
        {t('vehicles.owner')}: {owner(v)}
      </Typography.Text>
      <Typography.Text type="secondary" data-user-data>
        {[v.brand, v.color, v.parkingSpaceNumber ? t('occupancy.space', { number: v.parkingSpaceNumber }) : null].filter(Boolean).join(' · ') || '—'}
      </Typography.Text>
    </Flex>
  );

  return (
    <>
      <PageHeader
        title={t('vehicles.title')}
        extra={
          <>
            {canExport ? (
              <Dropdown
                trigger={['click']}
                menu={{
                  items: (['xlsx', 'csv'] as const).map((format) => ({
                    key: format,
                    label: (
                      <a href={vehiclesApi.exportUrl(format, filters)} download>
                        {t(format === 'xlsx' ? 'persons.exportXlsx' : 'persons.exportCsv')}
                      </a>
                    ),
                  })),
                }}
              >
                <Button icon={<DownloadOutlined />}>{t('persons.export')}</Button>
              </Dropdown>
            ) : null}
            {canManage ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="vehicle-create">
                {t('vehicles.create')}
              </Button>
            ) : null}
          </>
        }
      />
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={10} lg={8}>
          <Input.Search
            allowClear
            placeholder={t('vehicles.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(value) => setFilters((f) => ({ ...f, q: value.trim() || undefined }))}
            enterButton
            data-testid="vehicles-search"
          />
        </Col>
        <Col xs={24} md={8} lg={6}>
          <CommunityPicker allowAll value={filters.communityId} onChange={(communityId) => setFilters((f) => ({ ...f, communityId }))} />
        </Col>
      </Row>
      <DataTable<Vehicle>
        queryKey={peopleKeys.vehicleList(filters)}
        fetchPage={(cursor, signal) => vehiclesApi.list(filters, cursor, signal)}
        columns={columns}
        rowKey={(v) => v.id}
        rowTestId={(v) => `vehicle-row-${v.plate}`}
        renderCard={renderCard}
      />
      <VehicleModal
        key={formKey(editing !== null, editing === 'new' ? null : editing)}
        open={editing !== null}
        onClose={() => setEditing(null)}
        vehicle={editing === 'new' ? null : editing}
        communityId={editing === 'new' ? filters.communityId : undefined}
      />
    </>
  );
}
