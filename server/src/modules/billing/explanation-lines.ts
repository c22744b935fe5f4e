import type { Locale } from '@courtyard/contracts';
import type { Explanation } from './engine/index.js';
import { renderExplanation } from './engine/render.js';

/**
 * The engine's rendering of a stored explanation in the reader's language, so that the console
 * and the portal show exactly the engine's wording (the web may not import server code).
 * Bills without an engine explanation (null, older shapes) get none: the UI falls back to the amounts.
 */
export function explanationLines(json: unknown, locale: Locale): string[] | undefined {
  if (!json || typeof json !== 'object' || !('steps' in json) || !('inputs' in json)) return undefined;
  try {
    return renderExplanation(json as Explanation, locale === 'en-US' ? 'en-US' : 'zh-CN');
  } catch {
    return undefined;
  }
}
