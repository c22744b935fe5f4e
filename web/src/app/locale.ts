import { useCallback, useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import type { Locale, Me } from '@courtyard/contracts';
import { api } from '../ui/api';
import { useErrorText } from '../ui/useApiError';
import { changeLocale, currentLocale } from './i18n';
import { meKey, storeMe, useMe } from './session';

/**
 * Switches the language: at once in the UI and in localStorage, and — when someone is signed
 * in — on the account (`PUT /api/auth/me/locale`).
 */
export function useSwitchLocale(): (locale: Locale) => Promise<void> {
  const client = useQueryClient();
  const { message } = App.useApp();
  const errorText = useErrorText();
  return useCallback(
    async (locale: Locale) => {
      const me = client.getQueryData<Me | null>(meKey);
      if (me) client.setQueryData<Me>(meKey, { ...me, user: { ...me.user, locale } });
      await changeLocale(locale);
      if (!me) return;
      try {
        storeMe(client, await api.put<Me>('/api/auth/me/locale', { locale }));
      } catch (error) {
        void message.error(errorText(error));
      }
    },
    [client, message, errorText],
  );
}

/** Follows the signed-in user's saved language (on sign-in and on reload). */
export function LocaleSync() {
  const { me } = useMe();
  const locale = me?.user.locale;
  const userId = me?.user.id;
  useEffect(() => {
    if (locale && locale !== currentLocale()) void changeLocale(locale);
  }, [locale, userId]);
  return null;
}
