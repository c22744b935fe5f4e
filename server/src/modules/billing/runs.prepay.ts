import type { PrepayBody, PrepayQuote, PrepayQuoteBody, SkipReason } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { Db, Exec } from '../../core/db/schema.js';
import { assertCan, type RequestContext } from '../../core/http/context.js';
import { AppError, invalid } from '../../core/http/errors.js';
import type { AuditService } from '../audit/index.js';
import { chinaToday, type BillsService, type NewBill } from './bills.service.js';
import { addDays, addMonths, cycleMonths, formatCents, formatPercentBp, prepayDiscount, type BillingCycle, type Discount, type PrepayRule } from './engine/index.js';
import { idempotencyScope, type IdempotentResult, type Idempotency } from './idempotency.js';
import type { PaymentsService } from './payments.service.js';
import { rules as rulesRepo } from './rules.repository.js';
import type { FeeRuleTable } from './runs.tables.js';

/**
 * Prepayment at the counter (预交, e.g. 物业费一次交一年): the cashier picks a room or parking space,
 * a fee item and a number of months; the bills of the next periods not yet billed (from the
 * current period on) are issued now — exactly as the bill run would compute them, with the same
 * unique keys, so the runs of those periods skip them — each carrying the rule's prepayment
 * discount (`prepay_json`: the tier with the largest `minMonths` not above the months, no
 * stacking) as the bill's discount, explained; and the money is taken for them in the same
 * transaction (payment, allocation, receipt). A quote first shows the periods and the total;
 * paying refuses a total that no longer matches it (`billing.prepay_amount_changed`).
 *
 * Only fee items billed per period by price (fixed per room or space, by area) can be prepaid:
 * usage and apportionment are not known ahead.
 */
type BillFor = (
  exec: Exec,
  communityId: string,
  label: string,
  feeItemId: string,
  subject: { roomId?: string | null; parkingSpaceId?: string | null },
  extraDiscounts: (rule: FeeRuleTable) => Discount[],
) => Promise<{ bill?: NewBill; reason?: SkipReason }>;

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  bills: BillsService;
  payments?: Pick<PaymentsService, 'receive' | 'resolveSubject'>;
  idempotency?: Idempotency;
}

const ROOM_KINDS = new Set(['fixed_per_room', 'area_building', 'area_inner']);

/** The period label of `cycle` containing `on` (`2026-03`, `2026-Q2`, `2026-H1`, `2026`). */
export function labelOf(cycle: BillingCycle, on: string): string {
  const year = on.slice(0, 4);
  const month = Number(on.slice(5, 7));
  if (cycle === 'monthly') return on.slice(0, 7);
  if (cycle === 'quarterly') return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
  if (cycle === 'half_yearly') return `${year}-H${month <= 6 ? 1 : 2}`;
  return year;
}
const startOf = (cycle: BillingCycle, on: string): string => {
  const months = cycleMonths(cycle);
  const month = Math.floor((Number(on.slice(5, 7)) - 1) / months) * months + 1;
  return `${on.slice(0, 4)}-${String(month).padStart(2, '0')}-01`;
};

export function createPrepay(deps: Deps, billFor: BillFor) {
  async function quoteIn(exec: Exec, body: PrepayQuoteBody): Promise<{ quote: PrepayQuote; bills: NewBill[]; subject: Awaited<ReturnType<NonNullable<Deps['payments']>['resolveSubject']>> }> {
    if (!deps.payments) throw new AppError('billing.prepay_unavailable');
    const subject = await deps.payments.resolveSubject(exec, body.communityId, body.roomId, body.parkingSpaceId);
    const kinds = subject.roomId ? ROOM_KINDS : new Set(['fixed_per_space']);
    const cycles = [...new Set((await rulesRepo.ofFeeItems(exec, body.communityId, [body.feeItemId])).filter((r) => kinds.has(r.kind)).map((r) => r.cycle))];
    if (cycles.length !== 1) throw new AppError('billing.prepay_unavailable', [{ field: '/body/feeItemId', message: cycles.length ? { en: 'the fee item has rules of several cycles', zh: '该收费项目的规则有多种计费周期' } : { en: 'no periodic rule by price', zh: '没有按单价周期计费的规则' } }]);
    const cycle = cycles[0]!;
    const step = cycleMonths(cycle);
    if (body.months % step !== 0) throw new AppError('billing.prepay_unavailable', [{ field: '/body/months', message: { en: `a multiple of ${step}`, zh: `须为 ${step} 的倍数` } }]);

    // From the current period, or after the last period already billed if that is later.
    let from = startOf(cycle, chinaToday(deps.clock.now()));
    const last = await exec
      .selectFrom('bills')
      .select('period_end_on')
      .where('subject_id', '=', subject.subjectId)
      .where('fee_item_id', '=', body.feeItemId)
      .where('source', '=', 'run')
      .where('status', '<>', 'cancelled')
      .orderBy('period_end_on', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (last && addDays(last.period_end_on, 1) > from) from = startOf(cycle, addDays(last.period_end_on, 1));

    let offBp: number | null = null;
    const extra = (rule: FeeRuleTable): Discount[] => {
      const tiers = rule.prepay_json ? (JSON.parse(rule.prepay_json) as PrepayRule[]) : [];
      const d = prepayDiscount(tiers, body.months);
      if (d?.kind === 'percent') offBp = d.offBp;
      return d ? [d] : [];
    };
    const bills: NewBill[] = [];
    for (let i = 0; i < body.months / step; i++) {
      const label = labelOf(cycle, addMonths(from, i * step));
      const res = await billFor(exec, body.communityId, label, body.feeItemId, { roomId: subject.roomId, parkingSpaceId: subject.parkingSpaceId }, extra);
      if (!res.bill) throw new AppError('billing.prepay_not_billable', [{ field: '/body/months', message: { en: `${label}: ${res.reason ?? 'rule_not_effective'}`, zh: `${label}：${res.reason ?? 'rule_not_effective'}` } }]);
      bills.push(res.bill);
    }
    const amountCents = bills.reduce((s, b) => s + b.amountCents, 0);
    const discountCents = bills.reduce((s, b) => s + (b.discountCents ?? 0), 0);
    const quote: PrepayQuote = {
      subjectId: subject.subjectId,
      feeItemId: body.feeItemId,
      months: body.months,
      discountPercent: offBp === null ? null : formatPercentBp(offBp),
      periods: bills.map((b) => ({ periodLabel: b.periodLabel, periodStartOn: b.periodStartOn, periodEndOn: b.periodEndOn, amountCents: b.amountCents, discountCents: b.discountCents ?? 0, dueCents: b.amountCents - (b.discountCents ?? 0) })),
      amountCents,
      discountCents,
      totalCents: amountCents - discountCents,
      total: formatCents(amountCents - discountCents),
    };
    return { quote, bills, subject };
  }

  return {
    /** What prepaying would issue and cost (`billing.payment.collect`); writes nothing. */
    async prepayQuote(ctx: RequestContext, body: PrepayQuoteBody): Promise<PrepayQuote> {
      assertCan(ctx, 'billing.payment.collect', body.communityId);
      return (await quoteIn(deps.db, body)).quote;
    },

    /** Issues the quoted bills and takes the money for them in one transaction, idempotent on the key. */
    async prepay(ctx: RequestContext, key: string, body: PrepayBody): Promise<IdempotentResult> {
      assertCan(ctx, 'billing.payment.collect', body.communityId);
      const { payments, idempotency } = deps;
      if (!payments || !idempotency) throw new AppError('billing.prepay_unavailable');
      return idempotency.run(idempotencyScope(ctx, 'POST /api/prepay'), key, body, async (tx) => {
        const { quote, bills, subject } = await quoteIn(tx, body);
        if (quote.totalCents !== body.amountCents) throw new AppError('billing.prepay_amount_changed', [{ field: '/body/amountCents', message: { en: `now ${quote.total}`, zh: `现为 ${quote.total}` } }]);
        if (quote.totalCents <= 0) throw invalid('/body/months', 'nothing to pay', '没有需要支付的金额');
        const issued = await deps.bills.issueMany(tx, ctx, { communityId: body.communityId, bills });
        // A run of one of the periods got there first: nothing is issued twice, nothing is taken.
        if (issued.inserted !== bills.length) throw new AppError('billing.prepay_not_billable', [{ field: '/body/months', message: { en: 'already billed', zh: '已出账' } }]);
        const payment = await payments.receive(tx, ctx, {
          subject,
          method: body.method,
          amountCents: quote.totalCents,
          billIds: issued.billIds,
          payerName: body.payerName ?? null,
          personId: body.personId ?? null,
          note: `prepay ${body.months} months`,
        });
        await deps.audit.record(tx, ctx, {
          action: 'billing.prepay.create',
          entityType: 'payment',
          entityId: payment.id,
          communityId: body.communityId,
          after: { subjectId: subject.subjectId, feeItemId: body.feeItemId, months: body.months, periods: quote.periods.map((p) => p.periodLabel), amountCents: quote.amountCents, discountCents: quote.discountCents, totalCents: quote.totalCents },
        });
        return { status: 201, body: { quote, billIds: issued.billIds, paymentId: payment.id, receiptNumber: payment.receiptNumber } };
      });
    },
  };
}
