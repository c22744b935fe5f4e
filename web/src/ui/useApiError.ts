import { useCallback } from 'react';
import { App } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError, problemFieldName } from './api';

/** Puts the problem's field errors onto the form; returns true when at least one field matched. */
export function applyProblemToForm(form: FormInstance | undefined, error: unknown): boolean {
  if (!form || !isApiError(error) || error.fields.length === 0) return false;
  const known = new Set(Object.keys(form.getFieldsValue(true) as Record<string, unknown>));
  const fields = error.fields
    .map((f) => ({ name: problemFieldName(f.field), errors: [f.message] }))
    .filter((f) => f.name.length > 0 && known.has(String(f.name[0])));
  if (fields.length === 0) return false;
  form.setFields(fields);
  return true;
}

/** The text to show for any error: the server's localised `detail`, or a generic message. */
export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return useCallback(
    (error: unknown) => (isApiError(error) ? error.detail : t('errors.unexpected')),
    [t],
  );
}

/**
 * Shows an API failure as a toast with the server's localised `detail`, and maps the problem's
 * `errors[].field` onto the given form's fields.
 */
export function useApiError(): (error: unknown, form?: FormInstance) => void {
  const { message } = App.useApp();
  const text = useErrorText();
  return useCallback(
    (error: unknown, form?: FormInstance) => {
      applyProblemToForm(form, error);
      void message.error(text(error));
    },
    [message, text],
  );
}
