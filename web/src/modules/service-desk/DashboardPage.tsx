import { useMemo, useState } from 'react';
import { Card, Col, Empty, Row, Segmented, Spin, Statistic, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ComplianceRow } from '@courtyard/contracts';
import { Chart, type ChartOption } from '../../ui/Chart';
import { PageHeader } from '../../ui/PageHeader';
import { useIsMobile } from '../../ui/useIsMobile';
import { CommunitySelect, useRegistryCommunity } from '../properties/registry';
import { useCompliance, useDashboard } from './api';
import { BOARD_STATES, useMinutes } from './labels';

type By = 'team' | 'technician' | 'category';
const STAGES = ['accept', 'dispatch', 'arrive', 'resolve'] as const;
const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

/**
 * `/service-desk/dashboard` — 服务统计: open requests by state, overdue, average time per stage,
 * satisfaction, and time-limit compliance per team, technician or category (ECharts, as on the
 * audit page).
 */
export default function DashboardPage() {
  const { t } = useTranslation('serviceDesk');
  const isMobile = useIsMobile();
  const minutes = useMinutes();
  const { communityId, setCommunityId, communities, isPending } = useRegistryCommunity();
  const [by, setBy] = useState<By>('team');
  const dashboard = useDashboard(communityId);
  const compliance = useCompliance(communityId, by);
  const d = dashboard.data;
  const openTotal = d?.openByState.reduce((s, x) => s + x.count, 0) ?? 0;
  // Workflow order, whatever order the server groups in.
  const byState = useMemo(() => [...(d?.openByState ?? [])].sort((a, b) => BOARD_STATES.indexOf(a.state) - BOARD_STATES.indexOf(b.state)), [d]);

  const stateOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 12, top: 16, bottom: 56 },
      xAxis: { type: 'category', data: byState.map((x) => t(`state.${x.state}`)), axisLabel: { interval: 0, rotate: 35 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: byState.map((x) => x.count), itemStyle: { color: '#1677ff' } }],
    }),
    [byState, t],
  );
  const stageOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? minutes(v) : String(v)) },
      grid: { left: 48, right: 12, top: 16, bottom: 32 },
      xAxis: { type: 'category', data: STAGES.map((s) => t(`stage.${s}`)) },
      yAxis: { type: 'value', name: t('dashboard.minutesAxis') },
      series: [{ type: 'bar', data: STAGES.map((s) => Math.round(d?.averageMinutes[s] ?? 0)), itemStyle: { color: '#fa8c16' } }],
    }),
    [d, t, minutes],
  );
  const rows = compliance.data?.items ?? [];
  const complianceOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${String(v)}%` },
      legend: { top: 0 },
      grid: { left: 40, right: 12, top: 32, bottom: 40 },
      xAxis: { type: 'category', data: rows.map((r) => r.name ?? t('dashboard.none')), axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0 } },
      yAxis: { type: 'value', max: 100 },
      series: (['acceptMet', 'arriveMet', 'resolveMet'] as const).map((k) => ({ type: 'bar', name: t(`dashboard.${k}`), data: rows.map((r) => (r[k] === null ? 0 : Math.round(r[k] * 100))) })),
    }),
    [rows, t],
  );

  return (
    <>
      <PageHeader title={t('dashboard.title')} subtitle={t('dashboard.subtitle')} extra={<CommunitySelect value={communityId} onChange={setCommunityId} communities={communities} loading={isPending} width={isMobile ? '100%' : 220} />} />
      {dashboard.isPending && communityId ? <Spin /> : null}
      {d ? (
        <Row gutter={[12, 12]}>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic title={t('dashboard.open')} value={openTotal} data-testid="dashboard-open" />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic title={t('dashboard.overdue')} value={d.overdue} styles={{ content: { color: d.overdue ? '#cf1322' : undefined } }} data-testid="dashboard-overdue" />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic title={t('dashboard.satisfaction')} value={d.satisfaction.average ?? '—'} precision={d.satisfaction.average === null ? undefined : 2} suffix={d.satisfaction.average === null ? undefined : '/ 5'} data-testid="dashboard-satisfaction" />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic title={t('dashboard.rated')} value={d.satisfaction.count} data-testid="dashboard-rated" />
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <Card size="small" title={t('dashboard.byState')}>
              {openTotal ? <Chart option={stateOption} height={240} testId="dashboard-chart-state" /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noOpen')} />}
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <Card size="small" title={t('dashboard.stages')}>
              <Chart option={stageOption} height={240} testId="dashboard-chart-stages" />
            </Card>
          </Col>
          <Col xs={24}>
            <Card
              size="small"
              title={t('dashboard.compliance')}
              extra={<Segmented<By> size="small" value={by} onChange={setBy} options={(['team', 'technician', 'category'] as const).map((b) => ({ value: b, label: t(`dashboard.by.${b}`) }))} />}
            >
              {rows.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noResolved')} />
              ) : (
                <>
                  <Chart option={complianceOption} height={260} testId="dashboard-chart-compliance" />
                  <Table<ComplianceRow>
                    size="small"
                    rowKey={(r) => r.key ?? 'none'}
                    pagination={false}
                    dataSource={rows}
                    scroll={{ x: 'max-content' }}
                    columns={[
                      { title: t(`dashboard.by.${by}`), dataIndex: 'name', render: (v: string | null) => v ?? t('dashboard.none') },
                      { title: t('dashboard.resolved'), dataIndex: 'resolved', align: 'right' },
                      { title: t('dashboard.acceptMet'), dataIndex: 'acceptMet', align: 'right', render: percent },
                      { title: t('dashboard.arriveMet'), dataIndex: 'arriveMet', align: 'right', render: percent },
                      { title: t('dashboard.resolveMet'), dataIndex: 'resolveMet', align: 'right', render: percent },
                    ]}
                  />
                </>
              )}
            </Card>
          </Col>
        </Row>
      ) : null}
    </>
  );
}
