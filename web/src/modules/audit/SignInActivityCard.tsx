import { useMemo } from 'react';
import { Card, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../ui/Chart';
import { auditApi, auditKeys } from './api';

/** Sign-ins per day for the last two weeks: a burst of refusals or lockouts stands out at a glance. */
export function SignInActivityCard() {
  const { t } = useTranslation('audit');
  const { data } = useQuery({ queryKey: auditKeys.signInActivity(14), queryFn: () => auditApi.signInActivity(14) });
  const option = useMemo<ChartOption>(() => {
    const days = data?.days ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 8, right: 8, top: 16, bottom: 36, containLabel: true },
      xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('activity.succeeded'), type: 'bar', stack: 'sign-ins', data: days.map((d) => d.succeeded), itemStyle: { color: '#52c41a' } },
        { name: t('activity.failed'), type: 'bar', stack: 'sign-ins', data: days.map((d) => d.failed), itemStyle: { color: '#ff4d4f' } },
        { name: t('activity.locked'), type: 'line', data: days.map((d) => d.locked), itemStyle: { color: '#faad14' } },
      ],
    };
  }, [data, t]);
  return (
    <Card size="small" title={t('activity.title')} style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('activity.hint')}
      </Typography.Paragraph>
      <Chart option={option} height={240} testId="sign-in-activity" />
    </Card>
  );
}
