import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetVsActual, Expense } from '@courtyard/contracts';
import { startCourtyard, type TestCourtyard } from '../harness.js';
import { paymentsEstate } from './payments.fixtures.js';

/** Expenses (支出) and annual budgets (预算): budget vs actual, alerts at 90 % and 100 % once each. */
let c: TestCourtyard;
let e: Awaited<ReturnType<typeof paymentsEstate>>;
beforeAll(async () => {
  c = await startCourtyard();
  e = await paymentsEstate(c, 'BUD', 1);
});
afterAll(() => c.dispose());

const alerts = async () =>
  (await c.database.db.selectFrom('notification_messages').select(['template', 'channel', 'user_id']).where('template', '=', 'billing.budget_threshold').where('channel', '=', 'in_app').execute()).length;
const spend = (category: string, amountCents: number, spentOn = '2026-03-01') => e.manager.post('/api/expenses', { communityId: e.communityId, category, spentOn, amountCents, description: `${category}支出` });

describe('expenses and budgets', () => {
  it('records expenses by category and reports budget vs actual per category for the year', async () => {
    expect((await e.manager.request('PUT', '/api/budgets', { communityId: e.communityId, year: 2026, category: '保洁', amountCents: 100_000 })).statusCode).toBe(200);
    const res = await spend('保洁', 50_000);
    expect(res.statusCode).toBe(201);
    expect(res.json<Expense>()).toMatchObject({ category: '保洁', amountCents: 50_000, spentOn: '2026-03-01' });
    await spend('绿化', 7_000);
    await spend('保洁', 99_999, '2025-12-31'); // another year
    const v = (await e.manager.get(`/api/budgets/vs-actual?communityId=${e.communityId}&year=2026`)).json<BudgetVsActual>();
    expect(v.lines).toEqual([
      { category: '保洁', budgetCents: 100_000, actualCents: 50_000, remainingCents: 50_000, usedBp: 5000 },
      { category: '绿化', budgetCents: 0, actualCents: 7_000, remainingCents: -7_000, usedBp: null },
    ]);
    expect(await alerts()).toBe(0);
  });

  it('notifies the budget managers once at 90 % and once at 100 %', async () => {
    await spend('保洁', 40_000); // 90 %
    expect(await alerts()).toBe(1);
    await spend('保洁', 5_000); // 95 %: nothing new
    expect(await alerts()).toBe(1);
    await spend('保洁', 5_000); // 100 %
    expect(await alerts()).toBe(2);
    await spend('保洁', 1_000); // beyond: nothing new
    expect(await alerts()).toBe(2);
    const audit = await c.database.db.selectFrom('audit_log').select('action').where('action', '=', 'billing.budget.alert').execute();
    expect(audit).toHaveLength(2);
  });

  it('needs billing.budget.manage and refuses bad input without writing', async () => {
    expect((await spend('保洁', 0)).statusCode).toBe(400);
    expect((await e.cashier.post('/api/expenses', { communityId: e.communityId, category: '保洁', spentOn: '2026-03-01', amountCents: 100, description: 'x' })).statusCode).toBe(403);
    expect((await e.cashier.get(`/api/budgets/vs-actual?communityId=${e.communityId}&year=2026`)).statusCode).toBe(403);
  });
});
