import { notificationsInit } from './202611240120_notifications_init.js';
export const notificationsMigrations = [notificationsInit];
