import { Card, Flex, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { ServiceRequestSummary } from '@courtyard/contracts';
import { formatDateTimeShort } from '../../ui/format';
import { PriorityTag, SlaTag, StateTag } from './labels';

/** One request as a card (kanban column, technician's tasks, owner's requests). */
export function RequestCard({ request: r, to, showState = false }: { request: ServiceRequestSummary; to: string; showState?: boolean }) {
  const { t } = useTranslation('serviceDesk');
  return (
    <Link to={to} data-testid={`request-card-${r.number}`}>
      <Card size="small" hoverable styles={{ body: { padding: 10 } }} style={r.sla?.overdue ? { borderColor: 'var(--ant-color-error)' } : undefined}>
        <Flex vertical gap={4} style={{ minWidth: 0 }}>
          <Flex justify="space-between" gap={6} align="center">
            <Typography.Text strong ellipsis>
              {r.number}
            </Typography.Text>
            {showState ? <StateTag state={r.state} /> : <PriorityTag priority={r.priority} />}
          </Flex>
          <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
            {r.categoryName ?? t(`type.${r.type}`)} · <span data-user-data>{r.location}</span>
          </Typography.Text>
          <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }} data-user-data>
            {r.summary}
          </Typography.Paragraph>
          <Flex justify="space-between" gap={6} align="center" wrap>
            <SlaTag sla={r.sla} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.technicianName ?? r.teamName ?? formatDateTimeShort(r.createdAt)}
            </Typography.Text>
          </Flex>
        </Flex>
      </Card>
    </Link>
  );
}
