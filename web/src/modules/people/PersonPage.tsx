import { useState } from 'react';
import { App, Button, Card, Col, Descriptions, Empty, Flex, List, Popconfirm, Result, Row, Space, Spin, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, EditOutlined, PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Vehicle } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTimeShort } from '../../ui/format';
import { useApiError, useErrorText } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { useCommunities } from '../properties/api';
import { peopleKeys, useOccupancies, usePerson, useRemoveVehicle, vehiclesApi } from './api';
import { ChecklistsCard } from './ChecklistsCard';
import { MoveInDialog } from './MoveInDialog';
import { OccupancyList } from './RoomOccupancyPanel';
import { PersonFormDrawer } from './PersonFormDrawer';
import { PersonSecret, TagChip } from './parts';
import { VehicleModal } from './VehicleModal';
import { formKey } from '../../ui/formKey';

function VehiclesOfPerson({ personId, personName, communityId, canManage }: { personId: string; personName: string; communityId: string; canManage: boolean }) {
  const { t } = useTranslation(['people', 'common']);
  const { message } = App.useApp();
  const showError = useApiError();
  const filters = { personId };
  const list = useQuery({ queryKey: peopleKeys.vehicleList(filters), queryFn: ({ signal }) => vehiclesApi.list(filters, undefined, signal) });
  const remove = useRemoveVehicle();
  const [editing, setEditing] = useState<Vehicle | null | 'new'>(null);
  return (
    <Card
      title={t('card.vehicles')}
      extra={
        canManage ? (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="vehicle-add">
            {t('vehicles.create')}
          </Button>
        ) : null
      }
    >
      <Spin spinning={list.isPending}>
        {list.data?.items.length ? (
          <List
            size="small"
            dataSource={list.data.items}
            rowKey={(v) => v.id}
            renderItem={(v) => (
              <List.Item
                data-testid={`vehicle-${v.plate}`}
                actions={
                  canManage
                    ? [
                        <Button key="edit" size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing(v)} aria-label={t('common:actions.edit')} />,
                        <Popconfirm
                          key="remove"
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
                        </Popconfirm>,
                      ]
                    : undefined
                }
              >
                <Flex vertical gap={2}>
                  <Typography.Text strong data-user-data>
                    {v.plate}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 13 }} data-user-data>
                    {[v.brand, v.color, v.parkingSpaceNumber ? t('occupancy.space', { number: v.parkingSpaceNumber }) : null].filter(Boolean).join(' · ') || '—'}
                  </Typography.Text>
                </Flex>
              </List.Item>
            )}
          />
        ) : list.isPending ? null : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('vehicles.none')} />
        )}
      </Spin>
      <VehicleModal
        key={formKey(editing !== null, editing === 'new' ? null : editing)}
        open={editing !== null}
        onClose={() => setEditing(null)}
        vehicle={editing === 'new' ? null : editing}
        communityId={communityId}
        personId={personId}
        personName={personName}
      />
    </Card>
  );
}

/** `/registry/persons/:id`: details, tags, rooms and spaces with history, vehicles, checklists. */
export default function PersonPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation(['people', 'common']);
  const { me } = useMe();
  const isMobile = useIsMobile();
  const errorText = useErrorText();
  const canManage = hasPermission(me, 'people.person.manage');
  const person = usePerson(id);
  const occupancies = useOccupancies({ kind: 'person', id });
  const communities = useCommunities();
  const [editing, setEditing] = useState(false);
  const [moving, setMoving] = useState(false);

  if (person.isPending) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  if (!person.data) {
    return (
      <Result
        status="404"
        title={t('card.notFound')}
        subTitle={person.error ? errorText(person.error) : undefined}
        extra={
          <Link to="/registry/persons">
            <Button>{t('card.back')}</Button>
          </Link>
        }
      />
    );
  }
  const p = person.data;
  const community = communities.data?.items.find((c) => c.id === p.communityId);

  return (
    <>
      <PageHeader
        title={p.name}
        subtitle={
          <Space size={6} wrap>
            {community ? <span data-user-data>{community.name}</span> : null}
            <span>{t(`kind.${p.kind}`)}</span>
          </Space>
        }
        extra={
          <>
            <Link to="/registry/persons">
              <Button icon={<ArrowLeftOutlined />}>{t('card.back')}</Button>
            </Link>
            {canManage ? (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="person-edit">
                {t('card.edit')}
              </Button>
            ) : null}
          </>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('card.details')} data-testid="person-details">
            <Descriptions column={1} size="small" labelStyle={{ width: isMobile ? 96 : 120 }}>
              <Descriptions.Item label={t('person.name')}>
                <span data-user-data>{p.name}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('person.gender')}>{t(`gender.${p.gender}`)}</Descriptions.Item>
              <Descriptions.Item label={t('person.phone')}>
                <PersonSecret person={p} field="phone" />
              </Descriptions.Item>
              <Descriptions.Item label={t('person.idNumber')}>
                <Space size={4} wrap>
                  {p.idType ? <Typography.Text type="secondary">{t(`idType.${p.idType}`)}</Typography.Text> : null}
                  <PersonSecret person={p} field="idNumber" />
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={t('person.email')}>
                <span data-user-data>{p.email ?? '—'}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('person.emergencyContact')}>
                <span data-user-data>{p.emergencyContact ?? '—'}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('person.emergencyPhone')}>
                <PersonSecret person={p} field="emergencyPhone" />
              </Descriptions.Item>
              <Descriptions.Item label={t('person.portalAccount')}>
                <Tag color={p.userId ? 'green' : 'default'}>{p.userId ? t('person.linked') : t('person.notLinked')}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('person.tags')}>
                {p.tags.length ? (
                  <Space size={[4, 4]} wrap>
                    {p.tags.map((tag) => (
                      <TagChip key={tag.id} tag={tag} />
                    ))}
                  </Space>
                ) : (
                  '—'
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('person.notes')}>
                <span data-user-data style={{ whiteSpace: 'pre-wrap' }}>
                  {p.notes ?? '—'}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('person.createdAt')}>{formatDateTimeShort(p.createdAt)}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Flex vertical gap={16}>
            <Card
              title={t('card.rooms')}
              data-testid="person-occupancies"
              extra={
                canManage ? (
                  <Button size="small" icon={<UserAddOutlined />} onClick={() => setMoving(true)} data-testid="person-move-in">
                    {t('card.moveIn')}
                  </Button>
                ) : null
              }
            >
              <OccupancyList owner={{ kind: 'person', id }} show="place" canManage={canManage} />
            </Card>
            <VehiclesOfPerson personId={p.id} personName={p.name} communityId={p.communityId} canManage={canManage} />
            <Card title={t('card.checklists')}>
              <ChecklistsCard personId={p.id} occupancies={occupancies.data?.items ?? []} canManage={canManage} />
            </Card>
          </Flex>
        </Col>
      </Row>
      {canManage ? (
        <>
          <PersonFormDrawer key={formKey(editing, p)} open={editing} onClose={() => setEditing(false)} person={p} />
          <MoveInDialog key={formKey(moving, null)} open={moving} onClose={() => setMoving(false)} communityId={p.communityId} personId={p.id} />
        </>
      ) : null}
    </>
  );
}
