import type { EncryptedColumns } from '../../core/crypto/rotation.js';
export {
  createNotificationsService,
  DELIVERY_ATTEMPTS,
  DELIVER_JOB,
  UNREAD_TOPIC,
  type NotificationsService,
  type NotificationsDeps,
  type SendInput,
  type Contact,
} from './notifications.service.js';
export { createUnreadStreams, type UnreadStreams } from './notifications.stream.js';
export { notificationsRoutes } from './notifications.routes.js';
export { notificationsMigrations } from './migrations/index.js';
export { renderText, htmlOf, escapeHtml, DEFAULT_TEMPLATES, type TemplateData } from './templates.js';
export { signedPost } from './channels.js';
/** Field-encrypted columns of this module, for `courtyard keys rotate-field`. */
export const notificationsEncryptedColumns: EncryptedColumns[] = [{ table: 'notification_messages', key: 'id', columns: ['address_enc'] }];
