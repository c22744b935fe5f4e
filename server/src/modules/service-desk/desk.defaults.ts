import type { RequestPriority, RequestType } from '@courtyard/contracts';

/** Categories every new community starts with (editable per community). */
export const DEFAULT_CATEGORIES: Record<RequestType, [code: string, name: string][]> = {
  repair_room: [
    ['plumbing', '水暖管道'],
    ['electrical', '电路照明'],
    ['doors_locks', '门窗锁具'],
    ['walls_floors', '墙面地面'],
    ['fixtures', '厨卫设施'],
    ['other', '其他'],
  ],
  repair_public: [
    ['elevator', '电梯'],
    ['lighting', '公共照明'],
    ['water_supply', '供水设施'],
    ['drainage', '排水/化粪池'],
    ['fire', '消防设施'],
    ['access_control', '门禁对讲'],
    ['roads', '道路及公共设施'],
    ['other', '其他'],
  ],
  complaint: [
    ['service', '服务态度'],
    ['noise', '噪音扰民'],
    ['environment', '环境卫生'],
    ['parking', '停车管理'],
    ['neighbour', '邻里纠纷'],
    ['other', '其他'],
  ],
  suggestion: [['general', '一般建议']],
  consultation: [
    ['fees', '费用咨询'],
    ['procedures', '办事流程'],
    ['other', '其他'],
  ],
  cleaning: [
    ['household', '家政保洁'],
    ['public', '公共区域保洁'],
    ['garbage', '垃圾清运'],
  ],
  greening: [
    ['pruning', '修剪'],
    ['pests', '病虫害防治'],
    ['other', '其他'],
  ],
  appointment: [
    ['moving', '搬家'],
    ['key', '钥匙托管'],
    ['other', '其他'],
  ],
  praise: [['general', '表扬']],
};

/** Business minutes from submission: accept, arrive, resolve. Urgent = water or power out, people stuck. */
export const DEFAULT_SLA: Record<RequestPriority, [accept: number, arrive: number, resolve: number]> = {
  urgent: [15, 30, 240],
  high: [30, 120, 480],
  normal: [60, 240, 1440],
  low: [120, 480, 2880],
};

/** Numbering prefix: 报修 BX, 投诉 TS, everything else 服务 FW. */
export function numberPrefix(type: RequestType): string {
  if (type === 'repair_room' || type === 'repair_public') return 'BX';
  if (type === 'complaint') return 'TS';
  return 'FW';
}

export const DEFAULT_AUTO_CLOSE_HOURS = 72;
export const DEFAULT_WARN_AT_PERCENT = 80;
export const DEFAULT_UTC_OFFSET_MINUTES = 480;
