import { useMemo, useState, type HTMLAttributes } from 'react';
import { App, Button, Card, Drawer, Empty, Flex, Form, Input, Select, Skeleton, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { FormInstance, TableProps } from 'antd';
import { ApartmentOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Community, CommunityType, Me, User } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { isApiError, problemFieldName } from '../../ui/api';
import { PageHeader } from '../../ui/PageHeader';
import { useApiError, useErrorText } from '../../ui/useApiError';
import { useIsMobile } from '../../ui/useIsMobile';
import { identityKeys, usersApi } from '../identity/api';
import { useCommunities, useCommunityMutations } from './api';
import { FieldLine, useRegistryCommunity } from './registry';
import { AREA_PATTERN } from './StructureDrawers';

const TYPES: readonly CommunityType[] = ['residential', 'commercial', 'office', 'mall', 'mixed'];
const TYPE_COLOR: Record<CommunityType, string> = { residential: 'green', commercial: 'orange', office: 'blue', mall: 'magenta', mixed: 'purple' };
/** The server's rules (contracts `CreateCommunityBody`): codes go into imports and reports. */
const COMMUNITY_CODE = /^[A-Za-z0-9_]+$/;
const PHONE = /^\+?[0-9][0-9 -]*$/;

/** "186500.00" → "186,500.00": the exact string, only grouped for reading. */
function groupedArea(area: string): string {
  const [whole = '', decimals] = area.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${decimals !== undefined ? `.${decimals}` : ''}`;
}

/** Hundredths of a square metre, exact (areas are at most 9 digits + 2 decimals). */
function hundredths(area: string): number {
  const [whole = '0', decimals = ''] = area.split('.');
  return Number(whole) * 100 + Number(decimals.padEnd(2, '0'));
}

/** 绿化率: green area over total area, one decimal — shown only, never stored. */
function greenRatio(c: Pick<Community, 'totalArea' | 'greenArea'>): string | null {
  if (!c.totalArea || !c.greenArea) return null;
  const total = hundredths(c.totalArea);
  if (total === 0) return null;
  return ((hundredths(c.greenArea) / total) * 100).toFixed(1);
}

/** Whether the user may edit this community: the manage permission covering it. */
function mayEdit(me: Me | null | undefined, communityId: string): boolean {
  if (!hasPermission(me, 'properties.community.manage') || !me) return false;
  const scope = me.scopes['properties.community.manage'];
  return scope === null || scope === undefined || scope.includes(communityId);
}

/** Only a manager over every community may register a new one (the server refuses scoped users). */
function mayCreate(me: Me | null | undefined): boolean {
  return hasPermission(me, 'properties.community.manage') && !!me && me.scopes['properties.community.manage'] === null;
}

/**
 * Names of the communities' managers. Users are identity's data: looked up one by one (cached,
 * one request per distinct manager — a company has a handful of communities) and only when the
 * caller may read users; otherwise only the caller's own name is known.
 */
function useManagerNames(ids: (string | null)[], canReadUsers: boolean): (id: string) => User | undefined {
  const distinct = [...new Set(ids.filter((id): id is string => !!id))];
  const results = useQueries({
    queries: distinct.map((id) => ({ queryKey: identityKeys.user(id), queryFn: () => usersApi.get(id), enabled: canReadUsers, staleTime: 5 * 60_000, retry: false })),
  });
  const byId = new Map<string, User>();
  results.forEach((r) => {
    if (r.data) byId.set(r.data.id, r.data);
  });
  return (id) => byId.get(id);
}

function ManagerText({ userId, user, me }: { userId: string | null; user: User | undefined; me: Me | null | undefined }) {
  const { t } = useTranslation('properties');
  if (!userId) return <Typography.Text type="secondary">{t('communities.noManager')}</Typography.Text>;
  if (user) return <span data-user-data>{user.displayName}</span>;
  if (me && me.user.id === userId) return <span data-user-data>{t('communities.managerIsMe', { name: me.user.displayName })}</span>;
  // Without the right to read users the name is unknown: the id, shortened, is still an answer.
  return (
    <Tooltip title={userId}>
      <Typography.Text type="secondary" code>
        {userId.slice(0, 8)}
      </Typography.Text>
    </Tooltip>
  );
}

// ---------------------------------------------------------------------------------------------

/** Staff users by name or username (`GET /api/users?q=`), for the manager field. */
function ManagerPicker({ value, onChange, initial }: { value?: string | null; onChange?: (id: string | null) => void; initial?: User | undefined }) {
  const { t } = useTranslation('properties');
  const errorText = useErrorText();
  const [q, setQ] = useState('');
  const users = useQuery({
    queryKey: [...identityKeys.users, 'picker', q],
    queryFn: ({ signal }) => usersApi.list({ q: q.trim() || undefined, kind: 'staff', status: 'active' }, undefined, signal),
    staleTime: 30_000,
  });
  const label = (u: User) => (
    <span data-user-data>
      {u.displayName} <Typography.Text type="secondary">({u.username})</Typography.Text>
    </span>
  );
  const options = (users.data?.items ?? []).map((u) => ({ value: u.id, label: label(u) }));
  if (initial && !options.some((o) => o.value === initial.id)) options.unshift({ value: initial.id, label: label(initial) });
  if (value && !options.some((o) => o.value === value)) options.unshift({ value, label: <Typography.Text code>{value.slice(0, 8)}</Typography.Text> });
  return (
    <Select<string>
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      placeholder={t('communities.managerPlaceholder')}
      options={options}
      loading={users.isFetching}
      notFoundContent={users.error ? errorText(users.error) : t('communities.noUser')}
      data-testid="community-manager"
    />
  );
}

/** The manager as a read-only line when users cannot be listed (the value stays as it is). */
function ManagerReadOnly({ value, me }: { value?: string | null; me: Me | null | undefined }) {
  return (
    <div data-testid="community-manager-readonly" style={{ paddingBlock: 4 }}>
      <ManagerText userId={value ?? null} user={undefined} me={me} />
    </div>
  );
}

export type CommunityDrawerState = { mode: 'create' } | { mode: 'edit'; community: Community } | null;

interface CommunityValues {
  code: string;
  name: string;
  type: CommunityType;
  address: string;
  phone: string;
  totalArea: string;
  greenArea: string;
  managerUserId: string | null;
}

const trimmed = (value: string | undefined) => (value ?? '').trim();

/**
 * The server's field errors under their inputs, in the user's language: a taken code carries the
 * problem's localised detail; a rejected value the same sentence the form's own check would show
 * (the form's sentence names the expected format, which the server's per-field text does not).
 */
function showFieldErrors(form: FormInstance<CommunityValues>, error: unknown, text: (field: keyof CommunityValues) => string | undefined): void {
  if (!isApiError(error)) return;
  const known = new Set(Object.keys(form.getFieldsValue(true) as object));
  const fields = error.fields
    .map((f) => ({ path: problemFieldName(f.field), message: f.message }))
    .filter((f) => f.path.length === 1 && known.has(String(f.path[0])))
    .map((f) => {
      const name = String(f.path[0]) as keyof CommunityValues;
      return { name, errors: [error.code === 'request.invalid' ? (text(name) ?? f.message) : error.detail] };
    });
  if (fields.length) form.setFields(fields);
}

export function CommunityDrawer({ state, manager, onClose }: { state: CommunityDrawerState; manager?: User | undefined; onClose: () => void }) {
  const { t } = useTranslation(['properties', 'common']);
  const { message } = App.useApp();
  const { me } = useMe();
  const showError = useApiError();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<CommunityValues>();
  const m = useCommunityMutations();
  const canPickManager = hasPermission(me, 'identity.user.read');
  const community = state?.mode === 'edit' ? state.community : null;
  const fieldText = (field: keyof CommunityValues): string | undefined =>
    ({
      code: t('communities.codeInvalid'),
      phone: t('communities.phoneInvalid'),
      totalArea: t('room.areaInvalid'),
      greenArea: t('room.areaInvalid'),
      managerUserId: t('communities.managerUnknown'),
    })[field as string];

  const save = (v: CommunityValues) => {
    const body = {
      code: trimmed(v.code),
      name: trimmed(v.name),
      type: v.type,
      address: trimmed(v.address),
      phone: trimmed(v.phone) || null,
      totalArea: trimmed(v.totalArea) || null,
      greenArea: trimmed(v.greenArea) || null,
      // Without the picker the manager is not part of the form's answer: it stays as it is.
      ...(canPickManager ? { managerUserId: v.managerUserId ?? null } : {}),
    };
    const opts = {
      onSuccess: () => {
        void message.success(t('messages.saved'));
        onClose();
      },
      onError: (error: unknown) => {
        showError(error);
        showFieldErrors(form, error, fieldText);
      },
    };
    if (community) m.update.mutate({ communityId: community.id, body }, opts);
    else m.create.mutate(body, opts);
  };

  const areaRule = { pattern: AREA_PATTERN, message: t('room.areaInvalid') };
  return (
    <Drawer
      open={!!state}
      onClose={onClose}
      title={community ? t('communities.edit', { name: community.name }) : t('communities.create')}
      size={isMobile ? '100%' : 480}
      destroyOnHidden
      data-testid="community-drawer"
      footer={
        <Space>
          <Button type="primary" loading={m.create.isPending || m.update.isPending} onClick={() => form.submit()} data-testid="community-drawer-save">
            {t('common:actions.save')}
          </Button>
          <Button onClick={onClose}>{t('common:actions.cancel')}</Button>
        </Space>
      }
    >
      <Form<CommunityValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        // Every field has a value in the store so that the server's field errors find their input.
        initialValues={{
          code: community?.code ?? '',
          name: community?.name ?? '',
          type: community?.type ?? 'residential',
          address: community?.address ?? '',
          phone: community?.phone ?? '',
          totalArea: community?.totalArea ?? '',
          greenArea: community?.greenArea ?? '',
          managerUserId: community?.managerUserId ?? null,
        }}
        onFinish={save}
      >
        <Form.Item
          name="code"
          label={t('communities.code')}
          extra={t('communities.codeHint')}
          rules={[
            { required: true, whitespace: true, message: t('common:form.required') },
            { pattern: COMMUNITY_CODE, message: t('communities.codeInvalid') },
          ]}
        >
          <Input maxLength={20} placeholder="CHHY" data-testid="community-code" />
        </Form.Item>
        <Form.Item name="name" label={t('communities.name')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
          <Input maxLength={100} placeholder={t('communities.namePlaceholder')} data-testid="community-name" />
        </Form.Item>
        <Form.Item name="type" label={t('communities.type')} rules={[{ required: true, message: t('common:form.required') }]}>
          <Select options={TYPES.map((v) => ({ value: v, label: t(`communityType.${v}`) }))} data-testid="community-type" />
        </Form.Item>
        <Form.Item name="address" label={t('communities.address')} rules={[{ required: true, whitespace: true, message: t('common:form.required') }]}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} maxLength={200} data-testid="community-address" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('communities.phone')}
          rules={[
            { pattern: PHONE, message: t('communities.phoneInvalid') },
            { min: 3, message: t('communities.phoneInvalid') },
          ]}
          normalize={(v: string) => v.trimStart()}
        >
          <Input inputMode="tel" maxLength={30} placeholder="0571-88886666" data-testid="community-phone" />
        </Form.Item>
        <Flex wrap style={{ columnGap: 12 }}>
          <Form.Item name="totalArea" label={t('communities.totalArea')} rules={[areaRule]} normalize={(v: string) => v.trim()} style={{ flex: '1 1 180px' }}>
            <Input inputMode="decimal" suffix="m²" placeholder="186500.00" data-testid="community-total-area" />
          </Form.Item>
          <Form.Item
            name="greenArea"
            label={t('communities.greenArea')}
            dependencies={['totalArea']}
            normalize={(v: string) => v.trim()}
            style={{ flex: '1 1 180px' }}
            rules={[
              areaRule,
              ({ getFieldValue }) => ({
                validator: (_, value: string) => {
                  const total = trimmed(getFieldValue('totalArea') as string);
                  const green = trimmed(value);
                  if (!green || !total || !AREA_PATTERN.test(green) || !AREA_PATTERN.test(total)) return Promise.resolve();
                  return hundredths(green) <= hundredths(total) ? Promise.resolve() : Promise.reject(new Error(t('communities.greenTooLarge')));
                },
              }),
            ]}
          >
            <Input inputMode="decimal" suffix="m²" placeholder="65275.00" data-testid="community-green-area" />
          </Form.Item>
        </Flex>
        <Form.Item name="managerUserId" label={t('communities.manager')} extra={canPickManager ? undefined : t('communities.managerReadOnly')}>
          {canPickManager ? <ManagerPicker initial={manager} /> : <ManagerReadOnly me={me} />}
        </Form.Item>
      </Form>
    </Drawer>
  );
}

// ---------------------------------------------------------------------------------------------

/**
 * `/registry/communities` — 小区/项目: the communities in the user's scope with their type,
 * address, phone, areas and manager; create (managers over every community) and edit (a manager
 * of that community).
 */
export default function CommunitiesPage() {
  const { t } = useTranslation(['properties', 'common']);
  const { me } = useMe();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const communities = useCommunities();
  const { setCommunityId } = useRegistryCommunity();
  const [q, setQ] = useState('');
  const [drawer, setDrawerState] = useState<CommunityDrawerState>(null);
  // A new drawer (and form) for every opening: antd keeps a form's values across a hidden
  // drawer's remount, so reusing one would show the previous community's values.
  const [opened, setOpened] = useState(0);
  const setDrawer = (next: CommunityDrawerState) => {
    if (next) setOpened((n) => n + 1);
    setDrawerState(next);
  };
  const canReadUsers = hasPermission(me, 'identity.user.read');
  const canOpenTree = hasPermission(me, 'properties.room.read');
  const items = useMemo(() => communities.data?.items ?? [], [communities.data]);
  const managerOf = useManagerNames(
    items.map((c) => c.managerUserId),
    canReadUsers,
  );
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    if (!needle) return items;
    return items.filter((c) => `${c.code} ${c.name} ${c.address}`.toLowerCase().includes(needle));
  }, [items, q]);

  const typeTag = (type: CommunityType) => (
    <Tag color={TYPE_COLOR[type]} style={{ marginInlineEnd: 0 }}>
      {t(`communityType.${type}`)}
    </Tag>
  );
  const area = (value: string | null) => (value ? `${groupedArea(value)} m²` : '—');
  const green = (c: Community, stacked: boolean) => {
    const ratio = greenRatio(c);
    const ratioText = ratio ? t('communities.greenRatio', { ratio }) : null;
    if (stacked)
      return (
        <Flex vertical align="end">
          <span>{area(c.greenArea)}</span>
          {ratioText ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {ratioText}
            </Typography.Text>
          ) : null}
        </Flex>
      );
    return (
      <>
        {area(c.greenArea)}
        {ratioText ? <Typography.Text type="secondary">{` · ${ratioText}`}</Typography.Text> : null}
      </>
    );
  };
  const manager = (c: Community) => <ManagerText userId={c.managerUserId} user={c.managerUserId ? managerOf(c.managerUserId) : undefined} me={me} />;
  const openTree = (c: Community) => {
    setCommunityId(c.id);
    void navigate('/registry');
  };
  const actions = (c: Community) => (
    <Space size={0} wrap>
      {mayEdit(me, c.id) ? (
        <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setDrawer({ mode: 'edit', community: c })} data-testid={`community-edit-${c.code}`}>
          {t('common:actions.edit')}
        </Button>
      ) : null}
      {canOpenTree ? (
        <Button size="small" type="link" icon={<ApartmentOutlined />} onClick={() => openTree(c)} data-testid={`community-tree-${c.code}`}>
          {t('communities.openTree')}
        </Button>
      ) : null}
    </Space>
  );

  const columns: TableProps<Community>['columns'] = [
    { title: t('communities.code'), dataIndex: 'code', fixed: 'left', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: t('communities.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong data-user-data>{v}</Typography.Text> },
    { title: t('communities.type'), dataIndex: 'type', render: typeTag },
    { title: t('communities.address'), dataIndex: 'address', render: (v: string) => <span data-user-data>{v}</span> },
    { title: t('communities.phone'), dataIndex: 'phone', render: (v: string | null) => (v ? <span data-user-data>{v}</span> : '—') },
    { title: t('communities.totalArea'), dataIndex: 'totalArea', align: 'right', render: area },
    { title: t('communities.greenArea'), key: 'greenArea', align: 'right', render: (_, c) => green(c, true) },
    { title: t('communities.manager'), key: 'manager', render: (_, c) => manager(c) },
    ...(canOpenTree || hasPermission(me, 'properties.community.manage') ? [{ title: t('columnActions'), key: 'actions', fixed: 'right' as const, render: (_: unknown, c: Community) => actions(c) }] : []),
  ];

  const card = (c: Community) => (
    <Card key={c.id} size="small" data-testid={`community-row-${c.code}`}>
      <Flex vertical gap={4}>
        <Flex justify="space-between" align="start" gap={8}>
          <Flex vertical style={{ minWidth: 0 }}>
            <Typography.Text strong data-user-data>
              {c.name}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.code}
            </Typography.Text>
          </Flex>
          {typeTag(c.type)}
        </Flex>
        <FieldLine label={t('communities.address')}>
          <span data-user-data>{c.address}</span>
        </FieldLine>
        {c.phone ? (
          <FieldLine label={t('communities.phone')}>
            <a href={`tel:${c.phone.replace(/[\s-]/g, '')}`} data-user-data>
              {c.phone}
            </a>
          </FieldLine>
        ) : null}
        <FieldLine label={t('communities.totalArea')}>{area(c.totalArea)}</FieldLine>
        <FieldLine label={t('communities.greenArea')}>{green(c, false)}</FieldLine>
        <FieldLine label={t('communities.manager')}>{manager(c)}</FieldLine>
        {actions(c)}
      </Flex>
    </Card>
  );

  const empty = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={q.trim() ? t('common:table.empty') : t('community.none')} />;

  return (
    <>
      <PageHeader
        title={t('communities.title')}
        subtitle={t('communities.subtitle')}
        extra={
          mayCreate(me) ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ mode: 'create' })} data-testid="community-create">
              {t('communities.create')}
            </Button>
          ) : null
        }
      />
      <div style={{ width: isMobile ? '100%' : 280, marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('communities.searchPlaceholder')} value={q} onChange={(e) => setQ(e.target.value)} data-testid="communities-search" />
      </div>
      {communities.error ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={errorText(communities.error)}>
          <Button onClick={() => void communities.refetch()}>{t('common:actions.retry')}</Button>
        </Empty>
      ) : isMobile ? (
        communities.isPending ? (
          <Skeleton active />
        ) : shown.length === 0 ? (
          empty
        ) : (
          <Flex vertical gap={12} data-testid="communities-list">
            {shown.map(card)}
          </Flex>
        )
      ) : (
        <Table<Community>
          rowKey={(c) => c.id}
          columns={columns}
          dataSource={shown}
          loading={communities.isPending}
          pagination={false}
          size="middle"
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: empty }}
          onRow={(c) => ({ 'data-testid': `community-row-${c.code}` }) as HTMLAttributes<HTMLElement>}
        />
      )}
      <CommunityDrawer
        key={opened}
        state={drawer}
        manager={drawer?.mode === 'edit' && drawer.community.managerUserId ? managerOf(drawer.community.managerUserId) : undefined}
        onClose={() => setDrawer(null)}
      />
    </>
  );
}
