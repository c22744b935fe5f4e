/**
 * Stable error codes. The server answers every failure as application/problem+json carrying one
 * of these codes and a message in the caller's language; clients branch on `code`, never on text.
 */
export const ERRORS = {
  'request.invalid': { status: 400, zh: '请求内容不正确，请检查标出的字段', en: 'The request is invalid; check the fields listed' },
  'request.malformed_json': { status: 400, zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  'request.too_large': { status: 413, zh: '请求体过大', en: 'The request body is too large' },
  'request.unsupported_media_type': { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  'request.rate_limited': { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  'request.not_found': { status: 404, zh: '请求的资源不存在', en: 'The requested resource does not exist' },
  'request.conflict': { status: 409, zh: '数据已被修改或已存在', en: 'The data already exists or was changed' },
  'auth.unauthenticated': { status: 401, zh: '请先登录', en: 'Please sign in' },
  'auth.forbidden': { status: 403, zh: '没有执行此操作的权限', en: 'You do not have permission to do this' },
  'auth.out_of_scope': { status: 403, zh: '无权访问该小区的数据', en: 'You have no access to this community' },
  'auth.csrf': { status: 403, zh: '安全校验失败，请刷新页面后重试', en: 'Security check failed; reload the page and try again' },
  'auth.invalid_credentials': { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  'auth.locked': { status: 423, zh: '账号已锁定，请稍后再试或联系管理员解锁', en: 'The account is locked; try again later or ask an administrator to unlock it' },
  'auth.mfa_invalid': { status: 401, zh: '验证码错误或已使用', en: 'The code is wrong or has already been used' },
  'auth.mfa_challenge_expired': { status: 401, zh: '验证已过期，请重新登录', en: 'The sign-in step expired; sign in again' },
  'auth.mfa_required': { status: 403, zh: '您的角色要求启用两步验证', en: 'Your role requires two-factor authentication' },
  'auth.mfa_already_enabled': { status: 409, zh: '两步验证已启用', en: 'Two-factor authentication is already on' },
  'auth.mfa_not_removable': { status: 409, zh: '管理员角色必须保留两步验证', en: 'Administrator roles must keep two-factor authentication' },
  'auth.password_change_required': { status: 403, zh: '请先修改密码', en: 'Change your password first' },
  'auth.password_weak': { status: 400, zh: '密码至少 8 位，且包含大写字母、小写字母、数字、符号中的三类', en: 'The password needs at least 8 characters from three of: upper case, lower case, digits, symbols' },
  'auth.password_reused': { status: 400, zh: '不能使用最近 5 次用过的密码', en: 'The password must differ from your last 5' },
  'auth.password_wrong': { status: 400, zh: '当前密码不正确', en: 'The current password is wrong' },
  'identity.username_taken': { status: 409, zh: '用户名已存在', en: 'The username is taken' },
  'identity.role_code_taken': { status: 409, zh: '角色编码已存在', en: 'The role code is taken' },
  'identity.role_built_in': { status: 409, zh: '内置角色不能修改或删除', en: 'Built-in roles cannot be changed or deleted' },
  'identity.role_in_use': { status: 409, zh: '角色仍有用户在使用', en: 'The role is still granted to users' },
  'identity.grant_self_approval': { status: 403, zh: '不能审批自己提交的授权', en: 'You cannot approve a grant you requested' },
  'identity.grant_not_pending': { status: 409, zh: '该授权不在待审批状态', en: 'The grant is not pending' },
  'identity.grant_duplicate': { status: 409, zh: '该用户已拥有此授权', en: 'The user already holds this grant' },
  'identity.grant_self_approval_grantee': { status: 403, zh: '不能审批授予自己的角色', en: 'You cannot approve a role granted to yourself' },
  'identity.role_sensitive_in_use': { status: 409, zh: '角色已授予用户，不能再加入管理类权限；请新建角色', en: 'The role is granted to users; administrative permissions cannot be added to it — create a new role' },
  'identity.admin_credentials_cli_only': { status: 403, zh: '管理员账号的密码和两步验证只能在服务器上用命令行重置', en: "An administrator's password and two-factor can only be reset with the command line on the server" },
  'identity.cannot_disable_self': { status: 409, zh: '不能停用自己的账号', en: 'You cannot disable your own account' },
  'webhooks.url_invalid': { status: 400, zh: 'Webhook 地址必须是 http:// 或 https:// 开头的完整网址，且不能包含用户名或密码', en: 'The webhook URL must be a full http:// or https:// URL without a user name or password' },
  'webhooks.event_type_unknown': { status: 400, zh: '未知的事件类型', en: 'Unknown event type' },
  'webhooks.endpoint_disabled': { status: 409, zh: '该 Webhook 已停用，请先启用', en: 'The webhook is disabled; enable it first' },
  'webhooks.delivery_pending': { status: 409, zh: '该投递仍在重试中，完成后才能重放', en: 'The delivery is still being retried; replay it once it has finished' },
  'webhooks.event_expired': { status: 410, zh: '事件已超过保留期限，无法重放', en: 'The event is past its retention period and cannot be replayed' },
  'notifications.not_resendable': { status: 409, zh: '只有发送失败的消息可以重发（站内消息无需重发）', en: 'Only failed messages can be resent (in-app messages need no resend)' },
  'notifications.template_not_found': { status: 404, zh: '通知模板不存在', en: 'The notification template does not exist' },
  'files.empty': { status: 400, zh: '文件为空', en: 'The file is empty' },
  'files.too_large': { status: 413, zh: '文件超过大小上限', en: 'The file is larger than the limit' },
  'files.bad_name': { status: 400, zh: '文件名不合法：不能包含路径、控制字符，且不超过 200 个字符', en: 'Invalid file name: no paths or control characters, at most 200 characters' },
  'files.type_not_allowed': { status: 415, zh: '不支持该文件类型（支持 JPEG、PNG、WebP、GIF、PDF、Word、Excel、UTF-8 文本和 CSV）', en: 'This file type is not allowed (JPEG, PNG, WebP, GIF, PDF, Word, Excel, UTF-8 text and CSV are)' },
  'files.type_mismatch': { status: 400, zh: '文件扩展名与文件内容不符', en: 'The file extension does not match the content' },
  'files.infected': { status: 422, zh: '文件未通过病毒扫描，已拒绝', en: 'The file failed the virus scan and was refused' },
  'files.owner_not_found': { status: 404, zh: '附件所属的记录不存在', en: 'The record the file belongs to does not exist' },
  'properties.code_taken': { status: 409, zh: '编号已被使用，请换一个', en: 'The code or number is already in use; choose another' },
  'properties.not_empty': { status: 409, zh: '其下还有单元或房屋，不能删除', en: 'It still contains units or rooms and cannot be deleted' },
  'properties.room_renovating': { status: 409, zh: '房屋正在装修，状态由装修申请维护', en: 'The room is being renovated; its state follows the renovation' },
  'properties.tag.name_taken': { status: 409, zh: '标签名称已存在', en: 'A tag with this name already exists' },
  'properties.tag.not_free': { status: 409, zh: '系统标签和自动标签不能删除', en: 'System and derived tags cannot be deleted' },
  'properties.tag.not_manual': { status: 409, zh: '此标签由系统自动维护，不能手动添加或移除', en: 'This tag is maintained by the system and cannot be added or removed by hand' },
  'properties.renovation.illegal_transition': { status: 409, zh: '装修申请当前状态不允许此操作', en: 'The renovation application is not in a state that allows this' },
  'properties.renovation.deposit_illegal_transition': { status: 409, zh: '装修押金当前状态不允许此操作（退还须在验收通过后）', en: 'The deposit is not in a state that allows this (it is released only after the renovation passed inspection)' },
  'properties.renovation.room_busy': { status: 409, zh: '该房屋已有进行中的装修', en: 'The room already has a renovation in progress' },
  'exchange.batch_not_valid': { status: 409, zh: '只有校验通过且尚未提交的导入批次可以提交', en: 'Only a validated batch that has not been committed can be committed' },
  'people.id_number_taken': { status: 409, zh: '该小区已登记相同证件号的人员', en: 'A person with this ID number is already registered in the community' },
  'people.plate_taken': { status: 409, zh: '该车牌已登记', en: 'This plate is already registered' },
  'people.already_occupying': { status: 409, zh: '该人员已是此房屋/车位的当前住户', en: 'The person already holds this room or space' },
  'people.occupancy_ended': { status: 409, zh: '该入住记录已迁出', en: 'The occupancy has already ended' },
  'people.checklist_incomplete': { status: 409, zh: '清单还有未完成的事项', en: 'Some checklist items are not done yet' },
  'people.checklist_completed': { status: 409, zh: '清单已完成，不能再修改', en: 'The checklist is completed and can no longer change' },
  'internal.error': { status: 500, zh: '服务器内部错误，请联系管理员并提供请求编号', en: 'Internal error; contact an administrator with the request id' },
  'internal.unavailable': { status: 503, zh: '服务暂不可用', en: 'The service is unavailable' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ProblemField {
  /** JSON pointer-like path of the offending field, e.g. `/body/username`. */
  field: string;
  message: string;
}

/** The body of every error response (RFC 9457 problem details plus Courtyard's fields). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  requestId: string;
  errors?: ProblemField[];
  /** Present on auth.locked: when the lock ends, if it ends by itself. */
  lockedUntil?: string;
}
