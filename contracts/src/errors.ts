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
  'service_desk.survey_not_editable': { status: 409, zh: '调查已发布或已结束，不能再修改', en: 'The survey is published or closed and can no longer change' },
  'service_desk.survey_not_open': { status: 409, zh: '调查未在开放时间内', en: 'The survey is not open for answers now' },
  'service_desk.survey_not_in_audience': { status: 403, zh: '您不在此调查的调查对象范围内', en: 'You are not in the audience of this survey' },
  'service_desk.survey_already_answered': { status: 409, zh: '您已提交过此调查', en: 'You have already answered this survey' },
  'service_desk.survey_illegal_transition': { status: 409, zh: '调查当前状态不允许此操作', en: 'The survey is not in a state that allows this' },
  'service_desk.feedback_illegal_transition': { status: 409, zh: '反馈当前状态不允许此操作', en: 'The feedback is not in a state that allows this' },
  'service_desk.visit_not_due': { status: 409, zh: '该工单未关闭或已回访', en: 'The request is not closed or was already visited' },
  'service_desk.transition_refused': { status: 409, zh: '申请当前状态不允许此操作', en: 'The request’s state does not allow this action' },
  'service_desk.stale': { status: 409, zh: '申请已被他人处理，请刷新后重试', en: 'Someone else acted on the request first; reload and try again' },
  'service_desk.not_assignee': { status: 403, zh: '该工单未派给您或您的班组', en: 'The request is not dispatched to you or your team' },
  'service_desk.no_technician': { status: 409, zh: '没有符合条件的在岗技术员，请手动派工', en: 'No technician on duty matches; dispatch by hand' },
  'service_desk.category_mismatch': { status: 400, zh: '服务类别不属于该小区或申请类型', en: 'The category does not belong to this community or request type' },
  'service_desk.not_technician': { status: 403, zh: '您不是该小区登记的技术员', en: 'You are not a registered technician of this community' },
  'billing.fee_item_unknown': { status: 400, zh: '收费项目不存在或不属于该小区', en: 'The fee item does not exist in this community' },
  'billing.fee_item_code_taken': { status: 409, zh: '该小区已有相同编号的收费项目', en: 'A fee item with this code already exists in the community' },
  'billing.approval_self': { status: 403, zh: '不能审批自己提交的申请', en: 'You cannot decide on your own request' },
  'billing.approval_decided': { status: 409, zh: '该申请已审批', en: 'The request has already been decided' },
  'billing.bill_not_open': { status: 409, zh: '账单已结清或已作废', en: 'The bill is settled or cancelled' },
  'billing.relief_exceeds_outstanding': { status: 409, zh: '减免金额超过账单未缴金额', en: 'The relief exceeds what is still owed on the bill' },
  'billing.run_has_payments': { status: 409, zh: '该批次已有账单收款，不能撤销', en: 'A bill of this run has been paid; the run cannot be cancelled' },
  'internal.error': { status: 500, zh: '服务器内部错误，请联系管理员并提供请求编号', en: 'Internal error; contact an administrator with the request id' },
  'internal.unavailable': { status: 503, zh: '服务暂不可用', en: 'The service is unavailable' },
  // billing — rules, meters, readings, bill runs
  'billing.meter_serial_taken': { status: 409, zh: '该小区已有相同表号的仪表', en: 'A meter with this serial number already exists in the community' },
  'billing.reading_lower': { status: 409, zh: '读数低于上次读数（该表未设置满量程，不能翻转）', en: 'The reading is lower than the previous one and the meter cannot roll over' },
  'billing.reading_date_order': { status: 409, zh: '抄表日期不晚于上次抄表日期', en: 'The reading date is not after the previous reading' },
  'billing.reading_date_gap': { status: 409, zh: '与上次抄表间隔过长，请先补录中间的读数', en: 'Too long since the previous reading; enter the readings in between first' },
  'billing.reading_rollover_invalid': { status: 409, zh: '翻转读数不成立（未设置满量程、读数未变小或超过满量程）', en: 'The rollover does not fit the meter (no maximum value, the value is not lower, or it exceeds the maximum)' },
  'billing.reading_duplicate_date': { status: 409, zh: '该表当天已有读数', en: 'The meter already has a reading for that day' },
  'billing.reading_not_pending': { status: 409, zh: '该读数不在待复核状态', en: 'The reading is not waiting for review' },
  'billing.device_token_required': { status: 403, zh: '设备接口只接受 API 令牌', en: 'The device endpoint accepts API tokens only' },
  'billing.run_in_progress': { status: 409, zh: '该小区同一账期的出账任务正在进行', en: 'A bill run for this community and period is already in progress' },
  'billing.run_not_cancellable': { status: 409, zh: '只能撤销已完成的出账批次', en: 'Only a finished bill run can be cancelled' },
  'billing.rule_invalid': { status: 400, zh: '收费标准设置不完整或不一致', en: 'The fee rule is incomplete or inconsistent' },
  'billing.prepay_unavailable': { status: 409, zh: '该收费项目没有可预交的周期性收费标准，或预交月数不是收费周期的整数倍', en: 'No periodic fee rule of this fee item can be prepaid, or the months are not a whole number of its cycles' },
  'billing.prepay_not_billable': { status: 409, zh: '预交期间中有账期无法出账', en: 'A period of the prepayment cannot be billed' },
  'billing.prepay_amount_changed': { status: 409, zh: '预交金额与报价不符，请重新报价', en: 'The prepayment amount no longer matches the quote; quote again' },
  'billing.rule_not_one_off': { status: 409, zh: '只有启用中的一次性收费标准可以直接出账', en: 'Only an active one-off fee rule can be issued directly' },
  // billing — payments, receipts, prepaid, deposits, refunds, gateway
  'billing.idempotency_key_required': { status: 400, zh: '收款请求必须带 Idempotency-Key 请求头', en: 'Payment requests need an Idempotency-Key header' },
  'billing.idempotency_conflict': { status: 422, zh: '该幂等键已用于内容不同的请求', en: 'This idempotency key was already used for a different request' },
  'billing.subject_unknown': { status: 400, zh: '房屋或车位不存在或不属于该小区', en: 'The room or parking space does not exist in this community' },
  'billing.bill_not_payable': { status: 409, zh: '所选账单不是该房屋/车位的待缴账单', en: 'A chosen bill is not an open bill of this room or space' },
  'billing.prepaid_insufficient': { status: 409, zh: '预存款余额不足', en: 'The prepaid balance is not enough' },
  'billing.payment_not_reversible': { status: 409, zh: '该收款已冲正或已有待审批的冲正申请', en: 'The payment is already reversed or has a pending reversal' },
  'billing.refund_exceeds_balance': { status: 409, zh: '退款金额超过可退余额', en: 'The refund exceeds the refundable balance' },
  'billing.refund_self_approval': { status: 403, zh: '不能审批自己提交的冲正或退款', en: 'You cannot approve a reversal or refund you requested' },
  'billing.refund_not_pending': { status: 409, zh: '该申请不在待审批状态', en: 'The request is not pending' },
  'billing.deposit_not_held': { status: 409, zh: '该押金已退还或正在退还', en: 'The deposit has been returned or is being returned' },
  'billing.gateway_signature': { status: 401, zh: '支付回调签名校验失败', en: 'The payment callback signature does not verify' },
  'billing.gateway_amount_mismatch': { status: 409, zh: '支付回调金额与订单不符', en: 'The callback amount differs from the order' },
  'billing.gateway_order_unknown': { status: 404, zh: '支付订单不存在', en: 'The payment order does not exist' },
  // billing — documents: receipt PDFs, dunning, reports, budgets
  'billing.pdf_font_missing': { status: 503, zh: '服务器未安装中文字体，无法生成 PDF（请安装 fonts-noto-cjk 或设置 COURTYARD_PDF_FONT）', en: 'No Chinese font is installed on the server, so the PDF cannot be rendered (install fonts-noto-cjk or set COURTYARD_PDF_FONT)' },
  'billing.dunning_rule_taken': { status: 409, zh: '该小区已有相同逾期天数的催缴规则', en: 'The community already has a dunning rule for that number of days overdue' },
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
