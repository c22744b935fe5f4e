import type { FormInstance } from 'antd';
import { isApiError, problemFieldName } from '../../ui/api';

/** Decimal text of an API field, blank → undefined (omitted from the body). */
export const text = (v: string | undefined | null): string | undefined => {
  const s = (v ?? '').trim();
  return s === '' ? undefined : s;
};

/**
 * Puts a problem's field errors on the form's fields. A schema failure (`request.invalid`) comes
 * with a message per field in the request's language; a business refusal (e.g.
 * `billing.fee_item_code_taken`) names the field but explains itself in `detail`, so that text
 * goes on the field. Returns true when a field of the form took an error.
 */
export function showProblemOnForm(form: FormInstance, error: unknown): boolean {
  if (!isApiError(error) || error.fields.length === 0) return false;
  const known = new Set(Object.keys(form.getFieldsValue(true) as Record<string, unknown>));
  const fields = error.fields
    .map((f) => ({ name: problemFieldName(f.field), errors: [error.code === 'request.invalid' ? f.message : error.detail] }))
    .filter((f) => f.name.length > 0 && known.has(String(f.name[0])));
  form.setFields(fields);
  return fields.length > 0;
}
