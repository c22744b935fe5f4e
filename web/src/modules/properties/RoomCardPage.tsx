import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, List, Result, Row, Skeleton, Typography } from 'antd';
import { ArrowLeftOutlined, CarOutlined, EditOutlined, PlusOutlined, ToolOutlined, WalletOutlined } from '@ant-design/icons';
import { useIsMutating, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { hasPermission, useMe } from '../../app/session';
import { PageHeader } from '../../ui/PageHeader';
import { isApiError } from '../../ui/api';
import { useErrorText } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { RoomOccupancyPanel } from '../people/RoomOccupancyPanel';
import { RoomBillsCard } from '../billing/RoomBillsCard';
import { propertiesKeys, renovationsApi, useRoom, useRoomVehicles } from './api';
import { RoomStateTag } from './registry';
import { DepositTag, RenovationCreateDrawer, RenovationDetailDrawer, RenovationStateTag } from './RenovationDrawers';
import { RoomDrawer, type RoomDrawerState } from './StructureDrawers';
import { TagEditor } from './TagEditor';
import { formKey } from '../../ui/formKey';

const area = (value: string | null | undefined) => (value ? `${value} m²` : '—');

/** "Coming with a later module" card: says honestly that nothing is shown yet. */
function PlaceholderCard({ title, icon, text, testId }: { title: string; icon: ReactNode; text: string; testId: string }) {
  return (
    <Card size="small" title={title} data-testid={testId}>
      <Flex gap={12} align="center">
        <Typography.Text type="secondary" style={{ fontSize: 20 }}>
          {icon}
        </Typography.Text>
        <Typography.Text type="secondary">{text}</Typography.Text>
      </Flex>
    </Card>
  );
}

/** `/registry/rooms/:id` — the room card: facts, tags, occupants, vehicles, renovations. */
export default function RoomCardPage() {
  const { t } = useTranslation(['properties', 'common']);
  const { id = '' } = useParams();
  const { me } = useMe();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const errorText = useErrorText();
  const client = useQueryClient();
  const canManage = hasPermission(me, 'properties.room.manage');
  const canTag = hasPermission(me, 'properties.tag.manage');
  const canPeople = hasPermission(me, 'people.person.read');
  const canRenovate = hasPermission(me, 'properties.renovation.manage');
  const room = useRoom(id);
  const vehicles = useRoomVehicles(id, canPeople);
  const renovations = useQuery({
    queryKey: propertiesKeys.renovations({ roomId: id }),
    queryFn: ({ signal }) => renovationsApi.list({ roomId: id }, undefined, signal),
    enabled: !!id,
  });
  const [drawer, setDrawer] = useState<RoomDrawerState>(null);
  const [renovationOpen, setRenovationOpen] = useState<string | null>(null);
  const [creatingRenovation, setCreatingRenovation] = useState(false);

  // Moving people in or out changes the room's state (vacant → occupied …) on the server: when
  // the people panel's writes settle, read the room again.
  const mutating = useIsMutating();
  const wasMutating = useRef(false);
  useEffect(() => {
    if (mutating > 0) wasMutating.current = true;
    else if (wasMutating.current) {
      wasMutating.current = false;
      void client.invalidateQueries({ queryKey: propertiesKeys.room(id) });
      void client.invalidateQueries({ queryKey: propertiesKeys.roomVehicles(id) });
    }
  }, [mutating, client, id]);

  if (room.isPending) return <Skeleton active />;
  if (room.error || !room.data) {
    const missing = isApiError(room.error) && (room.error.status === 404 || room.error.status === 403);
    return missing ? (
      <Result
        status={isApiError(room.error) && room.error.status === 403 ? '403' : '404'}
        title={errorText(room.error)}
        extra={
          <Button onClick={() => void navigate('/registry')}>
            {t('room.backToTree')}
          </Button>
        }
      />
    ) : (
      <Alert type="error" showIcon title={t('common:errors.loadFailed')} description={errorText(room.error)} />
    );
  }
  const r = room.data;
  const back = `/registry?building=${encodeURIComponent(r.buildingId)}&unit=${encodeURIComponent(r.unitId)}`;

  const facts = (
    <Card size="small" title={t('room.facts')} data-testid="room-facts">
      <Descriptions column={isMobile ? 1 : 2} size="small" styles={{ label: { whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label={t('room.buildingArea')}>
          <span data-testid="room-building-area-value">{area(r.buildingArea)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('room.innerArea')}>{area(r.innerArea)}</Descriptions.Item>
        <Descriptions.Item label={t('room.floor')}>{t('tree.floor', { floor: r.floor })}</Descriptions.Item>
        <Descriptions.Item label={t('room.use')}>{t(`roomUse.${r.use}`)}</Descriptions.Item>
        <Descriptions.Item label={t('room.state')}>
          <RoomStateTag state={r.state} />
        </Descriptions.Item>
        <Descriptions.Item label={t('room.deliveredOn')}>{r.deliveredOn ?? t('room.notDelivered')}</Descriptions.Item>
        <Descriptions.Item label={t('room.tags')} span={isMobile ? 1 : 2}>
          <TagEditor entityType="room" entityId={r.id} communityId={r.communityId} tags={r.tags} canManage={canTag} />
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );

  const vehiclesCard = canPeople ? (
    <Card size="small" title={t('room.vehicles')} data-testid="room-vehicles">
      {vehicles.error ? (
        <Typography.Text type="danger">{errorText(vehicles.error)}</Typography.Text>
      ) : (
        <List
          size="small"
          loading={vehicles.isPending}
          dataSource={vehicles.data?.items ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('room.noVehicles')} /> }}
          renderItem={(v) => (
            <List.Item data-testid={`vehicle-${v.plate}`}>
              <Flex wrap gap={8} align="center" style={{ width: '100%' }}>
                <CarOutlined />
                <Typography.Text strong data-user-data>
                  {v.plate}
                </Typography.Text>
                <Typography.Text type="secondary" data-user-data>
                  {[v.brand, v.color].filter(Boolean).join(' · ')}
                </Typography.Text>
                {v.personId ? (
                  <Link to={`/registry/persons/${v.personId}`} data-user-data>
                    {v.personName}
                  </Link>
                ) : null}
                {v.parkingSpaceNumber ? <Typography.Text type="secondary">{t('room.space', { number: v.parkingSpaceNumber })}</Typography.Text> : null}
              </Flex>
            </List.Item>
          )}
        />
      )}
    </Card>
  ) : null;

  const renovationsCard = (
    <Card
      size="small"
      title={t('room.renovations')}
      data-testid="room-renovations"
      extra={
        canRenovate ? (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setCreatingRenovation(true)} data-testid="room-renovation-create">
            {t('renovation.create')}
          </Button>
        ) : null
      }
    >
      {renovations.error ? (
        <Typography.Text type="danger">{errorText(renovations.error)}</Typography.Text>
      ) : (
        <List
          size="small"
          loading={renovations.isPending}
          dataSource={renovations.data?.items ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('room.noRenovations')} /> }}
          renderItem={(rv) => (
            <List.Item style={{ cursor: 'pointer' }} onClick={() => setRenovationOpen(rv.id)} data-testid={`room-renovation-${rv.id}`}>
              <Flex wrap gap={8} align="center" style={{ width: '100%' }}>
                <RenovationStateTag state={rv.state} />
                <Typography.Text>
                  {rv.startsOn} ~ {rv.endsOn}
                </Typography.Text>
                <Typography.Text type="secondary" data-user-data>
                  {rv.contractor}
                </Typography.Text>
                <DepositTag renovation={rv} />
              </Flex>
            </List.Item>
          )}
        />
      )}
    </Card>
  );

  return (
    <>
      <PageHeader
        title={t('room.title', { code: r.code })}
        subtitle={
          <span data-user-data>
            {r.communityName} · {r.buildingName} · {r.unitName}
          </span>
        }
        extra={
          <>
            <Link to={back}>
              <Button icon={<ArrowLeftOutlined />} data-testid="room-back">
                {t('room.backToTree')}
              </Button>
            </Link>
            {canManage ? (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setDrawer({ mode: 'edit', room: r })} data-testid="room-edit">
                {t('common:actions.edit')}
              </Button>
            ) : null}
          </>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Flex vertical gap={16}>
            {facts}
            {canPeople ? (
              <Card size="small" data-testid="room-occupants">
                <RoomOccupancyPanel roomId={r.id} communityId={r.communityId} />
              </Card>
            ) : null}
          </Flex>
        </Col>
        <Col xs={24} xl={12}>
          <Flex vertical gap={16}>
            {vehiclesCard}
            {renovationsCard}
            {hasPermission(me, 'billing.bill.read') ? <RoomBillsCard roomId={r.id} /> : <PlaceholderCard title={t('room.bills')} icon={<WalletOutlined />} text={t('room.billsPlaceholder')} testId="room-bills" />}
            <PlaceholderCard title={t('room.serviceRequests')} icon={<ToolOutlined />} text={t('room.servicePlaceholder')} testId="room-service" />
          </Flex>
        </Col>
      </Row>
      <RoomDrawer key={formKey(!!drawer, drawer?.mode === 'edit' ? drawer.room : null)} state={drawer} onClose={() => setDrawer(null)} />
      <RenovationDetailDrawer renovationId={renovationOpen} onClose={() => setRenovationOpen(null)} />
      <RenovationCreateDrawer key={formKey(creatingRenovation, null)} open={creatingRenovation} communityId={r.communityId} room={{ id: r.id, code: r.code }} onClose={() => setCreatingRenovation(false)} />
    </>
  );
}
