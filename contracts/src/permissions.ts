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
    ],
  },
  {
    code: 'audit_admin',
    zh: '审计管理员',
    en: 'Audit administrator',
    sensitive: true,
    permissions: ['identity.user.read', 'identity.role.read', 'audit.log.read', 'audit.log.verify'],
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
    ],
  },
  { code: 'cashier', zh: '收费员', en: 'Cashier', sensitive: false, permissions: ['properties.community.read', 'properties.room.read', 'people.person.read'] },
  { code: 'technician', zh: '维修工', en: 'Technician', sensitive: false, permissions: ['properties.community.read', 'properties.room.read', 'people.person.read'] },
  { code: 'guard', zh: '保安', en: 'Guard', sensitive: false, permissions: ['properties.community.read', 'properties.room.read', 'people.person.read'] },
  {
    code: 'owner_representative',
    zh: '业主代表',
    en: 'Owner representative',
    sensitive: false,
    permissions: ['portal.self.use', 'properties.community.read'],
  },
  { code: 'resident', zh: '业主/住户', en: 'Owner / resident', sensitive: false, permissions: ['portal.self.use'] },
  { code: 'visitor', zh: '访客', en: 'Visitor', sensitive: false, permissions: [] },
];
