import { useState } from 'react';
import { Button, Flex, Segmented, Select, Typography } from 'antd';
import type { TableProps } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Renovation } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { formatDateTimeShort } from '../../ui/format';
import { useIsMobile } from '../../ui/useIsMobile';
import { exportUrl, propertiesKeys, renovationsApi, type RenovationFilters, type RenovationState } from './api';
import { CommunitySelect, FieldLine, useRegistryCommunity } from './registry';
import { DepositTag, RENOVATION_STATES, RenovationCreateDrawer, RenovationDetailDrawer, RenovationStateTag } from './RenovationDrawers';
import { formKey } from '../../ui/formKey';

const all = 'all' as const;

/**
 * `/registry/renovations` — 装修申请 by state; a drawer shows one application with the actions
 * legal in its state (`?open=<id>` opens it directly, e.g. from a room card).
 */
export default function RenovationsPage() {
  const { t } = useTranslation(['properties', 'common']);
  const { me } = useMe();
  const isMobile = useIsMobile();
  const canManage = hasPermission(me, 'properties.renovation.manage');
  const canExport = hasPermission(me, 'data.export.run');
  const { communityId, setCommunityId, communities, isPending } = useRegistryCommunity();
  const [state, setState] = useState<RenovationState | typeof all>(all);
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const openId = params.get('open');
  const setOpen = (id: string | null) => setParams(id ? { open: id } : {}, { replace: true });
  const filters: RenovationFilters = { communityId, ...(state === all ? {} : { state }) };

  const stateOptions: { value: RenovationState | typeof all; label: string }[] = [
    { value: all, label: t('common:common.all') },
    ...RENOVATION_STATES.map((s) => ({ value: s, label: t(`renovationState.${s}`) })),
  ];
  const columns: TableProps<Renovation>['columns'] = [
    {
      title: t('renovation.room'),
      dataIndex: 'roomCode',
      fixed: 'left',
      render: (code: string, r) => (
        <Typography.Link onClick={() => setOpen(r.id)} data-user-data data-testid={`renovation-open-${r.id}`}>
          {code}
        </Typography.Link>
      ),
    },
    { title: t('renovation.state'), dataIndex: 'state', render: (s: RenovationState) => <RenovationStateTag state={s} /> },
    { title: t('renovation.period'), key: 'period', render: (_, r) => `${r.startsOn} ~ ${r.endsOn}` },
    { title: t('renovation.contractor'), dataIndex: 'contractor', render: (v: string) => <span data-user-data>{v}</span> },
    { title: t('renovation.deposit.label'), key: 'deposit', render: (_, r) => <DepositTag renovation={r} /> },
    { title: t('renovation.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTimeShort(v) },
    {
      title: t('common:actions.view'),
      key: 'view',
      fixed: 'right',
      render: (_, r) => (
        <Button size="small" type="link" onClick={() => setOpen(r.id)}>
          {t('common:actions.view')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('renovation.title')}
        subtitle={t('renovation.subtitle')}
        extra={
          <>
            <CommunitySelect value={communityId} onChange={setCommunityId} communities={communities} loading={isPending} width={isMobile ? '100%' : 220} />
            {canExport ? (
              <>
                <Button icon={<DownloadOutlined />} href={exportUrl('renovations', 'xlsx', { ...filters })}>
                  {t('export.xlsx')}
                </Button>
                <Button icon={<DownloadOutlined />} href={exportUrl('renovations', 'csv', { ...filters })}>
                  {t('export.csv')}
                </Button>
              </>
            ) : null}
            {canManage ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="renovation-create">
                {t('renovation.create')}
              </Button>
            ) : null}
          </>
        }
      />
      <div style={{ marginBottom: 16 }}>
        {isMobile ? (
          <Select style={{ width: '100%' }} value={state} onChange={setState} options={stateOptions} data-testid="renovation-state-filter" />
        ) : (
          <Segmented value={state} onChange={(v) => setState(v)} options={stateOptions} data-testid="renovation-state-filter" />
        )}
      </div>
      <DataTable<Renovation>
        queryKey={propertiesKeys.renovations(filters)}
        fetchPage={(cursor, signal) => renovationsApi.list(filters, cursor, signal)}
        enabled={!!communityId}
        columns={columns}
        rowKey={(r) => r.id}
        rowTestId={(r) => `renovation-row-${r.roomCode}`}
        renderCard={(r) => (
          <Flex vertical gap={4} onClick={() => setOpen(r.id)} style={{ cursor: 'pointer' }}>
            <Flex justify="space-between" align="center" gap={8}>
              <Typography.Text strong data-user-data>
                {r.roomCode}
              </Typography.Text>
              <RenovationStateTag state={r.state} />
            </Flex>
            <FieldLine label={t('renovation.period')}>
              {r.startsOn} ~ {r.endsOn}
            </FieldLine>
            <FieldLine label={t('renovation.contractor')}>
              <span data-user-data>{r.contractor}</span>
            </FieldLine>
            <FieldLine label={t('renovation.deposit.label')}>
              <DepositTag renovation={r} />
            </FieldLine>
          </Flex>
        )}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('renovation.moneyNote')}
      </Typography.Paragraph>
      <RenovationDetailDrawer renovationId={openId} onClose={() => setOpen(null)} />
      <RenovationCreateDrawer key={formKey(creating, null)} open={creating} communityId={communityId} onClose={() => setCreating(false)} onCreated={(r) => setOpen(r.id)} />
    </>
  );
}
