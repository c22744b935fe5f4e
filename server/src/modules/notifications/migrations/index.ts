import { notificationsInit } from './202611250200_notifications_init.js';
export const notificationsMigrations = [notificationsInit];
