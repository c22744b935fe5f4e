export interface SettingTable {
  key: string;
  /** 'org' for the organisation's value, otherwise the community id of an override. */
  scope: string;
  /** Non-secret fields as JSON. */
  value_json: string;
  /** Secret fields as JSON, encrypted with the field key (core/crypto/field.ts); null when none stored. */
  secrets_enc: string | null;
  updated_at: string;
  updated_by: string | null;
}

declare module '../../core/db/schema.js' {
  interface Database {
    settings: SettingTable;
  }
}
