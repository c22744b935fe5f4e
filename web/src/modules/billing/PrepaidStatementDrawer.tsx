import { Drawer, Empty, List, Typography, Flex } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PrepaidStatement } from '@courtyard/contracts';
import { api } from '../../ui/api';
import { formatDateTime } from '../../ui/format';
import { useIsMobile } from '../../ui/useIsMobile';
import { formatCents, yuan } from './money';

/** A room's prepaid statement (预存款明细): movements newest first with the running balance. */
export function PrepaidStatementDrawer({ subjectId, title, open, onClose }: { subjectId: string; title: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation('billing');
  const isMobile = useIsMobile();
  const statement = useQuery({
    queryKey: ['billing', 'prepaid-statement', subjectId],
    queryFn: ({ signal }) => api.get<PrepaidStatement>('/api/prepaid/statement', { subjectId, limit: 100 }, { signal }),
    enabled: open,
  });
  const items = statement.data?.items ?? [];
  return (
    <Drawer open={open} onClose={onClose} width={isMobile ? '100%' : 480} title={`${title} · ${t('prepaid.title')}`} destroyOnHidden>
      <Flex vertical gap={12} data-testid="prepaid-statement">
        <Typography.Text>
          {t('cashier.prepaid')}: <Typography.Text strong>{yuan(statement.data?.balanceCents ?? 0)}</Typography.Text>
        </Typography.Text>
        {items.length === 0 && !statement.isLoading ? <Empty description={t('prepaid.none')} /> : null}
        <List
          size="small"
          loading={statement.isLoading}
          dataSource={items}
          renderItem={(m) => (
            <List.Item>
              <Flex justify="space-between" style={{ width: '100%' }} gap={8}>
                <Flex vertical>
                  <Typography.Text>{t(`ledger.kind.${m.kind}` as 'ledger.kind.payment', { defaultValue: m.kind })}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(m.occurredAt)}
                  </Typography.Text>
                </Flex>
                <Flex vertical align="flex-end">
                  <Typography.Text type={m.amountCents < 0 ? 'danger' : 'success'}>{`${m.amountCents > 0 ? '+' : ''}${formatCents(m.amountCents)}`}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('prepaid.balance')} {formatCents(m.balanceCents)}
                  </Typography.Text>
                </Flex>
              </Flex>
            </List.Item>
          )}
        />
      </Flex>
    </Drawer>
  );
}
