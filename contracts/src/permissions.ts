/**
 * The permission catalogue: every permission the system knows, named `<module>.<resource>.<action>`.
 * Routes declare one of these; roles are sets of these. Anything not granted is denied.
 * Later modules add their entries here so that the UI, the server and custom roles share one list.
 */
export const PERMISSIONS = {
  'identity.user.read': { zh: '查看用户', en: 'View users' },
  'identity.user.manage': { zh: '创建和编辑用户', en: 'Create and edit users' },
  'identity.user.unlock': { zh: '解锁用户', en: 'Unlock users' },
  'identity.user.disable': { zh: '停用和启用用户', en: 'Disable and enable users' },
  'identity.user.reset_credentials': { zh: '重置密码和两步验证', en: 'Reset passwords and two-factor' },
  'identity.user.reveal': { zh: '查看完整个人信息（手机号等）', en: 'Reveal personal data (phone numbers)' },
  'identity.role.read': { zh: '查看角色', en: 'View roles' },
  'identity.role.manage': { zh: '管理自定义角色', en: 'Manage custom roles' },
  'identity.grant.request': { zh: '授予角色', en: 'Grant roles' },
  'identity.grant.approve': { zh: '审批敏感授权', en: 'Approve sensitive grants' },
  'identity.session.manage': { zh: '管理他人会话', en: "Manage other users' sessions" },
  'settings.system.read': { zh: '查看系统设置', en: 'View system settings' },
  'settings.system.manage': { zh: '修改系统设置和通知渠道凭据', en: 'Change system settings and channel credentials' },
  'settings.community.manage': { zh: '修改小区级设置', en: 'Change per-community settings' },
  'audit.log.read': { zh: '查看审计日志', en: 'View the audit log' },
  'audit.log.verify': { zh: '校验审计日志完整性', en: 'Verify audit log integrity' },
  'properties.community.read': { zh: '查看小区/项目', en: 'View communities' },
  'properties.community.manage': { zh: '管理小区/项目', en: 'Manage communities' },
  'properties.room.read': { zh: '查看楼栋、房屋和车位', en: 'View buildings, rooms and parking' },
  'properties.room.manage': { zh: '管理楼栋、房屋和车位', en: 'Manage buildings, rooms and parking' },
  'properties.renovation.manage': { zh: '受理、审批和验收装修申请', en: 'Handle, approve and inspect renovations' },
  'people.person.read': { zh: '查看业主和住户（手机号等已脱敏）', en: 'View owners and residents (personal data masked)' },
  'people.person.manage': { zh: '登记和编辑业主、住户、车辆及入住关系', en: 'Register and edit owners, residents, vehicles and occupancy' },
  'people.person.reveal': { zh: '查看业主完整手机号和证件号（每次留痕）', en: "Reveal owners' phone and ID numbers (each reveal audited)" },
  'properties.tag.manage': { zh: '管理标签和批量打标签', en: 'Manage tags and bulk-tag' },
  'data.import.run': { zh: 'Excel 批量导入', en: 'Import from Excel' },
  'data.export.run': { zh: '导出列表（Excel/CSV）', en: 'Export lists (Excel / CSV)' },
  'operations.job.read': { zh: '查看后台任务', en: 'View background jobs' },
  'webhooks.endpoint.manage': { zh: '管理 Webhook（向外部系统推送事件数据）', en: 'Manage webhooks (push event data to external systems)' },
  'notifications.template.manage': { zh: '管理通知模板和发送测试通知', en: 'Manage notification templates and send test notifications' },
  'notifications.delivery.read': { zh: '查看通知发送记录、失败队列和短信日志', en: 'View notification deliveries, dead letters and the SMS log' },
  'notifications.delivery.resend': { zh: '重发失败的通知', en: 'Resend failed notifications' },
  'portal.self.use': { zh: '使用业主门户', en: 'Use the owner portal' },
  'service_desk.survey.read': { zh: '查看满意度调查及结果', en: 'View satisfaction surveys and their results' },
  'service_desk.survey.manage': { zh: '创建、发布和关闭满意度调查', en: 'Create, publish and close satisfaction surveys' },
  'service_desk.feedback.send': { zh: '提交系统使用反馈', en: 'Send feedback about the system' },
  'service_desk.feedback.manage': { zh: '处理和答复用户反馈', en: 'Triage and answer feedback' },
  'service_desk.visit.manage': { zh: '服务回访', en: 'Return visits of closed requests' },
  'service_desk.request.read': { zh: '查看服务申请、看板和统计', en: 'View service requests, the board and figures' },
  'service_desk.request.manage': { zh: '登记、受理、派工和关闭服务申请', en: 'Enter, accept, dispatch and close service requests' },
  'service_desk.request.work': { zh: '处理派给本人或本班组的工单（接单、到场、完工）', en: 'Work requests dispatched to me or my team (take, arrive, resolve)' },
  'service_desk.config.manage': { zh: '管理服务类别、班组、技术员、派工规则和时限', en: 'Manage service categories, teams, technicians, dispatch rules and time limits' },
  'billing.rule.read': { zh: '查看收费标准', en: 'View fee rules' },
  'billing.rule.manage': { zh: '设置收费标准、单价和适用范围', en: 'Set fee rules, prices and where they apply' },
  'billing.meter.read': { zh: '查看仪表和抄表记录', en: 'View meters and readings' },
  'billing.meter.manage': { zh: '管理仪表、复核异常读数', en: 'Manage meters and review suspicious readings' },
  'billing.reading.enter': { zh: '录入和导入抄表读数', en: 'Enter and import meter readings' },
  'billing.run.read': { zh: '查看出账批次', en: 'View bill runs' },
  'billing.run.manage': { zh: '预览、执行和撤销批量出账', en: 'Preview, run and cancel bill runs' },
  'billing.fee.read': { zh: '查看收费项目', en: 'View fee items' },
  'billing.fee.manage': { zh: '设置收费项目（取整、滞纳金）', en: 'Set up fee items (rounding, late fees)' },
  'billing.bill.read': { zh: '查看账单和账务明细', en: 'View bills and their ledger trail' },
  'billing.bill.adjust': { zh: '申请账单减免和滞纳金减免', en: 'Request discounts, waivers and late-fee waivers on bills' },
  'billing.approval.decide': { zh: '审批减免、退款和冲正', en: 'Approve discounts, waivers, refunds and reversals' },
  'billing.ledger.check': { zh: '运行账务核对', en: 'Run the ledger check' },
  'billing.payment.read': { zh: '查看收款、收据、预存款和押金', en: 'View payments, receipts, prepaid balances and deposits' },
  'billing.payment.collect': { zh: '收款、预存和收取押金', en: 'Take payments, top-ups and deposits' },
  'billing.payment.refund': { zh: '申请冲正、退款和退押金', en: 'Request reversals, refunds and deposit returns' },
  'billing.dunning.manage': { zh: '设置催缴规则、发送催缴通知和打印催缴函', en: 'Set dunning rules, send reminders and print reminder letters' },
  'billing.report.read': { zh: '查看和导出收费报表（收款日报、收缴率、账龄、预存款）', en: 'View and export billing reports (daily cash, collection rate, ageing, prepaid)' },
  'billing.budget.manage': { zh: '登记支出、设置年度预算和查看预算执行', en: 'Record expenses, set annual budgets and view budget vs actual' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_CODES = Object.keys(PERMISSIONS) as Permission[];

/**
 * Permissions that administer accounts, access or the audit trail. A role holding any of them is
 * sensitive: granting it needs a second administrator's approval and its holders must use two-factor.
 */
export const SENSITIVE_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  'identity.user.manage',
  'identity.user.unlock',
  'identity.user.disable',
  'identity.user.reset_credentials',
  'identity.user.reveal',
  'identity.role.manage',
  'identity.grant.request',
  'identity.grant.approve',
  'identity.session.manage',
  'audit.log.read',
  'audit.log.verify',
  // Templates decide what the system says to every user (a phishing link in the password-reset
  // message); delivery records carry message bodies and contact addresses.
  'notifications.template.manage',
  'notifications.delivery.read',
  'notifications.delivery.resend',
  'settings.system.manage',
  // Webhooks send event data out of the system.
  'webhooks.endpoint.manage',
]);

export function isPermission(value: string): value is Permission {
  return Object.prototype.hasOwnProperty.call(PERMISSIONS, value);
}

export type RoleCode =
  | 'system_admin'
  | 'audit_admin'
  | 'security_admin'
  | 'property_manager'
  | 'customer_service'
  | 'cashier'
  | 'technician'
  | 'guard'
  | 'owner_representative'
  | 'resident'
  | 'visitor';

export interface BuiltInRole {
  code: RoleCode;
  zh: string;
  en: string;
  /** Administrator roles: granting needs a second administrator's approval, and the holder must use two-factor. */
  sensitive: boolean;
  permissions: readonly Permission[];
}

/**
 * Built-in roles follow the 三员分立 separation of duties: the system administrator runs accounts
 * and the system, the security administrator owns roles and grants, the audit administrator owns
 * the audit trail. Nobody — not even an administrator — can alter or delete audit records.
 */
export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  {
    code: 'system_admin',
    zh: '系统管理员',
    en: 'System administrator',
    sensitive: true,
    permissions: [
      'identity.user.read',
      'identity.user.manage',
      'identity.user.unlock',
      'identity.user.disable',
      'identity.user.reset_credentials',
      'identity.user.reveal',
      'identity.role.read',
      'identity.grant.request',
      'identity.grant.approve',
      'identity.session.manage',
      'audit.log.read',
      'properties.community.read',
      'properties.community.manage',
      'properties.room.read',
      'properties.room.manage',
      'properties.renovation.manage',
      'people.person.read',
      'people.person.manage',
      'people.person.reveal',
      'properties.tag.manage',
      'data.import.run',
      'data.export.run',
      'operations.job.read',
      'notifications.template.manage',
      'notifications.delivery.read',
      'notifications.delivery.resend',
      'webhooks.endpoint.manage',
      'settings.system.read',
      'settings.system.manage',
      'settings.community.manage',
      'service_desk.survey.read',
      'service_desk.survey.manage',
      'service_desk.feedback.send',
      'service_desk.feedback.manage',
      'service_desk.visit.manage',
      'service_desk.request.read',
      'service_desk.config.manage',
    ],
  },
  {
    code: 'security_admin',
    zh: '安全管理员',
    en: 'Security administrator',
    sensitive: true,
    permissions: [
      'identity.user.read',
      'identity.user.unlock',
      'identity.role.read',
      'identity.role.manage',
      'identity.grant.request',
      'identity.grant.approve',
      'identity.session.manage',
      'service_desk.feedback.send',
    ],
  },
  {
    code: 'audit_admin',
    zh: '审计管理员',
    en: 'Audit administrator',
    sensitive: true,
    permissions: ['identity.user.read', 'identity.role.read', 'audit.log.read', 'audit.log.verify', 'service_desk.feedback.send'],
  },
  {
    code: 'property_manager',
    zh: '物业经理',
    en: 'Property manager',
    sensitive: false,
    permissions: [
      'properties.community.read',
      'properties.community.manage',
      'properties.room.read',
      'properties.room.manage',
      'properties.renovation.manage',
      'people.person.read',
      'people.person.manage',
      'people.person.reveal',
      'properties.tag.manage',
      'data.import.run',
      'data.export.run',
      'operations.job.read',
      'settings.system.read',
      'settings.community.manage',
      'service_desk.survey.read',
      'service_desk.survey.manage',
      'service_desk.feedback.send',
      'service_desk.feedback.manage',
      'service_desk.visit.manage',
      'service_desk.request.read',
      'service_desk.request.manage',
      'service_desk.config.manage',
      'billing.rule.read',
      'billing.rule.manage',
      'billing.meter.read',
      'billing.meter.manage',
      'billing.reading.enter',
      'billing.run.read',
      'billing.run.manage',
      'billing.fee.read',
      'billing.fee.manage',
      'billing.bill.read',
      'billing.bill.adjust',
      'billing.approval.decide',
      'billing.ledger.check',
      'billing.payment.read',
      'billing.payment.collect',
      'billing.payment.refund',
      'billing.dunning.manage',
      'billing.report.read',
      'billing.budget.manage',
    ],
  },
  {
    code: 'customer_service',
    zh: '客服人员',
    en: 'Customer service',
    sensitive: false,
    // Front desk: registers residents and renovations, calls owners back (reveal, audited), exports lists.
    permissions: [
      'properties.community.read',
      'properties.room.read',
      'properties.renovation.manage',
      'people.person.read',
      'people.person.manage',
      'people.person.reveal',
      'properties.tag.manage',
      'data.export.run',
      'operations.job.read',
      'service_desk.survey.read',
      'service_desk.survey.manage',
      'service_desk.feedback.send',
      'service_desk.feedback.manage',
      'service_desk.visit.manage',
      'service_desk.request.read',
      'service_desk.request.manage',
    ],
  },
  { code: 'cashier', zh: '收费员', en: 'Cashier', sensitive: false, permissions: ['properties.community.read', 'properties.room.read', 'people.person.read', 'service_desk.feedback.send', 'billing.fee.read', 'billing.bill.read', 'billing.payment.read', 'billing.payment.collect', 'billing.payment.refund'] },
  { code: 'technician', zh: '维修工', en: 'Technician', sensitive: false, permissions: ['properties.community.read', 'properties.room.read', 'people.person.read', 'service_desk.feedback.send', 'service_desk.request.work', 'billing.meter.read', 'billing.reading.enter'] },
  { code: 'guard', zh: '保安', en: 'Guard', sensitive: false, permissions: ['properties.community.read', 'properties.room.read', 'people.person.read', 'service_desk.feedback.send'] },
  {
    code: 'owner_representative',
    zh: '业主代表',
    en: 'Owner representative',
    sensitive: false,
    permissions: ['portal.self.use', 'properties.community.read', 'service_desk.feedback.send'],
  },
  { code: 'resident', zh: '业主/住户', en: 'Owner / resident', sensitive: false, permissions: ['portal.self.use', 'service_desk.feedback.send'] },
  { code: 'visitor', zh: '访客', en: 'Visitor', sensitive: false, permissions: [] },
];
