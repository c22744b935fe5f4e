import { BUILT_IN_ROLES, PERMISSIONS, isPermission, type Locale } from '@courtyard/contracts';
import type { TFunction } from 'i18next';

/** A role's name in the UI language: built-in roles from the catalogue, custom ones as given. */
export function roleLabel(codeOrName: string, locale: Locale, customName?: string): string {
  const builtIn = BUILT_IN_ROLES.find((r) => r.code === codeOrName);
  if (builtIn) return locale === 'en-US' ? builtIn.en : builtIn.zh;
  return customName ?? codeOrName;
}

/** A permission's label in the UI language (from the server's list when given, else the catalogue). */
export function permissionLabel(code: string, locale: Locale, fromServer?: { zh: string; en: string }): string {
  const entry = fromServer ?? (isPermission(code) ? PERMISSIONS[code] : undefined);
  if (!entry) return code;
  return locale === 'en-US' ? entry.en : entry.zh;
}

const MODULES = ['identity', 'audit', 'settings', 'notifications', 'files', 'webhooks', 'properties', 'people', 'data', 'operations', 'portal'] as const;
type KnownModule = (typeof MODULES)[number];

/** The module name of a permission code (`identity.user.read` → accounts and access). */
export function permissionModuleLabel(module: string, t: TFunction<'identity'>): string {
  const known = MODULES.find((m): m is KnownModule => m === module);
  return known ? t(`permissionModules.${known}`) : module;
}
