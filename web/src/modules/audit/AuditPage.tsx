import { useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Descriptions, Flex, Form, Input, Row, Select, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import type { AuditRecord, AuditVerifyResult } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTime } from '../../ui/format';
import { useApiError } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { auditApi, auditKeys, type AuditFilters, type AuditResult } from './api';
import { SignInActivityCard } from './SignInActivityCard';

interface FilterValues {
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  result?: AuditResult | 'all';
  period?: [Dayjs | null, Dayjs | null] | null;
}

function toFilters(values: FilterValues): AuditFilters {
  const text = (v: string | undefined) => v?.trim() || undefined;
  const [from, to] = values.period ?? [null, null];
  return {
    actor: text(values.actor),
    action: text(values.action),
    entityType: text(values.entityType),
    entityId: text(values.entityId),
    result: values.result && values.result !== 'all' ? values.result : undefined,
    from: from ? from.startOf('day').toISOString() : undefined,
    to: to ? to.endOf('day').toISOString() : undefined,
  };
}

function Json({ value }: { value: unknown }) {
  const { t } = useTranslation('audit');
  if (value === null || value === undefined) return <Typography.Text type="secondary">{t('detail.nothing')}</Typography.Text>;
  return <pre className="json-block">{JSON.stringify(value, null, 2)}</pre>;
}

function RecordDetail({ record }: { record: AuditRecord }) {
  const { t } = useTranslation('audit');
  return (
    <div>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Typography.Text strong>{t('detail.before')}</Typography.Text>
          <Json value={record.before} />
        </Col>
        <Col xs={24} md={12}>
          <Typography.Text strong>{t('detail.after')}</Typography.Text>
          <Json value={record.after} />
        </Col>
      </Row>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginTop: 12 }}>
        <Descriptions.Item label={t('detail.userAgent')}>
          <Typography.Text style={{ wordBreak: 'break-all' }}>{record.userAgent ?? '—'}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('detail.requestId')}>
          <Typography.Text copyable={!!record.requestId}>{record.requestId ?? '—'}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('detail.community')}>{record.communityId ?? '—'}</Descriptions.Item>
      </Descriptions>
    </div>
  );
}

function VerifyResult({ result }: { result: AuditVerifyResult }) {
  const { t } = useTranslation('audit');
  return result.ok ? (
    <Alert type="success" showIcon title={t('verify.okTitle')} description={t('verify.okDetail', { checked: result.checked })} data-testid="audit-verify-result" />
  ) : (
    <Alert
      type="error"
      showIcon
      title={t('verify.brokenTitle')}
      description={
        <>
          {t('verify.brokenDetail', { checked: result.checked, seq: result.brokenAtSeq ?? '?' })}
          {result.problem ? <div>{t('verify.problem', { problem: result.problem })}</div> : null}
        </>
      }
      data-testid="audit-verify-result"
    />
  );
}

function RecordCard({ record }: { record: AuditRecord }) {
  const { t } = useTranslation('audit');
  const { t: tc } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Flex vertical gap={4}>
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Text code style={{ wordBreak: 'break-all' }}>
          {record.action}
        </Typography.Text>
        <Tag color={record.result === 'success' ? 'green' : 'red'}>{t(`results.${record.result}`)}</Tag>
      </Flex>
      <Typography.Text type="secondary">
        #{record.seq} · {formatDateTime(record.occurredAt)} · <span data-user-data>{record.actorName ?? record.actorId ?? tc('common.system')}</span>
      </Typography.Text>
      {record.entityType ? (
        <Typography.Text type="secondary" ellipsis>
          {record.entityType}
          {record.entityId ? ` · ${record.entityId}` : ''}
        </Typography.Text>
      ) : null}
      <div>
        <Button size="small" type="link" style={{ paddingInline: 0 }} onClick={() => setOpen((o) => !o)}>
          {open ? t('detail.hide') : t('detail.show')}
        </Button>
      </div>
      {open ? <RecordDetail record={record} /> : null}
    </Flex>
  );
}

/** `/audit`: the tamper-evident audit log, newest first, with filters and an integrity check. */
export default function AuditPage() {
  const { t } = useTranslation('audit');
  const { t: tc } = useTranslation();
  const { me } = useMe();
  const showError = useApiError();
  const [form] = Form.useForm<FilterValues>();
  const [filters, setFilters] = useState<AuditFilters>({});
  const isMobile = useIsMobile();
  const [moreFilters, setMoreFilters] = useState(false);
  const showAll = !isMobile || moreFilters;
  const verify = useMutation({ mutationFn: auditApi.verify, onError: (error) => showError(error) });

  const columns: TableProps<AuditRecord>['columns'] = [
    { title: t('columns.seq'), dataIndex: 'seq', align: 'right' },
    { title: t('columns.occurredAt'), dataIndex: 'occurredAt', render: (v: string) => formatDateTime(v) },
    {
      title: t('columns.actor'),
      key: 'actor',
      render: (_, r) => <span data-user-data>{r.actorName ?? r.actorId ?? tc('common.system')}</span>,
    },
    { title: t('columns.action'), dataIndex: 'action', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    {
      title: t('columns.entity'),
      key: 'entity',
      render: (_, r) =>
        r.entityType ? (
          <Typography.Text ellipsis={{ tooltip: r.entityId }} style={{ maxWidth: 260 }}>
            {r.entityType}
            {r.entityId ? ` · ${r.entityId}` : ''}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
    {
      title: t('columns.result'),
      dataIndex: 'result',
      render: (v: AuditResult) => <Tag color={v === 'success' ? 'green' : 'red'}>{t(`results.${v}`)}</Tag>,
    },
    { title: t('columns.ip'), dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
  ];

  return (
    <>
      <PageHeader
        title={t('title')}
        extra={
          hasPermission(me, 'audit.log.verify') ? (
            <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="audit-verify">
              {t('verify.button')}
            </Button>
          ) : null
        }
      />
      {verify.data ? (
        <div style={{ marginBottom: 16 }}>
          <VerifyResult result={verify.data} />
        </div>
      ) : null}
      {hasPermission(me, 'audit.log.read') && me && me.scopes['audit.log.read'] === null ? <SignInActivityCard /> : null}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form<FilterValues> form={form} layout="vertical" initialValues={{ result: 'all' }} onFinish={(values) => setFilters(toFilters(values))}>
          <Row gutter={[12, 0]}>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="actor" label={t('filters.actor')}>
                <Input allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="action" label={t('filters.action')}>
                <Input allowClear placeholder={t('filters.actionPlaceholder')} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={12} lg={6} style={showAll ? undefined : { display: 'none' }}>
              <Form.Item name="entityType" label={t('filters.entityType')}>
                <Input allowClear />
              </Form.Item>
            </Col>
            <Col xs={12} sm={12} lg={6} style={showAll ? undefined : { display: 'none' }}>
              <Form.Item name="entityId" label={t('filters.entityId')}>
                <Input allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6} style={showAll ? undefined : { display: 'none' }}>
              <Form.Item name="result" label={t('filters.result')}>
                <Select
                  options={[
                    { value: 'all', label: tc('common.all') },
                    { value: 'success', label: t('results.success') },
                    { value: 'failure', label: t('results.failure') },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={10} style={showAll ? undefined : { display: 'none' }}>
              <Form.Item name="period" label={t('filters.period')}>
                <DatePicker.RangePicker style={{ width: '100%' }} allowEmpty={[true, true]} />
              </Form.Item>
            </Col>
            <Col xs={24} lg={8}>
              <Form.Item label={isMobile ? undefined : ' '} colon={false}>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
                  {tc('actions.search')}
                </Button>
                <Button
                  style={{ marginInlineStart: 8 }}
                  onClick={() => {
                    form.resetFields();
                    setFilters({});
                  }}
                >
                  {tc('actions.reset')}
                </Button>
                {isMobile ? (
                  <Button type="link" onClick={() => setMoreFilters((m) => !m)}>
                    {moreFilters ? t('filters.less') : t('filters.more')}
                  </Button>
                ) : null}
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <DataTable<AuditRecord>
        queryKey={auditKeys.list(filters)}
        fetchPage={(cursor, signal) => auditApi.list(filters, cursor, signal)}
        columns={columns}
        rowKey={(r) => r.id}
        rowTestId={(r) => `audit-row-${r.seq}`}
        expandable={{ expandedRowRender: (record) => <RecordDetail record={record} /> }}
        renderCard={(record) => <RecordCard record={record} />}
      />
    </>
  );
}
