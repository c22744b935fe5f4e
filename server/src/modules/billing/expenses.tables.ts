/** Expenses (支出) by category and community, and annual budgets (年度预算) per category. */
export interface ExpenseTable {
  id: string;
  community_id: string;
  category: string;
  spent_on: string;
  amount_cents: number;
  description: string;
  created_by: string;
  created_at: string;
}

export interface BudgetTable {
  id: string;
  community_id: string;
  year: number;
  category: string;
  amount_cents: number;
  /** Set once when actual spending first reaches 90 % / 100 % of the line: each alert is sent once. */
  alerted_90_at: string | null;
  alerted_100_at: string | null;
  updated_at: string;
}

declare module '../../core/db/schema.js' {
  interface Database {
    expenses: ExpenseTable;
    budgets: BudgetTable;
  }
}
