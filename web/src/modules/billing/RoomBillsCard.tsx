import { Card, Flex, List, Tag, Typography } from 'antd';
import { WalletOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../ui/api';
import type { BillPage } from './api';
import { formatCents, yuan } from './money';
import { sumCents } from './labels';

/** The room card's bills panel: what the room owes now and its latest bills. */
export function RoomBillsCard({ roomId }: { roomId: string }) {
  const { t } = useTranslation('billing');
  const bills = useQuery({
    queryKey: ['billing', 'room-card-bills', roomId],
    queryFn: ({ signal }) => api.get<BillPage>(`/api/rooms/${roomId}/bills`, { limit: 20 }, { signal }),
  });
  const items = bills.data?.items ?? [];
  const open = items.filter((b) => b.status === 'open');
  return (
    <Card
      size="small"
      loading={bills.isLoading}
      title={
        <Flex gap={8} align="center">
          <WalletOutlined />
          {t('room.title')}
        </Flex>
      }
      extra={
        <Typography.Text strong type={open.length > 0 ? 'danger' : 'success'} data-testid="room-bills-owed">
          {open.length > 0 ? t('room.owes', { amount: yuan(sumCents(open.map((b) => b.outstandingCents))) }) : t('room.nothingOwed')}
        </Typography.Text>
      }
      data-testid="room-bills"
    >
      <List
        size="small"
        dataSource={items.slice(0, 8)}
        locale={{ emptyText: t('room.none') }}
        renderItem={(b) => (
          <List.Item>
            <Flex justify="space-between" style={{ width: '100%' }} gap={8}>
              <Typography.Text ellipsis>
                {b.periodLabel} · {b.feeItemName}
              </Typography.Text>
              <Flex gap={6} align="center" style={{ flex: 'none' }}>
                <Typography.Text>{formatCents(b.status === 'open' ? b.outstandingCents : b.amountCents)}</Typography.Text>
                <Tag color={b.status === 'open' ? (b.overdue ? 'red' : 'orange') : b.status === 'paid' ? 'green' : 'default'} style={{ marginInlineEnd: 0 }}>
                  {t(`status.${b.status}`)}
                </Tag>
              </Flex>
            </Flex>
          </List.Item>
        )}
      />
    </Card>
  );
}
