import { ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { fieldError, type FieldError } from './errors.js';

/**
 * TypeBox validation errors (used where a service validates values itself, e.g. settings, uploads)
 * as problem fields in both languages. English keeps TypeBox's own wording.
 */
function zh(error: ValueError): string {
  const s = error.schema as Record<string, unknown>;
  switch (error.type) {
    case ValueErrorType.Integer:
      return '应为整数';
    case ValueErrorType.Number:
      return '应为数字';
    case ValueErrorType.String:
      return '应为文本';
    case ValueErrorType.Boolean:
      return '应为是或否';
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `不能小于 ${String(s.minimum)}`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `不能大于 ${String(s.maximum)}`;
    case ValueErrorType.StringMinLength:
      return s.minLength === 1 ? '不能为空' : `至少 ${String(s.minLength)} 个字符`;
    case ValueErrorType.StringMaxLength:
      return `不能超过 ${String(s.maxLength)} 个字符`;
    case ValueErrorType.StringPattern:
    case ValueErrorType.StringFormat:
      return '格式不正确';
    case ValueErrorType.Union:
    case ValueErrorType.Literal:
      return '不是允许的取值';
    case ValueErrorType.ObjectRequiredProperty:
      return '必须填写';
    case ValueErrorType.ObjectAdditionalProperties:
      return '不允许的字段';
    default:
      return '取值不正确';
  }
}

export function schemaErrorFields(errors: Iterable<ValueError>, prefix: string, max = 20): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    if (out.some((f) => f.field === `${prefix}${error.path}`)) continue; // one message per field
    out.push(fieldError(`${prefix}${error.path}`, error.message, zh(error)));
    if (out.length >= max) break;
  }
  return out;
}
