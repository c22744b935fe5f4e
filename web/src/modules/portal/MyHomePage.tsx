import { useEffect } from 'react';
import { Alert, Button, Card, Empty, Flex, List, Result, Space, Spin, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, CarOutlined, HomeOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { MyHome } from '@courtyard/contracts';
import { useErrorText } from '../../ui/useApiError';
import { usePortalHome } from '../people/api';
import { RELATION_COLORS } from '../people/labels';

type HomeRoom = MyHome['rooms'][number];

function RoomCard({ room }: { room: HomeRoom }) {
  const { t } = useTranslation('people');
  return (
    <Card size="small" data-testid={`my-room-${room.code}`} styles={{ body: { padding: 16 } }}>
      <Flex vertical gap={10}>
        <Flex justify="space-between" align="flex-start" gap={8}>
          <Flex vertical style={{ minWidth: 0 }}>
            <Typography.Text type="secondary" ellipsis data-user-data>
              {room.communityName}
            </Typography.Text>
            <Typography.Title level={4} style={{ margin: 0 }} data-user-data>
              {room.code}
            </Typography.Title>
          </Flex>
          <Tag color={RELATION_COLORS[room.relation]} style={{ marginInlineEnd: 0 }}>
            {t(`relation.${room.relation}`)}
          </Tag>
        </Flex>
        <Space size={[12, 4]} wrap>
          <Typography.Text>{t(`myHome.use.${room.use}`)}</Typography.Text>
          <Typography.Text>{t('myHome.area', { area: room.buildingArea })}</Typography.Text>
          <Typography.Text type="secondary">{t('myHome.since', { date: room.movedInOn })}</Typography.Text>
        </Space>
        <div>
          <Typography.Text strong>{t('myHome.household')}</Typography.Text>
          {room.household.length ? (
            <List
              size="small"
              split={false}
              dataSource={room.household}
              rowKey={(m) => `${m.name}-${m.relation}-${m.phone ?? ''}`}
              renderItem={(m) => (
                <List.Item style={{ paddingInline: 0 }}>
                  <Flex justify="space-between" align="center" gap={8} style={{ width: '100%' }}>
                    <Space size={6} style={{ minWidth: 0 }}>
                      <Typography.Text data-user-data>{m.name}</Typography.Text>
                      <Tag style={{ marginInlineEnd: 0 }}>{t(`relation.${m.relation}`)}</Tag>
                    </Space>
                    <Typography.Text type="secondary" style={{ fontVariantNumeric: 'tabular-nums' }} data-user-data>
                      {m.phone ?? '—'}
                    </Typography.Text>
                  </Flex>
                </List.Item>
              )}
            />
          ) : (
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
              {t('myHome.noHousehold')}
            </Typography.Paragraph>
          )}
        </div>
      </Flex>
    </Card>
  );
}

/** `/portal/home` (我的房屋): the signed-in owner's current rooms, household, vehicles and spaces. */
export default function MyHomePage() {
  const { t } = useTranslation('people');
  const { t: tc } = useTranslation();
  const errorText = useErrorText();
  const home = usePortalHome();
  useEffect(() => {
    document.title = `${t('myHome.title')} · ${tc('app.shortName')}`;
  }, [t, tc]);

  const header = (
    <Flex align="center" gap={8}>
      <Link to="/portal" aria-label={t('myHome.back')}>
        <Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('myHome.back')} />
      </Link>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('myHome.title')}
      </Typography.Title>
    </Flex>
  );

  if (home.isPending) {
    return (
      <Flex vertical gap={16}>
        {header}
        <Spin style={{ margin: 48 }} />
      </Flex>
    );
  }
  if (home.error) {
    return (
      <Flex vertical gap={16}>
        {header}
        <Alert type="error" showIcon title={tc('errors.loadFailed')} description={errorText(home.error)} />
      </Flex>
    );
  }
  const data = home.data;
  if (!data || data.rooms.length + data.parkingSpaces.length + data.vehicles.length === 0) {
    return (
      <Flex vertical gap={16}>
        {header}
        <Card>
          <Result icon={<HomeOutlined style={{ color: '#bfbfbf' }} />} title={t('myHome.empty')} subTitle={t('myHome.emptyHint')} data-testid="my-home-empty" />
        </Card>
      </Flex>
    );
  }

  return (
    <Flex vertical gap={16} data-testid="my-home">
      {header}
      {data.rooms.length ? (
        data.rooms.map((room) => <RoomCard key={`${room.id}-${room.relation}`} room={room} />)
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('myHome.empty')} />
      )}
      <Card size="small" title={t('myHome.vehicles')} data-testid="my-vehicles">
        {data.vehicles.length ? (
          <List
            size="small"
            split={false}
            dataSource={data.vehicles}
            rowKey={(v) => v.plate}
            renderItem={(v) => (
              <List.Item style={{ paddingInline: 0 }}>
                <Space size={8}>
                  <CarOutlined />
                  <Typography.Text strong data-user-data>
                    {v.plate}
                  </Typography.Text>
                  {v.parkingSpaceNumber ? <Typography.Text type="secondary">{t('myHome.plateSpace', { number: v.parkingSpaceNumber })}</Typography.Text> : null}
                </Space>
              </List.Item>
            )}
          />
        ) : (
          <Typography.Text type="secondary">{t('myHome.noVehicles')}</Typography.Text>
        )}
      </Card>
      <Card size="small" title={t('myHome.spaces')} data-testid="my-spaces">
        {data.parkingSpaces.length ? (
          <List
            size="small"
            split={false}
            dataSource={data.parkingSpaces}
            rowKey={(s) => `${s.id}-${s.relation}`}
            renderItem={(s) => (
              <List.Item style={{ paddingInline: 0 }}>
                <Flex justify="space-between" style={{ width: '100%' }} gap={8}>
                  <Typography.Text data-user-data>{t('myHome.spaceOf', { lot: s.lot, number: s.number })}</Typography.Text>
                  <Tag style={{ marginInlineEnd: 0 }}>{t(`relation.${s.relation}`)}</Tag>
                </Flex>
              </List.Item>
            )}
          />
        ) : (
          <Typography.Text type="secondary">{t('myHome.noSpaces')}</Typography.Text>
        )}
      </Card>
    </Flex>
  );
}
