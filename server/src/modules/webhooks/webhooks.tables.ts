export interface WebhookEndpointTable {
  id: string;
  name: string;
  url: string;
  /** The signing secret (`whsec_…`), field-encrypted; never returned by the API after creation. */
  secret_enc: string;
  /** JSON array of event type codes, or `["*"]` for every type. */
  event_types_json: string;
  /** 1 = receives deliveries, 0 = disabled. */
  active: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
}

export interface WebhookDeliveryTable {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  attempt_count: number;
  status: 'queued' | 'succeeded' | 'failed';
  last_status_code: number | null;
  last_error: string | null;
  /** At most 500 characters of the last response body. */
  last_response_excerpt: string | null;
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
  /** The delivery this one replays; null for the original delivery of an event to an endpoint. */
  replay_of: string | null;
}

/** One HTTP attempt of a delivery: every attempt is kept, not only the last. */
export interface WebhookDeliveryAttemptTable {
  id: string;
  delivery_id: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
  duration_ms: number;
  started_at: string;
}

declare module '../../core/db/schema.js' {
  interface Database {
    webhook_endpoints: WebhookEndpointTable;
    webhook_deliveries: WebhookDeliveryTable;
    webhook_delivery_attempts: WebhookDeliveryAttemptTable;
  }
}
