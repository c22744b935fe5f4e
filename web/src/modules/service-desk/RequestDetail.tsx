import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Empty, Flex, Rate, Result, Spin, Table, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FileInfo, PricedLine, RequestAction, ServiceRequest } from '@courtyard/contracts';
import { Attachments } from '../../ui/Attachments';
import { formatDateTimeShort } from '../../ui/format';
import { useErrorText } from '../../ui/useApiError';
import { formatCents } from '../properties/money';
import { hasPermission, useMe } from '../../app/session';
import { useBill } from '../billing/api';
import { ActionDialog } from './ActionDialog';
import { useRequest } from './api';
import { PriorityTag, SlaTag, StateTag } from './labels';

/** Order of the buttons: the expected next step first, the ones that stop the work last. */
const ACTION_ORDER: readonly RequestAction[] = ['accept', 'take', 'dispatch', 'start', 'resume', 'resolve', 'confirm', 'close', 'pause', 'wait_parts', 'reopen', 'reject', 'cancel'];
const PRIMARY: readonly RequestAction[] = ['accept', 'take', 'start', 'resolve', 'confirm', 'close'];
const DANGER: readonly RequestAction[] = ['reject', 'cancel', 'reopen'];

/**
 * A request as its viewer sees it: the fields, the running time limit, photos, the priced lines,
 * the timeline (who, when, from → to, comment) and a button for each action the server says the
 * viewer may take now. Shared by the console, the technician's phone view and the owner portal.
 */
export function RequestDetail({ requestId, canAttach, compact = false }: { requestId: string; canAttach: boolean; compact?: boolean }) {
  const { t } = useTranslation('serviceDesk');
  const errorText = useErrorText();
  const query = useRequest(requestId);
  const { me } = useMe();
  const [action, setAction] = useState<RequestAction | null>(null);
  if (query.isPending) return <Spin />;
  if (query.isError) return <Result status="warning" title={errorText(query.error)} />;
  const r: ServiceRequest = query.data;
  const actions = ACTION_ORDER.filter((a) => r.actions.includes(a));
  // The files module lets staff who manage requests of the community delete any photo, everyone
  // else (owner, technician) only the photos they uploaded: offer delete only where it will work.
  const manageScope = me?.scopes['service_desk.request.manage'];
  const manages = !!me?.permissions.includes('service_desk.request.manage') && (manageScope === null || !!manageScope?.includes(r.communityId));
  const canDelete = (file: FileInfo) => manages || (!!me && file.uploadedBy === me.user.id);

  return (
    <Flex vertical gap={12} data-testid="request-detail">
      <Card size="small">
        <Flex justify="space-between" align="flex-start" gap={8} wrap>
          <Flex vertical style={{ minWidth: 0 }}>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="request-number">
              {r.number}
            </Typography.Title>
            <Typography.Text type="secondary">
              {t(`type.${r.type}`)}
              {r.categoryName ? ` · ${r.categoryName}` : ''} · {t(`channel.${r.channel}`)}
            </Typography.Text>
          </Flex>
          <Flex gap={6} wrap>
            <StateTag state={r.state} />
            <PriorityTag priority={r.priority} />
            <SlaTag sla={r.sla} />
          </Flex>
        </Flex>
        <Typography.Paragraph style={{ margin: '12px 0 0', whiteSpace: 'pre-wrap' }} data-user-data>
          {r.description}
        </Typography.Paragraph>
        {actions.length ? (
          <Flex gap={8} wrap style={{ marginTop: 12 }} data-testid="request-actions">
            {actions.map((a) => (
              <Button key={a} type={PRIMARY.includes(a) ? 'primary' : 'default'} danger={DANGER.includes(a)} onClick={() => setAction(a)} data-testid={`action-${a}`} block={compact}>
                {t(`action.${a}`)}
              </Button>
            ))}
          </Flex>
        ) : null}
      </Card>
      {r.rejectReason ? <Alert type="warning" showIcon title={t('field.rejectReason')} description={r.rejectReason} /> : null}
      {r.pauseReason && (r.state === 'paused' || r.state === 'waiting_parts') ? <Alert type="info" showIcon title={t('field.pauseReason')} description={r.pauseReason} /> : null}
      <Card size="small" title={t('detail.info')}>
        <Descriptions column={compact ? 1 : 2} size="small">
          <Descriptions.Item label={t('field.location')}>
            <span data-user-data>{r.location}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('field.contact')}>
            <span data-user-data>{[r.contactName, r.contactPhone].filter(Boolean).join(' ') || '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('field.assignee')}>{[r.teamName, r.technicianName].filter(Boolean).join(' · ') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('field.createdAt')}>{formatDateTimeShort(r.createdAt)}</Descriptions.Item>
          {r.preferredFrom ? (
            <Descriptions.Item label={t('field.preferred')}>
              {formatDateTimeShort(r.preferredFrom)} – {formatDateTimeShort(r.preferredTo)}
            </Descriptions.Item>
          ) : null}
          {r.result ? (
            <Descriptions.Item label={t('field.result')} span={compact ? 1 : 2}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{r.result}</span>
            </Descriptions.Item>
          ) : null}
          {r.rating ? (
            <Descriptions.Item label={t('field.rating')} span={compact ? 1 : 2}>
              <Flex vertical>
                <Rate disabled value={r.rating} style={{ fontSize: 16 }} />
                {r.ratingComment ? <Typography.Text data-user-data>{r.ratingComment}</Typography.Text> : null}
              </Flex>
            </Descriptions.Item>
          ) : null}
        </Descriptions>
      </Card>
      {r.lines.length ? (
        <Card
          size="small"
          title={t('lines.title')}
          extra={
            r.charge ? (
              <Typography.Text type="secondary" data-testid="charge-status">
                {t(`charge.${r.charge.status}`)}
              </Typography.Text>
            ) : null
          }
        >
          <Table<PricedLine>
            size="small"
            pagination={false}
            rowKey={(l, i) => `${l.name}-${i ?? 0}`}
            dataSource={r.lines}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('lines.kind'), dataIndex: 'kind', render: (k: PricedLine['kind']) => t(`lines.${k}`) },
              { title: t('lines.name'), dataIndex: 'name' },
              { title: t('lines.quantity'), dataIndex: 'quantity', align: 'right' },
              { title: t('lines.amount'), dataIndex: 'amountCents', align: 'right', render: (c: number) => formatCents(c) },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={3}>
                  {t('lines.sum')}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  <strong data-testid="request-cost">{formatCents(r.costCents)}</strong>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
          {r.charge?.billId ? <ChargeBill billId={r.charge.billId} /> : null}
        </Card>
      ) : null}
      <Card size="small" title={t('photos.title')}>
        <Attachments ownerType="service_request" ownerId={r.id} canWrite={canAttach} canDelete={canDelete} categories={['photo']} />
      </Card>
      <Card size="small" title={t('detail.timeline')}>
        {r.timeline.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <Timeline
            data-testid="request-timeline"
            items={[...r.timeline].reverse().map((e) => ({
              key: e.id,
              content: (
                <Flex vertical gap={2}>
                  <Typography.Text strong>
                    {t(`timeline.${e.action}`)} · {e.fromState ? `${t(`state.${e.fromState}`)} → ` : ''}
                    {t(`state.${e.toState}`)}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {e.actorName} · {formatDateTimeShort(e.at)}
                  </Typography.Text>
                  {e.comment ? (
                    <Typography.Text style={{ whiteSpace: 'pre-wrap' }} data-user-data>
                      {e.comment}
                    </Typography.Text>
                  ) : null}
                </Flex>
              ),
            }))}
          />
        )}
      </Card>
      <ActionDialog request={r} action={action} onClose={() => setAction(null)} />
    </Flex>
  );
}

/**
 * The bill a paid repair became (billing issued it from the charge), for staff who may read bills;
 * everyone else sees only the charge status (owners find the bill under their portal bills).
 */
function ChargeBill({ billId }: { billId: string }) {
  const { t } = useTranslation('serviceDesk');
  const { me } = useMe();
  const canRead = hasPermission(me, 'billing.bill.read');
  const bill = useBill(canRead ? billId : undefined);
  if (!canRead || !bill.data) return null;
  const b = bill.data;
  return (
    <Descriptions size="small" column={1} style={{ marginTop: 8 }} data-testid="charge-bill">
      <Descriptions.Item label={t('charge.bill')}>
        <Flex vertical>
          <span>{t('charge.billLine', { fee: b.feeItemName, amount: formatCents(b.amountCents), due: b.dueOn })}</span>
          <Typography.Text type={b.status === 'paid' ? 'success' : 'warning'}>{b.status === 'paid' ? t('charge.billPaid') : t('charge.billOpen', { amount: formatCents(b.outstandingCents) })}</Typography.Text>
        </Flex>
      </Descriptions.Item>
    </Descriptions>
  );
}
