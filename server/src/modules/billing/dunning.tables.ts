/** Dunning (催缴): reminder rules per community and the log of every reminder sent per bill. */
export interface DunningRuleTable {
  id: string;
  community_id: string;
  name: string;
  /** Remind once a bill is this many days past its due date. */
  days_overdue: number;
  /** JSON array of channels: `in_app`, `sms`, `email`. */
  channels_json: string;
  active: number;
  created_at: string;
  updated_at: string;
}

/** Append-only: one row per rule and bill reminded (UNIQUE), so a bill is never reminded twice by one rule. */
export interface DunningLogTable {
  id: string;
  community_id: string;
  rule_id: string;
  bill_id: string;
  subject_id: string;
  person_id: string | null;
  outstanding_cents: number;
  /** Messages written by notifications.send for the room's reminder (0: nobody reachable). */
  messages: number;
  sent_on: string;
  sent_at: string;
}

declare module '../../core/db/schema.js' {
  interface Database {
    dunning_rules: DunningRuleTable;
    dunning_log: DunningLogTable;
  }
}
