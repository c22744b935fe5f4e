export interface CommunityTable {
  id: string;
  code: string;
  name: string;
  address: string;
  type: 'residential' | 'commercial' | 'office' | 'mall' | 'mixed';
  phone: string | null;
  created_at: string;
  updated_at: string;
}

declare module '../../core/db/schema.js' {
  interface Database {
    communities: CommunityTable;
  }
}
