export type ApprovalStatus = 'pending' | 'approved' | 'rejected';

/**
 * A request that needs a second pair of eyes (减免、退款、冲正): requested by one user, decided by
 * another. `kind` names the handler that applies the effect when approved (`bill.discount`,
 * `payment.refund`, …); `payload_json` is what that handler needs.
 */
export interface BillingApprovalTable {
  id: string;
  community_id: string;
  kind: string;
  subject_type: string;
  subject_id: string;
  status: ApprovalStatus;
  reason: string;
  payload_json: string;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
}

declare module '../../core/db/schema.js' {
  interface Database {
    billing_approvals: BillingApprovalTable;
  }
}
