import { invalid } from '../../core/http/errors.js';
import { EngineError, type EngineErrorCode } from './engine/errors.js';

// The engine's messages are English and name its own parameters; English callers keep them, the
// Chinese says what to fix. Only parsers and tier validation reach here (see parseField's callers),
// so `invalid_rule` can speak of tiers.
const ZH: Record<EngineErrorCode, string> = {
  'engine.invalid_decimal': '数字格式不正确，或小数位数、取值超出范围',
  'engine.invalid_integer': '应为整数',
  'engine.invalid_date': '日期不正确，格式应为 YYYY-MM-DD',
  'engine.invalid_period': '结束日期不能早于开始日期',
  'engine.invalid_rule': '阶梯价不正确：各档上限须递增，只有最后一档不设上限',
  'engine.no_price': '没有有效的价格',
  'engine.duplicate_key': '有重复的项',
  'engine.overflow': '数值过大',
};

/** Runs a billing-engine parser on an API value; what the engine refuses is a 400 on `field`. */
export function parseField<T>(field: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof EngineError) throw invalid(field, err.message, ZH[err.code]);
    throw err;
  }
}
