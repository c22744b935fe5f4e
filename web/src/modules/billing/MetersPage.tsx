import { useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Empty, Flex, Form, Input, List, Progress, Radio, Select, Statistic, Switch, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { CheckCircleOutlined, DownloadOutlined, PlusOutlined, UploadOutlined, WarningOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Meter, MeterReading, ReadingImportReport } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { PageHeader } from '../../ui/PageHeader';
import { formKey } from '../../ui/formKey';
import { formatDateTime } from '../../ui/format';
import { useErrorText } from '../../ui/useApiError';
import { useBuildings, usePropertyTree } from '../properties/api';
import { CommunitySelect, useRegistryCommunity } from '../properties/registry';
import { FormDrawer } from '../../ui/FormDrawer';
import { showProblemOnForm, text } from './parts';
import { chinaToday, e3ToQty, qtyToE3, setupApi, showQty, useBillingWrite, useMeters, useReviewQueue, usagePreviewE3, type MeterFilters } from './setup-api';

const METER_KINDS = ['water', 'electricity', 'gas', 'heat'] as const;
type MeterKind = (typeof METER_KINDS)[number];
const QTY = /^\d{1,12}(\.\d{1,3})?$/;
const TABS = ['meters', 'round', 'review', 'import'] as const;
type TabKey = (typeof TABS)[number];

/** Room codes and building names of a community, for showing meters by where they hang. */
function usePlaces(communityId: string | undefined) {
  const tree = usePropertyTree(communityId);
  const buildings = useBuildings(communityId);
  return useMemo(() => {
    const rooms = new Map<string, { code: string; buildingId: string }>();
    for (const b of tree.data?.buildings ?? []) for (const u of b.units) for (const r of u.rooms) rooms.set(r.id, { code: r.code, buildingId: b.id });
    const buildingName = new Map((buildings.data?.items ?? []).map((b) => [b.id, b.name]));
    return {
      rooms,
      roomOptions: [...rooms.entries()].map(([id, r]) => ({ value: id, label: r.code })),
      buildingOptions: (buildings.data?.items ?? []).map((b) => ({ value: b.id, label: b.name })),
      buildingName: (id: string | null) => (id ? (buildingName.get(id) ?? '') : ''),
    };
  }, [tree.data, buildings.data]);
}
type Places = ReturnType<typeof usePlaces>;

/**
 * `/billing/meters` (仪表与抄表): meters of a community, the phone reading round (room by room),
 * the flagged readings waiting for review, and the Excel import of readings.
 */
export default function MetersPage() {
  const { t } = useTranslation('billing');
  const { me } = useMe();
  const [params, setParams] = useSearchParams();
  const tab: TabKey = TABS.includes(params.get('tab') as TabKey) ? (params.get('tab') as TabKey) : 'meters';
  const { communityId, setCommunityId, communities, isPending } = useRegistryCommunity();
  const places = usePlaces(communityId);
  const canEnter = hasPermission(me, 'billing.reading.enter');
  const review = useReviewQueue(communityId);
  const pending = review.data?.items.length ?? 0;
  return (
    <>
      <PageHeader title={t('meters.title')} />
      <Flex vertical gap={12}>
        <CommunitySelect value={communityId} onChange={setCommunityId} communities={communities} loading={isPending} />
        {communityId ? (
          <Tabs
            activeKey={tab}
            onChange={(k) => setParams({ tab: k }, { replace: true })}
            items={[
              { key: 'meters', label: <span data-testid="meters-tab-meters">{t('meters.tabs.meters')}</span>, children: <MetersList communityId={communityId} places={places} /> },
              ...(canEnter ? [{ key: 'round', label: <span data-testid="meters-tab-round">{t('meters.tabs.round')}</span>, children: <ReadingRound communityId={communityId} places={places} /> }] : []),
              {
                key: 'review',
                label: (
                  <span data-testid="meters-tab-review">
                    {t('meters.tabs.review')} {pending > 0 ? <Tag color="orange">{pending}</Tag> : null}
                  </span>
                ),
                children: <ReviewList communityId={communityId} places={places} />,
              },
              ...(canEnter ? [{ key: 'import', label: <span data-testid="meters-tab-import">{t('meters.tabs.import')}</span>, children: <ReadingsImport communityId={communityId} /> }] : []),
            ]}
          />
        ) : null}
      </Flex>
    </>
  );
}

function whereText(m: Meter, places: Places, t: (k: 'meters.shared' | 'meters.wholeCommunity') => string): string {
  if (m.roomId) return places.rooms.get(m.roomId)?.code ?? '';
  return m.buildingId ? `${t('meters.shared')} · ${places.buildingName(m.buildingId)}` : `${t('meters.shared')} · ${t('meters.wholeCommunity')}`;
}

// ---------------------------------------------------------------------------------------------
// Meters

function MetersList({ communityId, places }: { communityId: string; places: Places }) {
  const { t } = useTranslation('billing');
  const { me } = useMe();
  const canManage = hasPermission(me, 'billing.meter.manage');
  const [filters, setFilters] = useState<MeterFilters>({});
  const meters = useMeters(communityId, filters);
  const [drawer, setDrawer] = useState<{ open: boolean; meter: Meter | null }>({ open: false, meter: null });
  const rows = [...(meters.data ?? [])].sort((a, b) => whereText(a, places, t).localeCompare(whereText(b, places, t), 'zh-CN', { numeric: true }) || a.serialNumber.localeCompare(b.serialNumber));
  return (
    <Flex vertical gap={12}>
      <Flex wrap gap={8}>
        <Select allowClear placeholder={t('meters.kindLabel')} style={{ width: 120 }} value={filters.kind} options={METER_KINDS.map((k) => ({ value: k, label: t(`meters.kind.${k}`) }))} onChange={(v: MeterKind | undefined) => setFilters({ ...filters, kind: v })} />
        <Select allowClear placeholder={t('meters.building')} style={{ width: 140 }} value={filters.buildingId} options={places.buildingOptions} onChange={(v: string | undefined) => setFilters({ ...filters, buildingId: v })} />
        <Select
          allowClear
          placeholder={t('meters.roomOrShared')}
          style={{ width: 150 }}
          value={filters.shared === undefined ? undefined : filters.shared ? 'shared' : 'room'}
          options={[
            { value: 'room', label: t('meters.roomMeter') },
            { value: 'shared', label: t('meters.shared') },
          ]}
          onChange={(v: 'room' | 'shared' | undefined) => setFilters({ ...filters, shared: v === undefined ? undefined : v === 'shared' })}
        />
        {canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ open: true, meter: null })} data-testid="meter-new">
            {t('meters.new')}
          </Button>
        ) : null}
      </Flex>
      <List
        loading={meters.isLoading}
        dataSource={rows}
        locale={{ emptyText: <Empty description={t('meters.none')} /> }}
        renderItem={(m) => (
          <Card size="small" style={{ marginBottom: 8 }} data-testid="meter">
            <Flex justify="space-between" gap={8} wrap>
              <Flex vertical style={{ minWidth: 0 }}>
                <Typography.Text strong>
                  <span data-user-data>{whereText(m, places, t)}</span> <Tag>{t(`meters.kind.${m.kind}`)}</Tag>
                  {m.active ? null : <Tag>{t('meters.inactive')}</Tag>}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('meters.serial')} {m.serialNumber} · {t('meters.multiplierShort', { value: showQty(m.multiplier) })}
                  {m.maxValue ? ` · ${t('meters.maxShort', { value: showQty(m.maxValue) })}` : ''}
                </Typography.Text>
                <Typography.Text style={{ fontSize: 12 }}>{m.lastReading ? t('meters.lastReading', { reading: showQty(m.lastReading.reading), date: m.lastReading.readOn }) : t('meters.noReading')}</Typography.Text>
              </Flex>
              {canManage ? (
                <Button size="small" type="link" onClick={() => setDrawer({ open: true, meter: m })}>
                  {t('fees.edit')}
                </Button>
              ) : null}
            </Flex>
          </Card>
        )}
      />
      <MeterDrawer key={formKey(drawer.open, drawer.meter)} open={drawer.open} meter={drawer.meter} communityId={communityId} places={places} onClose={() => setDrawer({ open: false, meter: null })} />
    </Flex>
  );
}

interface MeterValues {
  kind: MeterKind;
  attach: 'room' | 'building' | 'community';
  roomId?: string;
  buildingId?: string;
  serialNumber: string;
  multiplier: string;
  maxValue?: string;
  active: boolean;
}

function MeterDrawer({ open, meter, communityId, places, onClose }: { open: boolean; meter: Meter | null; communityId: string; places: Places; onClose: () => void }) {
  const { t } = useTranslation('billing');
  const errorText = useErrorText();
  const [form] = Form.useForm<MeterValues>();
  const attach = Form.useWatch('attach', form) ?? 'room';
  const save = useBillingWrite((body: Record<string, unknown>) => (meter ? setupApi.updateMeter(meter.id, body) : setupApi.createMeter(body)));
  const initial: MeterValues = {
    kind: meter?.kind ?? 'water',
    attach: meter ? (meter.roomId ? 'room' : meter.buildingId ? 'building' : 'community') : 'room',
    roomId: meter?.roomId ?? undefined,
    buildingId: meter?.buildingId ?? undefined,
    serialNumber: meter?.serialNumber ?? '',
    multiplier: meter ? showQty(meter.multiplier) : '1',
    maxValue: meter?.maxValue ? showQty(meter.maxValue) : '',
    active: meter?.active ?? true,
  };
  const onFinish = (v: MeterValues) => {
    const common = { serialNumber: v.serialNumber.trim(), multiplier: v.multiplier.trim(), maxValue: text(v.maxValue) ?? null };
    const body = meter
      ? { ...common, active: v.active }
      : { communityId, kind: v.kind, ...common, ...(v.attach === 'room' ? { roomId: v.roomId } : v.attach === 'building' ? { buildingId: v.buildingId } : {}) };
    save.mutate(body, { onSuccess: onClose, onError: (e) => showProblemOnForm(form, e) });
  };
  return (
    <FormDrawer width={560} open={open} title={meter ? t('meters.edit') : t('meters.new')} form={form} saving={save.isPending} onClose={onClose} testId="meter-drawer">
      <Form form={form} layout="vertical" initialValues={initial} onFinish={onFinish}>
        <Form.Item name="kind" label={t('meters.kindLabel')}>
          <Radio.Group disabled={!!meter} optionType="button" options={METER_KINDS.map((k) => ({ value: k, label: t(`meters.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="attach" label={t('meters.attach')}>
          <Radio.Group
            disabled={!!meter}
            options={[
              { value: 'room', label: t('meters.roomMeter') },
              { value: 'building', label: t('meters.buildingShared') },
              { value: 'community', label: t('meters.communityShared') },
            ]}
          />
        </Form.Item>
        {attach === 'room' ? (
          <Form.Item name="roomId" label={t('meters.room')} rules={[{ required: !meter }]}>
            <Select disabled={!!meter} showSearch={{ optionFilterProp: 'label' }} options={places.roomOptions} data-testid="meter-room" />
          </Form.Item>
        ) : null}
        {attach === 'building' ? (
          <Form.Item name="buildingId" label={t('meters.building')} rules={[{ required: !meter }]}>
            <Select disabled={!!meter} options={places.buildingOptions} />
          </Form.Item>
        ) : null}
        <Form.Item name="serialNumber" label={t('meters.serial')} rules={[{ required: true, whitespace: true, max: 64 }]}>
          <Input maxLength={64} data-testid="meter-serial" />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="multiplier" label={t('meters.multiplier')} extra={t('meters.multiplierHint')} rules={[{ required: true, pattern: /^\d{1,6}(\.\d{1,4})?$/, message: t('meters.multiplierRule') }]} style={{ width: 150 }}>
            <Input inputMode="decimal" />
          </Form.Item>
          <Form.Item name="maxValue" label={t('meters.maxValue')} extra={t('meters.maxValueHint')} rules={[{ pattern: QTY, message: t('fees.qtyRule') }]} style={{ width: 200 }}>
            <Input inputMode="decimal" />
          </Form.Item>
        </Flex>
        {meter ? (
          <Form.Item name="active" label={t('fees.activeLabel')} valuePropName="checked">
            <Switch />
          </Form.Item>
        ) : null}
        {save.error ? <Alert type="error" showIcon title={errorText(save.error)} /> : null}
      </Form>
    </FormDrawer>
  );
}

// ---------------------------------------------------------------------------------------------
// Reading round (抄表): building and kind → room by room

interface Outcome {
  reading?: MeterReading;
  /** The previous reading when this one was entered (the meter's last reading is now this one). */
  previous?: Meter['lastReading'];
  error?: string;
}

function ReadingRound({ communityId, places }: { communityId: string; places: Places }) {
  const { t } = useTranslation('billing');
  const errorText = useErrorText();
  const [buildingId, setBuildingId] = useState<string | undefined>();
  const [kind, setKind] = useState<MeterKind>('water');
  const [readOn, setReadOn] = useState(chinaToday());
  const building = buildingId ?? places.buildingOptions[0]?.value;
  const meters = useMeters(communityId, { buildingId: building, kind, shared: false }, !!building);
  const list = useMemo(
    () => [...(meters.data ?? [])].filter((m) => m.active).sort((a, b) => (places.rooms.get(a.roomId ?? '')?.code ?? '').localeCompare(places.rooms.get(b.roomId ?? '')?.code ?? '', 'zh-CN', { numeric: true })),
    [meters.data, places.rooms],
  );
  const [index, setIndex] = useState(0);
  const [value, setValue] = useState('');
  const [rolledOver, setRolledOver] = useState(false);
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const enter = useBillingWrite(setupApi.enterReading);
  const i = Math.min(index, Math.max(list.length - 1, 0));
  const meter = list[i];
  // The outcome of this meter in this round; once saved, the meter's last reading is the new one.
  const done = meter ? outcomes[meter.id] : undefined;
  const previous = done?.reading ? done.previous : meter?.lastReading;
  const preview = meter ? usagePreviewE3(previous?.reading, value, meter.multiplier) : null;
  const valid = QTY.test(value.trim());
  const lower = meter && previous && valid ? (qtyToE3(value) ?? 0) < (qtyToE3(previous.reading) ?? 0) : false;
  const go = (to: number) => {
    setIndex(Math.max(0, Math.min(to, list.length - 1)));
    setValue('');
    setRolledOver(false);
  };
  // Another building, kind or date is another round: start again at the first room.
  const restart = () => {
    setOutcomes({});
    go(0);
  };
  const submit = () => {
    if (!meter || !valid) return;
    enter.mutate(
      { meterId: meter.id, readOn, reading: value.trim(), ...(rolledOver ? { rolledOver: true } : {}) },
      {
        onSuccess: (reading) => {
          setOutcomes((o) => ({ ...o, [meter.id]: { reading, previous: meter.lastReading } }));
          // Flagged readings stay on screen so the reader sees why; a clean one moves on.
          if (reading.flags.length === 0 && i < list.length - 1) go(i + 1);
          else setValue('');
        },
        onError: (e) => setOutcomes((o) => ({ ...o, [meter.id]: { error: errorText(e) } })),
      },
    );
  };
  const saved = Object.values(outcomes).filter((o) => o.reading).length;
  return (
    <Flex vertical gap={12}>
      <Flex wrap gap={8}>
        <Select style={{ width: 130 }} value={building} options={places.buildingOptions} onChange={(v: string) => { setBuildingId(v); restart(); }} data-testid="round-building" />
        <Select style={{ width: 100 }} value={kind} options={METER_KINDS.map((k) => ({ value: k, label: t(`meters.kind.${k}`) }))} onChange={(v: MeterKind) => { setKind(v); restart(); }} data-testid="round-kind" />
        <Input type="date" style={{ width: 150 }} value={readOn} max={chinaToday()} onChange={(e) => { setReadOn(e.target.value || chinaToday()); restart(); }} aria-label={t('meters.readOn')} data-testid="round-date" />
      </Flex>
      {list.length === 0 ? (
        <Empty description={meters.isLoading ? t('meters.loading') : t('meters.noRoomMeters')} />
      ) : meter ? (
        <Card size="small" data-testid="round-card">
          <Flex vertical gap={10}>
            <Flex justify="space-between" align="center">
              <Typography.Title level={4} style={{ margin: 0 }} data-testid="round-room" data-user-data>
                {places.rooms.get(meter.roomId ?? '')?.code ?? meter.serialNumber}
              </Typography.Title>
              <Typography.Text type="secondary">
                {i + 1} / {list.length}
              </Typography.Text>
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('meters.serial')} {meter.serialNumber}
              {showQty(meter.multiplier) !== '1' ? ` · ${t('meters.multiplierShort', { value: showQty(meter.multiplier) })}` : ''}
            </Typography.Text>
            <Flex gap={16} wrap>
              <Statistic title={t('meters.previous')} value={previous ? showQty(previous.reading) : '—'} styles={{ content: { fontSize: 20 } }} data-testid="round-previous" />
              {previous ? <Typography.Text type="secondary" style={{ alignSelf: 'flex-end', fontSize: 12 }}>{previous.readOn}</Typography.Text> : null}
            </Flex>
            {done?.reading ? (
              <Alert
                type={done.reading.flags.length ? 'warning' : 'success'}
                showIcon
                icon={done.reading.flags.length ? <WarningOutlined /> : <CheckCircleOutlined />}
                data-testid={done.reading.flags.length ? 'round-flagged' : 'round-saved'}
                title={t('meters.savedReading', { reading: showQty(done.reading.reading), usage: showQty(done.reading.usage) })}
                description={done.reading.flags.length ? t('meters.flaggedHint', { reasons: done.reading.flags.map((f) => t(`meters.flag.${f}`, { defaultValue: f })).join('、') }) : null}
              />
            ) : (
              <>
                <Input
                  size="large"
                  inputMode="decimal"
                  autoFocus
                  placeholder={t('meters.current')}
                  value={value}
                  status={value && !valid ? 'error' : undefined}
                  onChange={(e) => {
                    setValue(e.target.value);
                    // A refusal is about the value sent: typing another one clears it.
                    if (done?.error) setOutcomes((o) => ({ ...o, [meter.id]: {} }));
                  }}
                  onPressEnter={submit}
                  data-testid="round-value"
                />
                <Typography.Text data-testid="round-usage">{preview !== null ? t('meters.usagePreview', { usage: e3ToQty(preview) }) : previous ? '' : t('meters.firstReading')}</Typography.Text>
                {lower && meter.maxValue ? (
                  <Checkbox checked={rolledOver} onChange={(e) => setRolledOver(e.target.checked)}>
                    {t('meters.rolledOver', { max: showQty(meter.maxValue) })}
                  </Checkbox>
                ) : null}
                {done?.error ? <Alert type="error" showIcon title={done.error} data-testid="round-refused" /> : null}
              </>
            )}
            <Flex gap={8} wrap>
              <Button disabled={i === 0} onClick={() => go(i - 1)}>
                {t('meters.prevRoom')}
              </Button>
              {done?.reading ? (
                <Button type="primary" disabled={i >= list.length - 1} onClick={() => go(i + 1)} data-testid="round-next" style={{ flex: 1 }}>
                  {t('meters.nextRoom')}
                </Button>
              ) : (
                <>
                  <Button type="primary" disabled={!valid} loading={enter.isPending} onClick={submit} data-testid="round-save" style={{ flex: 1 }}>
                    {t('meters.saveNext')}
                  </Button>
                  <Button disabled={i >= list.length - 1} onClick={() => go(i + 1)}>
                    {t('meters.skip')}
                  </Button>
                </>
              )}
            </Flex>
          </Flex>
        </Card>
      ) : null}
      {list.length > 0 ? (
        <Card size="small" title={t('meters.roundProgress', { saved, total: list.length })}>
          <Progress percent={Math.round((saved * 100) / list.length)} size="small" />
          <Flex wrap gap={4} style={{ marginTop: 8 }}>
            {list.map((m, n) => {
              const o = outcomes[m.id];
              const color = o?.error ? 'red' : o?.reading?.flags.length ? 'orange' : o?.reading ? 'green' : n === i ? 'blue' : undefined;
              return (
                <Tag key={m.id} color={color} style={{ cursor: 'pointer' }} onClick={() => go(n)}>
                  {places.rooms.get(m.roomId ?? '')?.code ?? m.serialNumber}
                </Tag>
              );
            })}
          </Flex>
        </Card>
      ) : null}
    </Flex>
  );
}

// ---------------------------------------------------------------------------------------------
// Review of flagged readings

function ReviewList({ communityId, places }: { communityId: string; places: Places }) {
  const { t } = useTranslation('billing');
  const errorText = useErrorText();
  const { me } = useMe();
  const canManage = hasPermission(me, 'billing.meter.manage');
  const review = useReviewQueue(communityId);
  const meters = useMeters(communityId, {});
  const byId = new Map((meters.data ?? []).map((m) => [m.id, m]));
  const decide = useBillingWrite(({ id, decision }: { id: string; decision: 'accepted' | 'rejected' }) => setupApi.review(id, decision));
  const items = review.data?.items ?? [];
  return (
    <Flex vertical gap={8}>
      <Typography.Text type="secondary">{t('meters.reviewHint')}</Typography.Text>
      {decide.error ? <Alert type="error" showIcon title={errorText(decide.error)} /> : null}
      <List
        loading={review.isLoading}
        dataSource={items}
        locale={{ emptyText: <Empty description={t('meters.reviewNone')} /> }}
        renderItem={(r) => {
          const m = byId.get(r.meterId);
          return (
            <Card size="small" style={{ marginBottom: 8 }} data-testid="review-reading">
              <Flex justify="space-between" gap={8} wrap>
                <Flex vertical style={{ minWidth: 0 }}>
                  <Typography.Text strong>
                    <span data-user-data>{m ? whereText(m, places, t) : r.meterId.slice(0, 8)}</span> {m ? <Tag>{t(`meters.kind.${m.kind}`)}</Tag> : null}
                  </Typography.Text>
                  <Typography.Text>{t('meters.reviewLine', { date: r.readOn, reading: showQty(r.reading), usage: showQty(r.usage) })}</Typography.Text>
                  <Flex wrap gap={4}>
                    {r.flags.map((f) => (
                      <Tag key={f} color="orange">
                        {t(`meters.flag.${f}`, { defaultValue: f })}
                      </Tag>
                    ))}
                  </Flex>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(r.createdAt)}
                  </Typography.Text>
                </Flex>
                {canManage ? (
                  <Flex gap={8} align="center">
                    <Button type="primary" loading={decide.isPending} onClick={() => decide.mutate({ id: r.id, decision: 'accepted' })} data-testid="review-accept">
                      {t('meters.accept')}
                    </Button>
                    <Button danger loading={decide.isPending} onClick={() => decide.mutate({ id: r.id, decision: 'rejected' })}>
                      {t('meters.reject')}
                    </Button>
                  </Flex>
                ) : null}
              </Flex>
            </Card>
          );
        }}
      />
    </Flex>
  );
}

// ---------------------------------------------------------------------------------------------
// Excel import

function ReadingsImport({ communityId }: { communityId: string }) {
  const { t, i18n } = useTranslation('billing');
  const errorText = useErrorText();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ReadingImportReport | null>(null);
  const run = useBillingWrite(({ commit }: { commit: boolean }) => setupApi.importReadings(communityId, file as File, commit));
  const check = (commit: boolean) => run.mutate({ commit }, { onSuccess: setReport });
  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{t('meters.importHint')}</Typography.Text>
      <Flex wrap gap={8}>
        <Button icon={<DownloadOutlined />} href={setupApi.templateUrl(i18n.language)} data-testid="import-template">
          {t('meters.template')}
        </Button>
        <Upload
          accept=".xlsx"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setReport(null);
            return false;
          }}
          onRemove={() => {
            setFile(null);
            setReport(null);
          }}
        >
          <Button icon={<UploadOutlined />}>{t('meters.pickFile')}</Button>
        </Upload>
        <Button type="primary" disabled={!file} loading={run.isPending && !report} onClick={() => check(false)} data-testid="import-check">
          {t('meters.check')}
        </Button>
      </Flex>
      {run.error ? <Alert type="error" showIcon title={errorText(run.error)} /> : null}
      {report ? (
        <Card size="small" data-testid="import-report">
          <Flex vertical gap={8}>
            <Flex gap={24} wrap>
              <Statistic title={t('meters.rows')} value={report.rows} />
              <Statistic title={t('meters.valid')} value={report.accepted} />
              <Statistic title={t('meters.flaggedCount')} value={report.flagged} />
              <Statistic title={t('meters.errors')} value={report.errors.length} />
            </Flex>
            {report.committed ? <Alert type="success" showIcon title={t('meters.imported', { count: report.accepted })} /> : null}
            {report.errors.length > 0 ? (
              <>
                <Alert type="error" showIcon title={t('meters.fixAndRetry')} />
                <Table
                  size="small"
                  rowKey={(e) => `${e.row}-${e.column ?? ''}-${e.code}`}
                  pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  dataSource={report.errors}
                  scroll={{ x: 'max-content' }}
                  columns={[
                    { title: t('meters.row'), dataIndex: 'row' },
                    { title: t('meters.column'), dataIndex: 'column', render: (v: string | null) => v ?? '—' },
                    { title: t('meters.problem'), dataIndex: 'message' },
                  ]}
                />
              </>
            ) : !report.committed ? (
              <Button type="primary" loading={run.isPending} onClick={() => check(true)} data-testid="import-commit">
                {t('meters.commit', { count: report.accepted })}
              </Button>
            ) : null}
          </Flex>
        </Card>
      ) : null}
    </Flex>
  );
}
