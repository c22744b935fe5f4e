import { useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Divider, Empty, Flex, Form, Input, InputNumber, List, Radio, Select, Switch, Tag, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { FeeItem, FeeRule, FeeRuleAssignment } from '@courtyard/contracts';
import { hasPermission, useMe } from '../../app/session';
import { PageHeader } from '../../ui/PageHeader';
import { api } from '../../ui/api';
import { formKey } from '../../ui/formKey';
import { useErrorText } from '../../ui/useApiError';
import { useBuildings, usePropertyTree } from '../properties/api';
import { CommunitySelect, useRegistryCommunity } from '../properties/registry';
import { formatCents, parseYuanToCents } from './money';
import { FormDrawer } from '../../ui/FormDrawer';
import { showProblemOnForm, text } from './parts';
import { chinaToday, setupApi, showPrice, showQty, useBillingWrite, useFeeItems, useFeeRules, useMeters } from './setup-api';

const CATEGORIES = ['property', 'maintenance', 'greening', 'security', 'water', 'electricity', 'gas', 'garbage', 'parking', 'deposit', 'one_off'] as const;
const KINDS = ['fixed_per_room', 'fixed_per_space', 'area_building', 'area_inner', 'metered', 'apportion', 'one_off'] as const;
const CYCLES = ['monthly', 'quarterly', 'half_yearly', 'yearly'] as const;
const METER_KINDS = ['water', 'electricity', 'gas', 'heat'] as const;
const TARGETS = ['community', 'building', 'room', 'parking_space'] as const;
const PRICE = /^\d{1,9}(\.\d{1,4})?$/;
const QTY = /^\d{1,12}(\.\d{1,3})?$/;
const PERCENT = /^\d{1,3}(\.\d{1,2})?$/;

type Kind = (typeof KINDS)[number];
interface TierValues {
  upTo?: string;
  price?: string;
}
interface PriceValues {
  effectiveOn?: string;
  price?: string;
  tiers?: TierValues[];
}

/** Which kinds take a unit price (per room / m² / unit of usage): the server's `pricedKinds`. */
const PRICED = new Set<Kind>(['fixed_per_room', 'fixed_per_space', 'area_building', 'area_inner', 'metered']);

/** The body of a price: one price, or tiers (the last one without an upper bound). */
function priceBody(v: PriceValues, tiered: boolean) {
  if (tiered) return { effectiveOn: v.effectiveOn ?? '', tiers: (v.tiers ?? []).map((t) => ({ upTo: text(t.upTo) ?? null, price: (t.price ?? '').trim() })) };
  return { effectiveOn: v.effectiveOn ?? '', price: (v.price ?? '').trim() };
}

/**
 * `/billing/fees` (收费项目与规则): a community's fee items (category, rounding), and per item its
 * fee rules — the kind and its numbers, price changes from a date, and where the rule applies.
 */
export default function FeesPage() {
  const { t } = useTranslation('billing');
  const { me } = useMe();
  const { communityId, setCommunityId, communities, isPending } = useRegistryCommunity();
  const feeItems = useFeeItems(communityId);
  const canRules = hasPermission(me, 'billing.rule.read');
  const rules = useFeeRules(communityId, canRules);
  const canManageItems = hasPermission(me, 'billing.fee.manage');
  const canManageRules = hasPermission(me, 'billing.rule.manage');
  const [itemDrawer, setItemDrawer] = useState<{ open: boolean; item: FeeItem | null }>({ open: false, item: null });
  const [ruleDrawer, setRuleDrawer] = useState<{ open: boolean; feeItem: FeeItem | null; rule: FeeRule | null }>({ open: false, feeItem: null, rule: null });
  const rulesOf = (id: string) => (rules.data?.items ?? []).filter((r) => r.feeItemId === id);
  // Keep the drawer's rule fresh after a price or assignment was added (the list is refetched).
  const liveRule = ruleDrawer.rule ? (rules.data?.items.find((r) => r.id === ruleDrawer.rule?.id) ?? ruleDrawer.rule) : null;

  return (
    <>
      <PageHeader
        title={t('fees.title')}
        extra={
          canManageItems ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setItemDrawer({ open: true, item: null })} data-testid="fee-item-new">
              {t('fees.newItem')}
            </Button>
          ) : null
        }
      />
      <Flex vertical gap={12}>
        <CommunitySelect value={communityId} onChange={setCommunityId} communities={communities} loading={isPending} />
        {feeItems.data && feeItems.data.items.length === 0 ? <Empty description={t('fees.none')} /> : null}
        <List
          loading={feeItems.isLoading}
          dataSource={feeItems.data?.items ?? []}
          renderItem={(item) => (
            <Card
              size="small"
              style={{ marginBottom: 12 }}
              data-testid="fee-item"
              title={
                <Flex gap={8} wrap align="center" style={{ whiteSpace: 'normal' }}>
                  <span data-user-data>{item.name}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {item.code}
                  </Typography.Text>
                  {item.active ? null : <Tag>{t('fees.inactive')}</Tag>}
                </Flex>
              }
              extra={
                canManageItems ? (
                  <Button size="small" type="link" onClick={() => setItemDrawer({ open: true, item })} data-testid="fee-item-edit">
                    {t('fees.edit')}
                  </Button>
                ) : null
              }
            >
              <Flex vertical gap={8}>
                <Flex wrap gap={4}>
                  <Tag color="blue">{t(`fees.category.${item.category}`)}</Tag>
                  <Tag>
                    {t('fees.roundingShort', { unit: t(`fees.roundingUnit.${item.roundingUnit}`), mode: t(`fees.roundingMode.${item.roundingMode}`) })}
                  </Tag>
                  <Tag>{t('fees.dueDaysShort', { count: item.dueDays })}</Tag>
                  {item.lateFee ? <Tag color="orange">{t('fees.lateFeeShort', { ppm: item.lateFee.dailyPpm })}</Tag> : null}
                </Flex>
                {canRules ? (
                  <>
                    {rulesOf(item.id).map((rule) => (
                      <RuleSummary key={rule.id} rule={rule} onOpen={() => setRuleDrawer({ open: true, feeItem: item, rule })} />
                    ))}
                    {canManageRules ? (
                      <Button size="small" icon={<PlusOutlined />} onClick={() => setRuleDrawer({ open: true, feeItem: item, rule: null })} data-testid="fee-rule-new" style={{ alignSelf: 'flex-start' }}>
                        {t('fees.newRule')}
                      </Button>
                    ) : null}
                  </>
                ) : null}
              </Flex>
            </Card>
          )}
        />
      </Flex>
      {communityId ? (
        <FeeItemDrawer
          key={formKey(itemDrawer.open, itemDrawer.item)}
          open={itemDrawer.open}
          item={itemDrawer.item}
          communityId={communityId}
          onClose={() => setItemDrawer({ open: false, item: null })}
        />
      ) : null}
      {communityId && ruleDrawer.feeItem ? (
        <RuleDrawer
          key={formKey(ruleDrawer.open, ruleDrawer.rule)}
          open={ruleDrawer.open}
          communityId={communityId}
          feeItem={ruleDrawer.feeItem}
          rule={liveRule}
          canManage={canManageRules}
          onCreated={(rule) => setRuleDrawer({ open: true, feeItem: ruleDrawer.feeItem, rule })}
          onClose={() => setRuleDrawer({ open: false, feeItem: null, rule: null })}
        />
      ) : null}
    </>
  );
}

/** The price in force today (or the latest one not yet in force when none is). */
function currentPrice(rule: FeeRule) {
  const today = chinaToday();
  const sorted = [...rule.prices].sort((a, b) => a.effectiveOn.localeCompare(b.effectiveOn));
  return [...sorted].reverse().find((p) => p.effectiveOn <= today) ?? sorted[0];
}

function PriceText({ price }: { price: FeeRule['prices'][number] | undefined }) {
  const { t } = useTranslation('billing');
  if (!price) return <>—</>;
  if (price.tiers) {
    let from = '0';
    return (
      <>
        {price.tiers.map((tier, i) => {
          const label = tier.upTo === null ? t('fees.tierAbove', { from: showQty(from), price: showPrice(tier.price) }) : t('fees.tierRange', { from: showQty(from), to: showQty(tier.upTo), price: showPrice(tier.price) });
          from = tier.upTo ?? from;
          return <div key={i}>{label}</div>;
        })}
      </>
    );
  }
  return <>{t('fees.priceYuan', { price: showPrice(price.price) })}</>;
}

function RuleSummary({ rule, onOpen }: { rule: FeeRule; onOpen: () => void }) {
  const { t } = useTranslation('billing');
  return (
    <Card size="small" type="inner" hoverable onClick={onOpen} data-testid="fee-rule" styles={{ body: { padding: 8 } }}>
      <Flex justify="space-between" gap={8} wrap>
        <Flex vertical style={{ minWidth: 0 }}>
          <Typography.Text strong data-user-data>
            {rule.name} {rule.active ? null : <Tag>{t('fees.inactive')}</Tag>}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`fees.kind.${rule.kind}`)} · {t(`fees.cycle.${rule.cycle}`)}
            {rule.tierScope ? ` · ${t(`fees.tierScope.${rule.tierScope}`)}` : ''}
            {rule.amount ? ` · ¥${rule.amount}` : ''}
          </Typography.Text>
          <Typography.Text style={{ fontSize: 12 }}>
            <PriceText price={currentPrice(rule)} />
          </Typography.Text>
        </Flex>
        <Tag style={{ alignSelf: 'flex-start' }}>{t('fees.assignedCount', { count: rule.assignments.filter((a) => a.endsOn === null || a.endsOn >= chinaToday()).length })}</Tag>
      </Flex>
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------
// Fee item

interface FeeItemValues {
  code: string;
  name: string;
  category: FeeItem['category'];
  roundingUnit: FeeItem['roundingUnit'];
  roundingMode: FeeItem['roundingMode'];
  dueDays: number;
  active: boolean;
  lateFeeOn: boolean;
  lateFee: { dailyPpm?: number; graceDays?: number; cap?: 'principal' | 'amount' | 'none'; capCents?: string };
}

function FeeItemDrawer({ open, item, communityId, onClose }: { open: boolean; item: FeeItem | null; communityId: string; onClose: () => void }) {
  const { t } = useTranslation('billing');
  const errorText = useErrorText();
  const [form] = Form.useForm<FeeItemValues>();
  const lateFeeOn = Form.useWatch('lateFeeOn', form);
  const cap = Form.useWatch(['lateFee', 'cap'], form);
  const save = useBillingWrite((body: Record<string, unknown>) => (item ? setupApi.updateFeeItem(item.id, body) : setupApi.createFeeItem({ ...body, communityId })));
  const initial: FeeItemValues = {
    code: item?.code ?? '',
    name: item?.name ?? '',
    category: item?.category ?? 'property',
    roundingUnit: item?.roundingUnit ?? 'cent',
    roundingMode: item?.roundingMode ?? 'half_up',
    dueDays: item?.dueDays ?? 30,
    active: item?.active ?? true,
    lateFeeOn: !!item?.lateFee,
    lateFee: {
      dailyPpm: item?.lateFee?.dailyPpm ?? 500,
      graceDays: item?.lateFee?.graceDays ?? 0,
      cap: item?.lateFee?.cap ?? 'principal',
      capCents: item?.lateFee?.capCents ? formatCents(item.lateFee.capCents).replace(/,/g, '') : '',
    },
  };
  const onFinish = (v: FeeItemValues) => {
    const lateFee = v.lateFeeOn
      ? { dailyPpm: v.lateFee.dailyPpm ?? 0, graceDays: v.lateFee.graceDays ?? 0, cap: v.lateFee.cap ?? 'principal', ...(v.lateFee.cap === 'amount' ? { capCents: parseYuanToCents(v.lateFee.capCents ?? '') ?? 0 } : {}) }
      : null;
    const body = { name: v.name.trim(), category: v.category, roundingUnit: v.roundingUnit, roundingMode: v.roundingMode, dueDays: v.dueDays, lateFee, ...(item ? { active: v.active } : { code: v.code.trim() }) };
    save.mutate(body, { onSuccess: onClose, onError: (e) => showProblemOnForm(form, e) });
  };
  return (
    <FormDrawer width={560} open={open} title={item ? t('fees.editItem') : t('fees.newItem')} form={form} saving={save.isPending} onClose={onClose} testId="fee-item-drawer">
      <Form form={form} layout="vertical" initialValues={initial} onFinish={onFinish}>
        <Form.Item name="code" label={t('fees.code')} rules={[{ required: !item, pattern: /^[A-Za-z0-9_-]{1,20}$/, message: t('fees.codeRule') }]} extra={item ? t('fees.codeStays') : null}>
          <Input disabled={!!item} maxLength={20} data-testid="fee-item-code" />
        </Form.Item>
        <Form.Item name="name" label={t('fees.name')} rules={[{ required: true, whitespace: true, max: 60 }]}>
          <Input maxLength={60} data-testid="fee-item-name" />
        </Form.Item>
        <Form.Item name="category" label={t('fees.categoryLabel')} rules={[{ required: true }]}>
          <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`fees.category.${c}`) }))} data-testid="fee-item-category" />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="roundingUnit" label={t('fees.roundingUnitLabel')} style={{ flex: 1, minWidth: 130 }}>
            <Select options={(['cent', 'jiao', 'yuan'] as const).map((u) => ({ value: u, label: t(`fees.roundingUnit.${u}`) }))} />
          </Form.Item>
          <Form.Item name="roundingMode" label={t('fees.roundingModeLabel')} style={{ flex: 1, minWidth: 130 }}>
            <Select options={(['half_up', 'half_even'] as const).map((m) => ({ value: m, label: t(`fees.roundingMode.${m}`) }))} />
          </Form.Item>
        </Flex>
        <Form.Item name="dueDays" label={t('fees.dueDays')} extra={t('fees.dueDaysHint')}>
          <InputNumber min={0} max={365} precision={0} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="lateFeeOn" valuePropName="checked">
          <Checkbox>{t('fees.lateFee')}</Checkbox>
        </Form.Item>
        {lateFeeOn ? (
          <Flex gap={8} wrap>
            <Form.Item name={['lateFee', 'dailyPpm']} label={t('fees.dailyPpm')} extra={t('fees.dailyPpmHint')} rules={[{ required: true }]} style={{ minWidth: 140 }}>
              <InputNumber min={1} max={10000} precision={0} />
            </Form.Item>
            <Form.Item name={['lateFee', 'graceDays']} label={t('fees.graceDays')} style={{ minWidth: 100 }}>
              <InputNumber min={0} max={365} precision={0} />
            </Form.Item>
            <Form.Item name={['lateFee', 'cap']} label={t('fees.cap')} style={{ minWidth: 140 }}>
              <Select options={(['principal', 'amount', 'none'] as const).map((c) => ({ value: c, label: t(`fees.capKind.${c}`) }))} />
            </Form.Item>
            {cap === 'amount' ? (
              <Form.Item name={['lateFee', 'capCents']} label={t('fees.capAmount')} rules={[{ required: true, validator: (_r, v: string | undefined) => ((parseYuanToCents(v ?? '') ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('cashier.badAmount')))) }]}>
                <Input prefix="¥" inputMode="decimal" style={{ width: 140 }} />
              </Form.Item>
            ) : null}
          </Flex>
        ) : null}
        {item ? (
          <Form.Item name="active" label={t('fees.activeLabel')} valuePropName="checked" extra={t('fees.activeHint')}>
            <Switch />
          </Form.Item>
        ) : null}
        {save.error ? <Alert type="error" showIcon title={errorText(save.error)} /> : null}
      </Form>
    </FormDrawer>
  );
}

// ---------------------------------------------------------------------------------------------
// Fee rule

interface RuleValues {
  name: string;
  kind: Kind;
  cycle: FeeRule['cycle'];
  prorate: boolean;
  meterKind?: FeeRule['meterKind'];
  tierScope?: 'period' | 'year' | 'none';
  apportionBasis?: FeeRule['apportionBasis'];
  apportionSource?: 'meter' | 'amount';
  sharedMeterId?: string;
  amount?: string;
  vacantRatePercent?: string;
  prepay?: { minMonths?: number; percent?: string }[];
  active: boolean;
  price: PriceValues;
}

function TiersEditor({ name }: { name: (string | number)[] }) {
  const { t } = useTranslation('billing');
  return (
    <Form.List name={name} rules={[{ validator: (_r, v: unknown[] | undefined) => ((v?.length ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('fees.tiersNeeded')))) }]}>
      {(fields, { add, remove }, { errors }) => (
        <Flex vertical gap={4} data-testid="tiers-editor">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('fees.tiersHint')}
          </Typography.Text>
          {fields.map((field, i) => (
            <Flex key={field.key} gap={6} align="baseline" wrap={false}>
              <Typography.Text style={{ width: 20 }}>{i + 1}</Typography.Text>
              <Form.Item name={[field.name, 'upTo']} style={{ flex: 1, marginBottom: 8 }} rules={[{ pattern: QTY, message: t('fees.qtyRule') }]}>
                <Input placeholder={t('fees.tierUpTo')} inputMode="decimal" data-testid={`tier-upto-${i}`} />
              </Form.Item>
              <Form.Item name={[field.name, 'price']} style={{ flex: 1, marginBottom: 8 }} rules={[{ required: true, pattern: PRICE, message: t('fees.priceRule') }]}>
                <Input placeholder={t('fees.unitPrice')} prefix="¥" inputMode="decimal" data-testid={`tier-price-${i}`} />
              </Form.Item>
              <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('fees.removeTier')} />
            </Flex>
          ))}
          <Form.ErrorList errors={errors} />
          <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => add({ upTo: '', price: '' })} disabled={fields.length >= 10} data-testid="tier-add">
            {t('fees.addTier')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

/** Price fields: a single price or the tiers editor; `prefix` is the form path of the price object. */
function PriceFields({ prefix, tiered, unitHint }: { prefix: string[]; tiered: boolean; unitHint: string }) {
  const { t } = useTranslation('billing');
  return (
    <>
      <Form.Item name={[...prefix, 'effectiveOn']} label={t('fees.effectiveOn')} rules={[{ required: true }]}>
        <Input type="date" style={{ width: 180 }} data-testid="price-effective-on" />
      </Form.Item>
      {tiered ? (
        <Form.Item label={t('fees.tiers')} required>
          <TiersEditor name={[...prefix, 'tiers']} />
        </Form.Item>
      ) : (
        <Form.Item name={[...prefix, 'price']} label={t('fees.unitPrice')} extra={unitHint} rules={[{ required: true, pattern: PRICE, message: t('fees.priceRule') }]}>
          <Input prefix="¥" inputMode="decimal" style={{ width: 180 }} data-testid="price-price" />
        </Form.Item>
      )}
    </>
  );
}

function RuleDrawer({
  open,
  communityId,
  feeItem,
  rule,
  canManage,
  onCreated,
  onClose,
}: {
  open: boolean;
  communityId: string;
  feeItem: FeeItem;
  rule: FeeRule | null;
  canManage: boolean;
  onCreated: (rule: FeeRule) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation('billing');
  const errorText = useErrorText();
  const [form] = Form.useForm<RuleValues>();
  const kind = (Form.useWatch('kind', form) ?? rule?.kind ?? 'fixed_per_room');
  const tierScope = Form.useWatch('tierScope', form);
  const apportionSource = Form.useWatch('apportionSource', form);
  const basis = Form.useWatch('apportionBasis', form);
  const shared = useMeters(communityId, { shared: true }, kind === 'apportion');
  const save = useBillingWrite((body: Record<string, unknown>) => (rule ? setupApi.updateRule(rule.id, body) : setupApi.createRule(body)));

  const initial: RuleValues = {
    name: rule?.name ?? feeItem.name,
    kind: rule?.kind ?? (feeItem.category === 'water' || feeItem.category === 'electricity' || feeItem.category === 'gas' ? 'metered' : 'fixed_per_room'),
    cycle: rule?.cycle ?? 'monthly',
    prorate: rule?.prorate ?? true,
    meterKind: rule?.meterKind ?? (['water', 'electricity', 'gas'].includes(feeItem.category) ? (feeItem.category as 'water') : null),
    tierScope: rule ? (rule.tierScope ?? 'none') : 'none',
    apportionBasis: rule?.apportionBasis ?? 'building_area',
    apportionSource: rule?.sharedMeterId ? 'meter' : 'amount',
    sharedMeterId: rule?.sharedMeterId ?? undefined,
    amount: rule?.amount ?? '',
    vacantRatePercent: rule?.vacantRatePercent ?? '',
    prepay: rule?.prepay ?? [],
    active: rule?.active ?? true,
    price: { effectiveOn: chinaToday(), price: '', tiers: [{ upTo: '', price: '' }] },
  };
  const tiered = kind === 'metered' && !!tierScope && tierScope !== 'none';
  const takesPrice = PRICED.has(kind) || (kind === 'apportion' && apportionSource === 'meter');
  const unitHint = kind === 'area_building' || kind === 'area_inner' ? t('fees.unitPerM2') : kind === 'metered' || kind === 'apportion' ? t('fees.unitPerUsage') : t('fees.unitPerMonth');

  const onFinish = (v: RuleValues) => {
    const isApportion = v.kind === 'apportion';
    const fields = {
      name: v.name.trim(),
      cycle: v.cycle,
      prorate: v.prorate,
      meterKind: v.kind === 'metered' || (isApportion && v.apportionBasis === 'usage') ? (v.meterKind ?? null) : null,
      tierScope: v.kind === 'metered' && v.tierScope && v.tierScope !== 'none' ? v.tierScope : null,
      apportionBasis: isApportion ? (v.apportionBasis ?? null) : null,
      sharedMeterId: isApportion && v.apportionSource === 'meter' ? (v.sharedMeterId ?? null) : null,
      amount: (isApportion && v.apportionSource === 'amount') || v.kind === 'one_off' ? (text(v.amount) ?? null) : null,
      vacantRatePercent: text(v.vacantRatePercent) ?? null,
      prepay: (v.prepay ?? []).filter((p) => p.minMonths && p.percent).map((p) => ({ minMonths: p.minMonths ?? 1, percent: (p.percent ?? '').trim() })),
    };
    const body = rule ? { ...fields, active: v.active } : { communityId, feeItemId: feeItem.id, kind: v.kind, ...fields, ...(takesPrice ? { price: priceBody(v.price, tiered) } : {}) };
    save.mutate(body, {
      onSuccess: (saved) => (rule ? onClose() : onCreated(saved)),
      onError: (e) => showProblemOnForm(form, e),
    });
  };

  return (
    <FormDrawer width={560} open={open} title={rule ? t('fees.editRule', { name: rule.name }) : t('fees.newRuleOf', { item: feeItem.name })} form={canManage ? form : null} saving={save.isPending} onClose={onClose} testId="fee-rule-drawer">
      <Form form={form} layout="vertical" initialValues={initial} onFinish={onFinish} disabled={!canManage}>
        <Form.Item name="name" label={t('fees.ruleName')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input maxLength={100} data-testid="rule-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('fees.kindLabel')} extra={rule ? t('fees.kindStays') : t(`fees.kindHint.${kind}`)}>
          <Select disabled={!!rule} options={KINDS.map((k) => ({ value: k, label: t(`fees.kind.${k}`) }))} data-testid="rule-kind" />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="cycle" label={t('fees.cycleLabel')} style={{ minWidth: 140 }}>
            <Select options={CYCLES.map((c) => ({ value: c, label: t(`fees.cycle.${c}`) }))} />
          </Form.Item>
          <Form.Item name="prorate" label={t('fees.prorate')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Flex>
        {kind === 'metered' ? (
          <Flex gap={8} wrap>
            <Form.Item name="meterKind" label={t('fees.meterKind')} rules={[{ required: true }]} style={{ minWidth: 140 }}>
              <Select options={METER_KINDS.map((m) => ({ value: m, label: t(`meters.kind.${m}`) }))} data-testid="rule-meter-kind" />
            </Form.Item>
            <Form.Item name="tierScope" label={t('fees.tierScopeLabel')} extra={rule ? t('fees.tierScopeStays') : null} style={{ minWidth: 180 }}>
              <Radio.Group
                disabled={!!rule}
                optionType="button"
                options={[
                  { value: 'none', label: t('fees.tierScope.none') },
                  { value: 'period', label: t('fees.tierScope.period') },
                  { value: 'year', label: t('fees.tierScope.year') },
                ]}
                data-testid="rule-tier-scope"
              />
            </Form.Item>
          </Flex>
        ) : null}
        {kind === 'apportion' ? (
          <>
            <Form.Item name="apportionBasis" label={t('fees.apportionBasis')} rules={[{ required: true }]}>
              <Select options={(['building_area', 'equal', 'usage'] as const).map((b) => ({ value: b, label: t(`fees.basis.${b}`) }))} />
            </Form.Item>
            {basis === 'usage' ? (
              <Form.Item name="meterKind" label={t('fees.roomMeterKind')} rules={[{ required: true }]}>
                <Select options={METER_KINDS.map((m) => ({ value: m, label: t(`meters.kind.${m}`) }))} />
              </Form.Item>
            ) : null}
            <Form.Item name="apportionSource" label={t('fees.apportionSource')}>
              <Radio.Group disabled={!!rule} optionType="button" options={[{ value: 'meter', label: t('fees.sourceMeter') }, { value: 'amount', label: t('fees.sourceAmount') }]} />
            </Form.Item>
            {apportionSource === 'meter' ? (
              <Form.Item name="sharedMeterId" label={t('fees.sharedMeter')} rules={[{ required: true }]}>
                <Select loading={shared.isLoading} options={(shared.data ?? []).map((m) => ({ value: m.id, label: `${m.serialNumber} · ${t(`meters.kind.${m.kind}`)}` }))} notFoundContent={t('fees.noSharedMeter')} />
              </Form.Item>
            ) : null}
          </>
        ) : null}
        {(kind === 'apportion' && apportionSource === 'amount') || kind === 'one_off' ? (
          <Form.Item name="amount" label={kind === 'one_off' ? t('fees.oneOffAmount') : t('fees.apportionAmount')} rules={[{ required: true, pattern: /^\d{1,10}(\.\d{1,2})?$/, message: t('cashier.badAmount') }]}>
            <Input prefix="¥" inputMode="decimal" style={{ width: 180 }} data-testid="rule-amount" />
          </Form.Item>
        ) : null}
        <Form.Item name="vacantRatePercent" label={t('fees.vacantRate')} extra={t('fees.vacantRateHint')} rules={[{ pattern: PERCENT, message: t('fees.percentRule') }]}>
          <Input suffix="%" inputMode="decimal" style={{ width: 140 }} />
        </Form.Item>
        <Form.Item label={t('fees.prepay')} extra={t('fees.prepayHint')}>
          <Form.List name="prepay">
            {(fields, { add, remove }) => (
              <Flex vertical gap={4}>
                {fields.map((field) => (
                  <Flex key={field.key} gap={6} align="baseline">
                    <Form.Item name={[field.name, 'minMonths']} style={{ marginBottom: 8 }} rules={[{ required: true }]}>
                      <InputNumber min={1} max={60} precision={0} placeholder={t('fees.minMonths')} suffix={t('fees.months')} style={{ width: 130 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'percent']} style={{ marginBottom: 8 }} rules={[{ required: true, pattern: PERCENT, message: t('fees.percentRule') }]}>
                      <Input placeholder={t('fees.offPercent')} suffix="%" inputMode="decimal" style={{ width: 120 }} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(field.name)} />
                  </Flex>
                ))}
                <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => add({ minMonths: 12, percent: '' })} style={{ alignSelf: 'flex-start' }} disabled={fields.length >= 10}>
                  {t('fees.addPrepay')}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form.Item>
        {rule ? (
          <Form.Item name="active" label={t('fees.activeLabel')} valuePropName="checked">
            <Switch />
          </Form.Item>
        ) : takesPrice ? (
          <>
            <Divider titlePlacement="start">{t('fees.firstPrice')}</Divider>
            <PriceFields prefix={['price']} tiered={tiered} unitHint={unitHint} />
          </>
        ) : null}
        {save.error ? <Alert type="error" showIcon title={errorText(save.error)} /> : null}
      </Form>
      {rule ? (
        <>
          <PricesSection rule={rule} canManage={canManage} unitHint={unitHint} />
          <AssignmentsSection rule={rule} communityId={communityId} canManage={canManage} />
        </>
      ) : null}
    </FormDrawer>
  );
}

function PricesSection({ rule, canManage, unitHint }: { rule: FeeRule; canManage: boolean; unitHint: string }) {
  const { t } = useTranslation('billing');
  const errorText = useErrorText();
  const [form] = Form.useForm<PriceValues>();
  const add = useBillingWrite((body: unknown) => setupApi.addPrice(rule.id, body));
  const tiered = rule.tierScope !== null;
  const takesPrice = PRICED.has(rule.kind) || (rule.kind === 'apportion' && rule.sharedMeterId !== null);
  if (!takesPrice) return null;
  const prices = [...rule.prices].sort((a, b) => b.effectiveOn.localeCompare(a.effectiveOn));
  return (
    <>
      <Divider titlePlacement="start">{t('fees.prices')}</Divider>
      <List
        size="small"
        dataSource={prices}
        data-testid="rule-prices"
        renderItem={(p) => (
          <List.Item>
            <Flex gap={12} wrap>
              <Typography.Text strong>{t('fees.fromDate', { date: p.effectiveOn })}</Typography.Text>
              <Typography.Text>
                <PriceText price={p} />
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
      {canManage ? (
        <Card size="small" title={t('fees.priceChange')} style={{ marginTop: 8 }}>
          <Form
            form={form}
            layout="vertical"
            initialValues={{ effectiveOn: chinaToday(), price: '', tiers: [{ upTo: '', price: '' }] }}
            onFinish={(v) => add.mutate(priceBody(v, tiered), { onSuccess: () => form.resetFields(), onError: (e) => showProblemOnForm(form, e) })}
          >
            <PriceFields prefix={[]} tiered={tiered} unitHint={unitHint} />
            {add.error ? <Alert type="error" showIcon title={errorText(add.error)} style={{ marginBottom: 8 }} /> : null}
            <Button htmlType="submit" loading={add.isPending} data-testid="price-add">
              {t('fees.addPrice')}
            </Button>
          </Form>
        </Card>
      ) : null}
    </>
  );
}

interface AssignmentValues {
  targetType: FeeRuleAssignment['targetType'];
  targetId?: string;
  effectiveOn: string;
  endsOn?: string;
}

/** Labels of assignment targets: building names, room codes, parking space numbers of the community. */
function useTargetLabels(communityId: string, communityName: string | undefined) {
  const buildings = useBuildings(communityId);
  const tree = usePropertyTree(communityId);
  const spaces = useQuery({
    queryKey: ['billing', 'parking-spaces', communityId],
    queryFn: ({ signal }) => api.get<{ items: { id: string; number: string; parkingLotName?: string }[] }>('/api/parking-spaces', { communityId, limit: 200 }, { signal }),
  });
  return useMemo(() => {
    const rooms = (tree.data?.buildings ?? []).flatMap((b) => b.units.flatMap((u) => u.rooms));
    const label = new Map<string, string>();
    label.set(communityId, communityName ?? communityId);
    for (const b of buildings.data?.items ?? []) label.set(b.id, b.name);
    for (const r of rooms) label.set(r.id, r.code);
    for (const s of spaces.data?.items ?? []) label.set(s.id, s.number);
    return {
      label: (id: string) => label.get(id) ?? id.slice(0, 8),
      buildings: (buildings.data?.items ?? []).map((b) => ({ value: b.id, label: b.name })),
      rooms: rooms.map((r) => ({ value: r.id, label: r.code })),
      spaces: (spaces.data?.items ?? []).map((s) => ({ value: s.id, label: s.number })),
    };
  }, [buildings.data, tree.data, spaces.data, communityId, communityName]);
}

function AssignmentsSection({ rule, communityId, canManage }: { rule: FeeRule; communityId: string; canManage: boolean }) {
  const { t } = useTranslation('billing');
  const errorText = useErrorText();
  const { communities } = useRegistryCommunity();
  const targets = useTargetLabels(communityId, communities.find((c) => c.id === communityId)?.name);
  const [form] = Form.useForm<AssignmentValues>();
  const targetType = Form.useWatch('targetType', form) ?? 'community';
  const add = useBillingWrite((body: unknown) => setupApi.addAssignment(rule.id, body));
  const end = useBillingWrite(({ id, endsOn }: { id: string; endsOn: string }) => setupApi.endAssignment(rule.id, id, endsOn));
  const options = targetType === 'building' ? targets.buildings : targetType === 'room' ? targets.rooms : targetType === 'parking_space' ? targets.spaces : [];
  return (
    <>
      <Divider titlePlacement="start">{t('fees.assignments')}</Divider>
      {rule.assignments.length === 0 ? <Alert type="warning" showIcon title={t('fees.notAssigned')} style={{ marginBottom: 8 }} /> : null}
      <List
        size="small"
        dataSource={rule.assignments}
        data-testid="rule-assignments"
        renderItem={(a) => (
          <List.Item
            actions={
              canManage && a.endsOn === null
                ? [
                    <Button key="end" size="small" type="link" loading={end.isPending} onClick={() => end.mutate({ id: a.id, endsOn: chinaToday() })}>
                      {t('fees.endToday')}
                    </Button>,
                  ]
                : []
            }
          >
            <Flex vertical>
              <Typography.Text>
                <Tag>{t(`fees.target.${a.targetType}`)}</Tag>
                <span data-user-data>{targets.label(a.targetId)}</span>
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {a.endsOn ? t('fees.periodFromTo', { from: a.effectiveOn, to: a.endsOn }) : t('fees.fromDate', { date: a.effectiveOn })}
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
      {end.error ? <Alert type="error" showIcon title={errorText(end.error)} /> : null}
      {canManage ? (
        <Card size="small" title={t('fees.assign')} style={{ marginTop: 8 }}>
          <Form
            form={form}
            layout="vertical"
            initialValues={{ targetType: 'community', effectiveOn: chinaToday(), endsOn: '' }}
            onFinish={(v) =>
              add.mutate(
                { targetType: v.targetType, targetId: v.targetType === 'community' ? communityId : (v.targetId ?? ''), effectiveOn: v.effectiveOn, ...(text(v.endsOn) ? { endsOn: text(v.endsOn) } : {}) },
                { onSuccess: () => form.resetFields(), onError: (e) => showProblemOnForm(form, e) },
              )
            }
          >
            <Form.Item name="targetType" label={t('fees.targetType')}>
              <Select options={TARGETS.map((x) => ({ value: x, label: t(`fees.target.${x}`) }))} onChange={() => form.setFieldValue('targetId', undefined)} data-testid="assign-target-type" />
            </Form.Item>
            {targetType !== 'community' ? (
              <Form.Item name="targetId" label={t(`fees.target.${targetType}`)} rules={[{ required: true }]}>
                <Select showSearch={{ optionFilterProp: 'label' }} options={options} virtual data-testid="assign-target" />
              </Form.Item>
            ) : null}
            <Flex gap={8} wrap>
              <Form.Item name="effectiveOn" label={t('fees.effectiveOn')} rules={[{ required: true }]}>
                <Input type="date" style={{ width: 170 }} />
              </Form.Item>
              <Form.Item name="endsOn" label={t('fees.endsOn')}>
                <Input type="date" style={{ width: 170 }} />
              </Form.Item>
            </Flex>
            {add.error ? <Alert type="error" showIcon title={errorText(add.error)} style={{ marginBottom: 8 }} /> : null}
            <Button htmlType="submit" loading={add.isPending} data-testid="assign-add">
              {t('fees.assignAdd')}
            </Button>
          </Form>
        </Card>
      ) : null}
    </>
  );
}
