import { formatAreaDm2, formatCents, formatScaled, formatDailyRatePpm, formatMultiplierE4, formatPercentBp, formatPriceE4, formatQtyE3 } from './decimal.js';
import type { DiscountApplied, Explanation, ExplanationStep } from './explanation.js';
import { fromJson, isZero, toDecimalText, type RatioJson } from './rational.js';
import type { RoundingApplied } from './rounding.js';

export type ExplanationLocale = 'zh-CN' | 'en-US';

/** Exact cents as yuan: "115.35" when whole cents, else four decimals and "…" ("115.3395…"). */
export function yuanText(amount: RatioJson): string {
  const r = fromJson(amount);
  if (r.d === 1n) return formatCents(Number(r.n));
  const t = toDecimalText(r, 100n, 4);
  return t.exact ? t.text : `${t.text}…`;
}

interface Words {
  yuan: string;
  basis: { building: string; inner: string };
  perM2Month: string;
  perMonth: string;
  months: (n: number) => string;
  days: (d: number, p: number) => string;
  range: (a: string, b: string) => string;
  segment: (a: string, b: string) => string;
  usage: string;
  tier: (n: number, from: string, to: string | null) => string;
  oneOff: string;
  item: Record<'material' | 'labour', string>;
  share: Record<'area' | 'equal' | 'usage', string>;
  equalFallback: string;
  lateFee: (principal: string, rate: string, days: number, from: string, to: string) => string;
  cap: string;
  total: string;
  discount: (d: DiscountApplied) => string;
  rounding: (r: RoundingApplied) => string;
  reading: (prev: string, cur: string, mult: string, rolled: boolean, a: string, b: string) => string;
  prior: (q: string) => string;
  proration: (start: string, end: string, days: number, periodDays: number, limits: string[]) => string;
  noDays: string;
  limits: Record<string, string>;
  due: (on: string, grace: number, asOf: string) => string;
}

const UNIT_ZH = { cent: '分', jiao: '角', yuan: '元' } as const;
const UNIT_EN = { cent: 'the cent', jiao: 'the jiao (0.10)', yuan: 'the yuan' } as const;

const zh: Words = {
  yuan: '元',
  basis: { building: '建筑面积', inner: '套内面积' },
  perM2Month: '元/m²/月',
  perMonth: '元/月',
  months: (n) => `${n} 个月`,
  days: (d, p) => `${d}/${p} 天`,
  range: (a, b) => `${a} 至 ${b}`,
  segment: (a, b) => `${a} 至 ${b}：`,
  usage: '用量',
  tier: (n, from, to) => `第 ${n} 档（${from}–${to ?? '以上'}）`,
  oneOff: '一次性收费',
  item: { material: '材料', labour: '人工' },
  share: { area: '按面积分摊', equal: '平均分摊', usage: '按用量分摊' },
  equalFallback: '所有权重为零，改为平均分摊',
  lateFee: (principal, rate, days, from, to) => `滞纳金：欠费本金 ${principal} 元 × ${rate}%/天 × ${days} 天（${from} 至 ${to}）`,
  cap: '封顶',
  total: '合计',
  discount: (d) =>
    d.source === 'prepay'
      ? `预存${d.months ?? ''}个月优惠${d.offBp !== undefined ? ` ${formatPercentBp(d.offBp)}%` : ''}`
      : d.source === 'vacancy'
        ? d.offBp !== undefined
          ? `空置房按 ${formatPercentBp(10_000 - d.offBp)}% 收费，优惠 ${formatPercentBp(d.offBp)}%`
          : '空置房优惠'
        : `${d.label ?? (d.source === 'manual' ? '减免' : '优惠')}${d.offBp !== undefined ? ` ${formatPercentBp(d.offBp)}%` : ''}`,
  rounding: (r) =>
    r.mode === 'largest_remainder'
      ? '（最大余数法分配到分）'
      : `（${r.mode === 'half_up' ? '四舍五入' : '银行家舍入'}到${UNIT_ZH[r.unit]}${r.limitCents !== undefined ? `，不超过封顶 ${formatCents(r.limitCents)} 元` : ''}）`,
  reading: (prev, cur, mult, rolled, a, b) => `读数 ${prev}（${a}）→ ${cur}（${b}）${rolled ? '，表已翻转' : ''}，倍率 ${mult}`,
  prior: (q) => `本年度已计用量 ${q}`,
  proration: (start, end, days, periodDays, limits) => `计费 ${start} 至 ${end}，${days}/${periodDays} 天${limits.length ? `（${limits.join('，')}）` : ''}`,
  noDays: '本期无计费天数',
  limits: { delivered: '交付日起', move_in: '入伙日起', rule_start: '收费标准生效日起', move_out: '至迁出日', rule_end: '至收费标准截止日' },
  due: (on, grace, asOf) => `到期日 ${on}，宽限 ${grace} 天，计至 ${asOf}`,
};

const en: Words = {
  yuan: 'yuan',
  basis: { building: 'Building area', inner: 'Inner area' },
  perM2Month: 'yuan/m²/month',
  perMonth: 'yuan/month',
  months: (n) => `${n} months`,
  days: (d, p) => `${d}/${p} days`,
  range: (a, b) => `${a} to ${b}`,
  segment: (a, b) => `${a} to ${b}: `,
  usage: 'Usage',
  tier: (n, from, to) => `Tier ${n} (${from}–${to ?? 'up'})`,
  oneOff: 'One-off charge',
  item: { material: 'Material', labour: 'Labour' },
  share: { area: 'Share by area', equal: 'Equal share', usage: 'Share by usage' },
  equalFallback: 'All weights are zero: split equally',
  lateFee: (principal, rate, days, from, to) =>
    `Late fee: outstanding principal ${principal} yuan × ${rate}%/day × ${days} ${days === 1 ? 'day' : 'days'} (${from} to ${to})`,
  cap: 'capped at',
  total: 'Total',
  discount: (d) =>
    d.source === 'prepay'
      ? `Prepayment discount (${d.months ?? ''} months)${d.offBp !== undefined ? ` ${formatPercentBp(d.offBp)}%` : ''}`
      : d.source === 'vacancy'
        ? d.offBp !== undefined
          ? `Vacant room charged at ${formatPercentBp(10_000 - d.offBp)}%: ${formatPercentBp(d.offBp)}% off`
          : 'Vacant-room discount'
        : `${d.label ?? (d.source === 'manual' ? 'Waiver' : 'Discount')}${d.offBp !== undefined ? ` ${formatPercentBp(d.offBp)}%` : ''}`,
  rounding: (r) =>
    r.mode === 'largest_remainder'
      ? ' (largest remainder, to the cent)'
      : ` (rounded ${r.mode === 'half_up' ? 'half-up' : "half-even (banker's)"} to ${UNIT_EN[r.unit]}${r.limitCents !== undefined ? `, not above the cap of ${formatCents(r.limitCents)} yuan` : ''})`,
  reading: (prev, cur, mult, rolled, a, b) => `Readings ${prev} (${a}) → ${cur} (${b})${rolled ? ', meter rolled over' : ''}, multiplier ${mult}`,
  prior: (q) => `Usage already billed this year ${q}`,
  proration: (start, end, days, periodDays, limits) => `Charged ${start} to ${end}, ${days}/${periodDays} days${limits.length ? ` (${limits.join(', ')})` : ''}`,
  noDays: 'No chargeable days in this period',
  limits: { delivered: 'from delivery', move_in: 'from move-in', rule_start: 'from the rule start', move_out: 'to move-out', rule_end: 'to the rule end' },
  due: (on, grace, asOf) => `Due ${on}, ${grace} grace days, as of ${asOf}`,
};

/** The basis the shares were actually computed on (all-zero weights fell back to equal shares). */
function shareBasis(e: Explanation): 'area' | 'equal' | 'usage' {
  const a = e.inputs.apportion;
  return !a || a.equalFallback ? 'equal' : a.basis;
}

function weightText(e: Explanation, w: string): string {
  const basis = shareBasis(e);
  // Weights may exceed 2^53 (they are BigInt strings), so format them as BigInt.
  if (basis === 'area') return formatScaled(BigInt(w), 2);
  if (basis === 'usage') return formatScaled(BigInt(w), 3);
  return w;
}

const qty = (e: Explanation, q: number): string => `${formatQtyE3(q)}${e.inputs.unit ? ` ${e.inputs.unit}` : ''}`;
const perUnit = (e: Explanation): string => (e.inputs.unit ? `/${e.inputs.unit}` : '');

function formula(e: Explanation, s: ExplanationStep, w: Words, multi: boolean): string {
  switch (s.op) {
    case 'segment': {
      const parts: string[] = [];
      if (e.rule === 'area' && e.inputs.areaDm2 !== undefined) {
        parts.push(`${w.basis[e.inputs.basis ?? 'building']} ${formatAreaDm2(e.inputs.areaDm2)} m²`);
        parts.push(`${formatPriceE4(s.priceE4)} ${w.perM2Month}`);
      } else parts.push(`${formatPriceE4(s.priceE4)} ${w.perMonth}`);
      if (s.months !== 1) parts.push(w.months(s.months));
      if (s.days !== s.periodDays) parts.push(w.days(s.days, s.periodDays));
      return `${multi ? w.segment(s.start, s.end) : ''}${parts.join(' × ')}`;
    }
    case 'usage':
      return `${w.usage} ${qty(e, s.qtyE3)} × ${formatPriceE4(s.priceE4)} ${w.yuan}${perUnit(e)}`;
    case 'tier':
      return `${w.tier(s.tier, formatQtyE3(s.fromE3), s.toE3 === null ? null : formatQtyE3(s.toE3))} ${qty(e, s.qtyE3)} × ${formatPriceE4(s.priceE4)} ${w.yuan}${perUnit(e)}`;
    case 'one_off':
      return `${w.oneOff} ${formatCents(s.amountCents)} ${w.yuan}`;
    case 'item':
      return `${w.item[s.kind]} ${s.name} ${s.quantity} × ${formatCents(s.unitPriceCents)} ${w.yuan}`;
    case 'share':
      return `${w.share[shareBasis(e)]} ${formatCents(s.totalCents)} ${w.yuan} × ${weightText(e, s.weight)}/${weightText(e, s.totalWeight)}`;
    case 'late_fee':
      return w.lateFee(formatCents(s.principalCents), formatDailyRatePpm(s.dailyRatePpm), s.days, s.fromOn, s.toOn);
    case 'cap':
      return `${w.cap} ${formatCents(s.capCents)} ${w.yuan}`;
  }
}

/**
 * Lines of text explaining an amount, for staff screens, the owner portal and receipts. The
 * explanation is data; this is its only presentation, so old bills re-render in either language.
 */
export function renderExplanation(e: Explanation, locale: ExplanationLocale = 'zh-CN'): string[] {
  const w = locale === 'en-US' ? en : zh;
  const lines: string[] = [];
  const sep = locale === 'en-US' ? '; ' : '；';
  if (e.inputs.label) lines.push(e.inputs.label);
  const pr = e.inputs.proration;
  if (pr) {
    if (pr.active === null) lines.push(w.noDays);
    else if (pr.prorated && pr.activeDays !== pr.periodDays) {
      const limits = [pr.startLimit, pr.endLimit].filter((k) => k !== 'period').map((k) => w.limits[k] ?? k);
      lines.push(w.proration(pr.active.start, pr.active.end, pr.activeDays, pr.periodDays, limits));
    }
  }
  const r = e.inputs.reading;
  if (r) {
    lines.push(w.reading(formatQtyE3(r.previousE3), formatQtyE3(r.currentE3), formatMultiplierE4(r.multiplierE4).replace(/\.?0+$/, ''), r.rolledOver, r.previousOn, r.currentOn));
  }
  if (e.inputs.tierScope === 'year' && e.inputs.priorQtyE3 !== undefined) lines.push(w.prior(formatQtyE3(e.inputs.priorQtyE3)));
  const lf = e.inputs.lateFee;
  if (lf) lines.push(w.due(lf.dueOn, lf.graceDays, lf.asOf));
  if (e.inputs.apportion?.equalFallback) lines.push(w.equalFallback);

  const final = `${formatCents(e.cents)} ${w.yuan}`;
  const note = isZero(fromJson(e.rounding.adjustment)) ? '' : w.rounding(e.rounding);
  const singleStep = e.steps.length === 1 && e.discounts.length === 0 ? e.steps[0] : undefined;
  if (singleStep) {
    lines.push(`${formula(e, singleStep, w, false)} = ${final}${note}`);
    return lines;
  }
  const multi = e.steps.filter((s) => s.op === 'segment').length > 1;
  for (const s of e.steps) {
    if (s.op === 'cap') lines.push(`${formula(e, s, w, multi)}${sep}${yuanText(s.before)} → ${yuanText(s.amount)} ${w.yuan}`);
    else lines.push(`${formula(e, s, w, multi)} = ${yuanText(s.amount)} ${w.yuan}`);
  }
  for (const d of e.discounts) lines.push(`${w.discount(d)} −${yuanText(d.amount)} ${w.yuan}`);
  lines.push(`${w.total} ${yuanText(e.exact)} ${w.yuan} → ${final}${note}`);
  return lines;
}
