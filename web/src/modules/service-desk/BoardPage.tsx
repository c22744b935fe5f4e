import { useMemo, useState } from 'react';
import { Badge, Button, Card, Empty, Flex, Segmented, Select, Switch, Table, Typography } from 'antd';
import { AppstoreOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { REQUEST_PRIORITIES, REQUEST_TYPES, type RequestState, type ServiceRequestSummary } from '@courtyard/contracts';
import { useMe } from '../../app/session';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTimeShort } from '../../ui/format';
import { useIsMobile } from '../../ui/useIsMobile';
import { CommunitySelect, useRegistryCommunity } from '../properties/registry';
import { useBoard, useCategories, useTeams, useTechnicians, type BoardFilters } from './api';
import { BOARD_STATES, PriorityTag, SlaTag, StateTag } from './labels';
import { NewRequestDialog } from './NewRequestDialog';
import { RequestCard } from './RequestCard';

/**
 * `/service-desk/board` — the customer-service board (工单看板): open requests of a community as a
 * kanban by state with counts, or as a filtered list. Every open card shows the time left on its
 * running limit, red once overdue.
 */
export default function BoardPage() {
  const { t } = useTranslation(['serviceDesk', 'common']);
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const { me } = useMe();
  const { communityId, setCommunityId, communities, isPending } = useRegistryCommunity();
  const [view, setView] = useState<'kanban' | 'list'>(isMobile ? 'list' : 'kanban');
  const [filters, setFilters] = useState<BoardFilters>({});
  const [creating, setCreating] = useState(false);
  const board = useBoard(communityId, filters);
  const categories = useCategories(communityId);
  const teams = useTeams(communityId);
  const technicians = useTechnicians(communityId);
  const items = useMemo(() => board.data?.items ?? [], [board.data]);
  const byState = useMemo(() => {
    const map = new Map<RequestState, ServiceRequestSummary[]>();
    for (const r of items) map.set(r.state, [...(map.get(r.state) ?? []), r]);
    return map;
  }, [items]);
  const canManage = me?.permissions.includes('service_desk.request.manage') ?? false;
  const set = (patch: Partial<BoardFilters>) => setFilters((f) => Object.fromEntries(Object.entries({ ...f, ...patch }).filter(([, v]) => v !== undefined && v !== null && v !== false)));
  const selectWidth = isMobile ? '100%' : 150;

  return (
    <>
      <PageHeader
        title={t('board.title')}
        subtitle={t('board.subtitle')}
        extra={
          <>
            <CommunitySelect value={communityId} onChange={setCommunityId} communities={communities} loading={isPending} width={isMobile ? '100%' : 200} />
            {canManage && communityId ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="request-create">
                {t('create.button')}
              </Button>
            ) : null}
            <Link to="/service-desk/dashboard">
              <Button>{t('dashboard.title')}</Button>
            </Link>
          </>
        }
      />
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }} data-testid="board-filters">
        <Segmented<'kanban' | 'list'>
          value={view}
          onChange={(v) => setView(v)}
          options={[
            { value: 'kanban', icon: <AppstoreOutlined />, label: t('board.kanban') },
            { value: 'list', icon: <UnorderedListOutlined />, label: t('board.list') },
          ]}
        />
        {view === 'list' ? (
          <Select allowClear placeholder={t('field.state')} style={{ width: selectWidth }} value={filters.state} onChange={(v) => set({ state: v })} options={BOARD_STATES.map((s) => ({ value: s, label: t(`state.${s}`) }))} />
        ) : null}
        <Select allowClear placeholder={t('field.type')} style={{ width: selectWidth }} value={filters.type} onChange={(v) => set({ type: v, categoryId: undefined })} options={REQUEST_TYPES.map((v) => ({ value: v, label: t(`type.${v}`) }))} />
        <Select
          allowClear
          placeholder={t('field.category')}
          style={{ width: selectWidth }}
          value={filters.categoryId}
          onChange={(v) => set({ categoryId: v })}
          options={(categories.data?.items ?? []).filter((c) => !filters.type || c.type === filters.type).map((c) => ({ value: c.id, label: c.name }))}
        />
        <Select allowClear placeholder={t('field.priority')} style={{ width: selectWidth }} value={filters.priority} onChange={(v) => set({ priority: v })} options={REQUEST_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} />
        <Select allowClear showSearch optionFilterProp="label" placeholder={t('field.technician')} style={{ width: selectWidth }} value={filters.technicianId} onChange={(v) => set({ technicianId: v })} options={(technicians.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))} />
        <Select allowClear placeholder={t('field.team')} style={{ width: selectWidth }} value={filters.teamId} onChange={(v) => set({ teamId: v })} options={(teams.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))} />
        <Flex gap={6} align="center">
          <Switch size="small" checked={filters.overdue ?? false} onChange={(v) => set({ overdue: v })} data-testid="filter-overdue" />
          <Typography.Text>{t('board.overdueOnly')}</Typography.Text>
        </Flex>
        <Typography.Text type="secondary" data-testid="board-count">
          {t('board.count', { count: items.length })}
        </Typography.Text>
      </Flex>

      {view === 'kanban' ? (
        <div style={{ overflowX: 'auto', paddingBottom: 8 }} data-testid="board-kanban">
          <Flex gap={12} align="flex-start" style={{ minWidth: 'min-content' }}>
            {BOARD_STATES.map((state) => {
              const column = byState.get(state) ?? [];
              return (
                <Card
                  key={state}
                  size="small"
                  style={{ width: 260, flex: 'none', background: 'var(--ant-color-fill-quaternary)' }}
                  styles={{ body: { padding: 8 } }}
                  title={
                    <Flex gap={8} align="center">
                      <StateTag state={state} />
                      <Badge count={column.length} showZero color={column.length ? '#1677ff' : '#bfbfbf'} data-testid={`board-column-count-${state}`} />
                    </Flex>
                  }
                  data-testid={`board-column-${state}`}
                >
                  <Flex vertical gap={8}>
                    {column.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('board.emptyColumn')} /> : null}
                    {column.map((r) => (
                      <RequestCard key={r.id} request={r} to={`/service-desk/requests/${r.id}`} />
                    ))}
                  </Flex>
                </Card>
              );
            })}
          </Flex>
        </div>
      ) : isMobile ? (
        <Flex vertical gap={8} data-testid="board-list">
          {items.length === 0 ? <Empty description={t('board.empty')} /> : null}
          {items.map((r) => (
            <RequestCard key={r.id} request={r} to={`/service-desk/requests/${r.id}`} showState />
          ))}
        </Flex>
      ) : (
        <Table<ServiceRequestSummary>
          size="small"
          rowKey="id"
          data-testid="board-list"
          loading={board.isFetching}
          dataSource={items}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: t('board.empty') }}
          onRow={(r) => ({ onClick: () => void navigate(`/service-desk/requests/${r.id}`), style: { cursor: 'pointer' } })}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('field.number'), dataIndex: 'number', width: 150 },
            { title: t('field.state'), dataIndex: 'state', render: (s: RequestState) => <StateTag state={s} /> },
            { title: t('field.type'), key: 'type', render: (_, r) => r.categoryName ?? t(`type.${r.type}`) },
            { title: t('field.location'), dataIndex: 'location' },
            { title: t('field.summary'), dataIndex: 'summary', ellipsis: true, width: 260 },
            { title: t('field.priority'), dataIndex: 'priority', render: (_, r) => <PriorityTag priority={r.priority} /> },
            { title: t('field.assignee'), key: 'assignee', render: (_, r) => [r.teamName, r.technicianName].filter(Boolean).join(' · ') || '—' },
            { title: t('field.sla'), key: 'sla', render: (_, r) => <SlaTag sla={r.sla} /> },
            { title: t('field.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTimeShort(v) },
          ]}
        />
      )}
      {communityId ? <NewRequestDialog communityId={communityId} open={creating} onClose={() => setCreating(false)} /> : null}
    </>
  );
}
