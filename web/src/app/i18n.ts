import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '@courtyard/contracts';
import zhCommon from '../locales/zh-CN/common.json';
import zhIdentity from '../locales/zh-CN/identity.json';
import zhAudit from '../locales/zh-CN/audit.json';
import zhPortal from '../locales/zh-CN/portal.json';
import enCommon from '../locales/en-US/common.json';
import enIdentity from '../locales/en-US/identity.json';
import enAudit from '../locales/en-US/audit.json';
import enPortal from '../locales/en-US/portal.json';
import zhFiles from '../locales/zh-CN/files.json';
import enFiles from '../locales/en-US/files.json';
import zhWebhooks from '../locales/zh-CN/webhooks.json';
import enWebhooks from '../locales/en-US/webhooks.json';
import zhSettings from '../locales/zh-CN/settings.json';
import enSettings from '../locales/en-US/settings.json';
import zhNotifications from '../locales/zh-CN/notifications.json';
import enNotifications from '../locales/en-US/notifications.json';
import zhProperties from '../locales/zh-CN/properties.json';
import enProperties from '../locales/en-US/properties.json';
import zhPeople from '../locales/zh-CN/people.json';
import enPeople from '../locales/en-US/people.json';
import zhExchange from '../locales/zh-CN/exchange.json';
import enExchange from '../locales/en-US/exchange.json';
import zhSurveys from '../locales/zh-CN/surveys.json';
import enSurveys from '../locales/en-US/surveys.json';
import zhFeedback from '../locales/zh-CN/feedback.json';
import enFeedback from '../locales/en-US/feedback.json';
import zhServiceDesk from '../locales/zh-CN/serviceDesk.json';
import enServiceDesk from '../locales/en-US/serviceDesk.json';
import zhBilling from '../locales/zh-CN/billing.json';
import enBilling from '../locales/en-US/billing.json';

export const resources = {
  'zh-CN': { common: zhCommon, identity: zhIdentity, audit: zhAudit, portal: zhPortal, webhooks: zhWebhooks, settings: zhSettings, files: zhFiles, notifications: zhNotifications, properties: zhProperties, people: zhPeople, exchange: zhExchange, surveys: zhSurveys, feedback: zhFeedback, serviceDesk: zhServiceDesk, billing: zhBilling },
  'en-US': { common: enCommon, identity: enIdentity, audit: enAudit, portal: enPortal, webhooks: enWebhooks, settings: enSettings, files: enFiles, notifications: enNotifications, properties: enProperties, people: enPeople, exchange: enExchange, surveys: enSurveys, feedback: enFeedback, serviceDesk: enServiceDesk, billing: enBilling },
} as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: (typeof resources)['zh-CN'];
  }
}

const STORAGE_KEY = 'courtyard.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function storedLocale(): Locale {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

function applyDocumentLocale(locale: Locale): void {
  document.documentElement.lang = locale;
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
}

const initial = storedLocale();
applyDocumentLocale(initial);

void i18n.use(initReactI18next).init({
  resources,
  lng: initial,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  ns: ['common', 'identity', 'audit', 'portal', 'webhooks', 'settings', 'files', 'notifications'],
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : DEFAULT_LOCALE;
}

/** Switches the UI language and remembers it on this device (the account is updated by the caller). */
export async function changeLocale(locale: Locale): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // storage may be unavailable (private mode); the choice then lasts for this page only
  }
  applyDocumentLocale(locale);
  if (i18n.language !== locale) await i18n.changeLanguage(locale);
}

export default i18n;
