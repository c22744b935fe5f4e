import type { VisitOutcome } from '@courtyard/contracts';

export interface ReturnVisitTable {
  id: string;
  community_id: string;
  request_id: string;
  outcome: VisitOutcome;
  notes: string | null;
  complaint_request_id: string | null;
  visited_by: string | null;
  visited_at: string;
}

declare module '../../core/db/schema.js' {
  interface Database {
    return_visits: ReturnVisitTable;
  }
}
