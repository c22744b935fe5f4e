import { App, Empty, Flex, Spin, Switch, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Technician } from '@courtyard/contracts';
import { api } from '../../ui/api';
import { PageHeader } from '../../ui/PageHeader';
import { useApiError } from '../../ui/useApiError';
import { useMe } from '../../app/session';
import { deskKeys, useMyWork, useTechnicians } from './api';
import { RequestCard } from './RequestCard';

/**
 * `/service-desk/my-tasks` — the technician's phone view (我的工单): open work dispatched to me or
 * to my teams, most urgent limit first, and my duty switch (上班 / 下班). Opening a task leads to
 * its detail, where start, pause, resolve … are the buttons the server allows.
 */
export default function MyTasksPage() {
  const { t } = useTranslation('serviceDesk');
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const work = useMyWork();
  const { me } = useMe();
  // My technician record in the (first) community I work in: its duty flag drives the switch.
  const communityId = me?.scopes['service_desk.request.work']?.[0];
  const technicians = useTechnicians(communityId);
  const mine = technicians.data?.items.find((x) => x.userId === me?.user.id);
  const setDuty = useMutation({
    mutationFn: (onDuty: boolean) => api.put<{ items: Technician[] }>('/api/technicians/me/duty', { onDuty }),
    onSuccess: async (_, onDuty) => {
      void message.success(onDuty ? t('tasks.onDuty') : t('tasks.offDuty'));
      await client.invalidateQueries({ queryKey: deskKeys.all });
    },
    onError: (e) => showError(e),
  });
  const items = [...(work.data?.items ?? [])].sort((a, b) => (a.sla?.remainingMinutes ?? Infinity) - (b.sla?.remainingMinutes ?? Infinity));
  return (
    <>
      <PageHeader
        title={t('tasks.title')}
        subtitle={t('tasks.subtitle')}
        extra={
          <Flex gap={6} align="center">
            <Switch checked={mine?.onDuty ?? false} disabled={!mine} loading={setDuty.isPending} onChange={(v) => setDuty.mutate(v)} data-testid="duty-switch" />
            <Typography.Text>{mine?.onDuty ? t('tasks.onDuty') : t('tasks.offDuty')}</Typography.Text>
          </Flex>
        }
      />
      {work.isPending ? <Spin /> : null}
      {work.isSuccess && items.length === 0 ? <Empty description={t('tasks.empty')} /> : null}
      <Flex vertical gap={8} data-testid="my-tasks">
        {items.map((r) => (
          <RequestCard key={r.id} request={r} to={`/service-desk/requests/${r.id}`} showState />
        ))}
      </Flex>
    </>
  );
}
