import { Button, Descriptions, Flex, Table, Tag, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Receipt } from '@courtyard/contracts';
import { formatDateTime } from '../../ui/format';
import { formatCents, yuan } from './money';
import { PRINT_CSS } from './labels';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A receipt as printed: the print button prints only this block (print CSS hides the rest). */
export function ReceiptView({ receipt, inModal = false }: { receipt: Receipt; inModal?: boolean }) {
  const { t } = useTranslation('billing');
  return (
    <div className="billing-print" data-testid="receipt">
      <style>{PRINT_CSS}</style>
      <Flex vertical gap={12}>
        <Flex justify="space-between" align="center" wrap gap={8} style={inModal ? { paddingInlineEnd: 28 } : undefined}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {receipt.communityName} · {t('receipt.title')}
          </Typography.Title>
          <Flex gap={8} className="billing-no-print">
            <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="receipt-print">
              {t('receipt.print')}
            </Button>
          </Flex>
        </Flex>
        {receipt.status === 'void' ? <Tag color="red">{t('receipt.void')}</Tag> : null}
        <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
          <Descriptions.Item label={t('receipt.number')}>
            <span data-testid="receipt-number">{receipt.number}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('receipt.subject')}>{receipt.subjectLabel}</Descriptions.Item>
          <Descriptions.Item label={t('receipt.method')}>{t(`method.${receipt.method}` as 'method.cash', { defaultValue: receipt.method })}</Descriptions.Item>
          <Descriptions.Item label={t('receipt.payer')}>{receipt.payerName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('receipt.issuedAt')}>{formatDateTime(receipt.issuedAt)}</Descriptions.Item>
          {/* The collector by name (the server adds it); a raw user id means nothing on paper. */}
          {receipt.issuedByName || !UUID.test(receipt.issuedBy) ? (
            <Descriptions.Item label={t('receipt.issuedBy')}>
              <span data-testid="receipt-issued-by">{receipt.issuedByName ?? receipt.issuedBy}</span>
            </Descriptions.Item>
          ) : null}
        </Descriptions>
        <Table
          size="small"
          rowKey="billId"
          pagination={false}
          dataSource={receipt.lines}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('bill.feeItem'), dataIndex: 'feeItemName' },
            { title: t('bill.period'), dataIndex: 'periodLabel' },
            { title: t('bill.paid'), dataIndex: 'amountCents', align: 'right', render: (v: number) => formatCents(v) },
          ]}
        />
        <Flex vertical align="flex-end" gap={4}>
          {receipt.prepaidCents > 0 ? (
            <Typography.Text>
              {t('receipt.prepaid')}: {yuan(receipt.prepaidCents)}
            </Typography.Text>
          ) : null}
          <Typography.Text strong style={{ fontSize: 18 }} data-testid="receipt-total">
            {t('receipt.total')}: {yuan(receipt.amountCents)}
          </Typography.Text>
        </Flex>
      </Flex>
    </div>
  );
}
