import type { BudgetQuery, BudgetVsActual, CreateExpenseBody, Expense, SetBudgetBody } from '@courtyard/contracts';
import { sql } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Db, Tx } from '../../core/db/schema.js';
import { assertCan, type RequestContext } from '../../core/http/context.js';
import type { IdGenerator } from '../../core/ids.js';
import type { AuditService } from '../audit/index.js';
import type { NotificationsService } from '../notifications/index.js';
import { actorOf } from './bills.service.js';
import { yuanFigures } from './documents/amount-in-words.js';
import type { ExpenseTable } from './expenses.tables.js';
import { rateBp } from './reports.js';

export const BUDGET_TEMPLATE = 'billing.budget_threshold';
const PERMISSION = 'billing.budget.manage' as const;

export interface ExpensesDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  notifications: NotificationsService;
}

export interface Expenses {
  create(ctx: RequestContext, body: CreateExpenseBody): Promise<Expense>;
  setBudget(ctx: RequestContext, body: SetBudgetBody): Promise<BudgetVsActual['lines'][number]>;
  budgetVsActual(ctx: RequestContext, query: BudgetQuery): Promise<BudgetVsActual>;
}

const view = (r: ExpenseTable): Expense => ({ id: r.id, communityId: r.community_id, category: r.category, spentOn: String(r.spent_on).slice(0, 10), amountCents: Number(r.amount_cents), description: r.description, createdBy: r.created_by, createdAt: String(r.created_at) });

/**
 * Expenses (支出) and annual budgets (年度预算) per category. Recording an expense rechecks its
 * budget line in the same transaction; at 90 % and at 100 % of the line the holders of
 * `billing.budget.manage` in the community are notified, each threshold once per line (a
 * conditional update of `alerted_90_at` / `alerted_100_at` decides who sends it).
 */
export function createExpenses(deps: ExpensesDeps): Expenses {
  const { db, clock, ids, audit, notifications } = deps;

  async function actualOf(tx: Tx | Db, communityId: string, year: number, category: string | null) {
    let q = tx.selectFrom('expenses').where('community_id', '=', communityId).where('spent_on', '>=', `${year}-01-01`).where('spent_on', '<=', `${year}-12-31`);
    if (category !== null) q = q.where('category', '=', category);
    return q.select(['category', sql<number>`sum(amount_cents)`.as('total')]).groupBy('category').execute();
  }

  async function managers(tx: Tx, communityId: string): Promise<string[]> {
    const rows = await tx
      .selectFrom('grants as g')
      .innerJoin('role_permissions as p', 'p.role_id', 'g.role_id')
      .select('g.user_id')
      .distinct()
      .where('g.status', '=', 'active')
      .where('p.permission', '=', PERMISSION)
      .where((eb) => eb.or([eb('g.community_id', 'is', null), eb('g.community_id', '=', communityId)]))
      .execute();
    return rows.map((r) => r.user_id);
  }

  /** Sends the 90 % / 100 % alerts a line has newly crossed, once each. */
  async function checkLine(tx: Tx, ctx: RequestContext, communityId: string, year: number, category: string) {
    const line = await tx.selectFrom('budgets').selectAll().where('community_id', '=', communityId).where('year', '=', year).where('category', '=', category).executeTakeFirst();
    if (!line) return;
    const actual = Number((await actualOf(tx, communityId, year, category))[0]?.total ?? 0);
    const budget = Number(line.amount_cents);
    const at = clock.now().toISOString();
    for (const [threshold, column] of [[90, 'alerted_90_at'], [100, 'alerted_100_at']] as const) {
      // actual ≥ threshold % of budget, in integers.
      if (actual * 100 < budget * threshold) continue;
      const claimed = await tx.updateTable('budgets').set({ [column]: at }).where('id', '=', line.id).where(column, 'is', null).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue;
      const recipients = await managers(tx, communityId);
      await notifications.send(tx, ctx, { recipients, template: BUDGET_TEMPLATE, communityId, channels: ['in_app', 'email'], data: { category, year: String(year), threshold: String(threshold), budget: yuanFigures(budget), actual: yuanFigures(actual) } });
      await audit.record(tx, ctx, { action: 'billing.budget.alert', entityType: 'budget', entityId: line.id, communityId, after: { category, year, threshold, budgetCents: budget, actualCents: actual } });
    }
  }

  return {
    async create(ctx, body) {
      assertCan(ctx, PERMISSION, body.communityId);
      return db.transaction().execute(async (tx) => {
        const row: ExpenseTable = { id: ids(), community_id: body.communityId, category: body.category, spent_on: body.spentOn, amount_cents: body.amountCents, description: body.description, created_by: actorOf(ctx), created_at: clock.now().toISOString() };
        await tx.insertInto('expenses').values(row).execute();
        await audit.record(tx, ctx, { action: 'billing.expense.create', entityType: 'expense', entityId: row.id, communityId: body.communityId, after: view(row) });
        await checkLine(tx, ctx, body.communityId, Number(body.spentOn.slice(0, 4)), body.category);
        return view(row);
      });
    },
    async setBudget(ctx, body) {
      assertCan(ctx, PERMISSION, body.communityId);
      return db.transaction().execute(async (tx) => {
        const at = clock.now().toISOString();
        const before = await tx.selectFrom('budgets').selectAll().where('community_id', '=', body.communityId).where('year', '=', body.year).where('category', '=', body.category).executeTakeFirst();
        if (before) {
          // A changed amount re-arms the alerts the new amount is no longer past.
          await tx.updateTable('budgets').set({ amount_cents: body.amountCents, updated_at: at, alerted_90_at: null, alerted_100_at: null }).where('id', '=', before.id).execute();
        } else {
          await tx.insertInto('budgets').values({ id: ids(), community_id: body.communityId, year: body.year, category: body.category, amount_cents: body.amountCents, alerted_90_at: null, alerted_100_at: null, updated_at: at }).execute();
        }
        await audit.record(tx, ctx, { action: 'billing.budget.set', entityType: 'budget', entityId: before?.id ?? `${body.communityId}:${body.year}:${body.category}`, communityId: body.communityId, before: before ? { amountCents: Number(before.amount_cents) } : undefined, after: { year: body.year, category: body.category, amountCents: body.amountCents } });
        await checkLine(tx, ctx, body.communityId, body.year, body.category);
        const actual = Number((await actualOf(tx, body.communityId, body.year, body.category))[0]?.total ?? 0);
        return { category: body.category, budgetCents: body.amountCents, actualCents: actual, remainingCents: body.amountCents - actual, usedBp: rateBp(actual, body.amountCents) };
      });
    },
    async budgetVsActual(ctx, query) {
      assertCan(ctx, PERMISSION, query.communityId);
      const [budgets, actuals] = await Promise.all([
        db.selectFrom('budgets').select(['category', 'amount_cents']).where('community_id', '=', query.communityId).where('year', '=', query.year).execute(),
        actualOf(db, query.communityId, query.year, null),
      ]);
      const categories = [...new Set([...budgets.map((b) => b.category), ...actuals.map((a) => a.category)])].sort();
      return {
        communityId: query.communityId,
        year: query.year,
        lines: categories.map((category) => {
          const budget = Number(budgets.find((b) => b.category === category)?.amount_cents ?? 0);
          const actual = Number(actuals.find((a) => a.category === category)?.total ?? 0);
          return { category, budgetCents: budget, actualCents: actual, remainingCents: budget - actual, usedBp: rateBp(actual, budget) };
        }),
      };
    },
  };
}
