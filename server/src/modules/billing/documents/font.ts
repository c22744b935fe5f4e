import fs from 'node:fs';
import { AppError } from '../../../core/http/errors.js';

/**
 * The CJK font every billing PDF embeds (subset by pdfkit, so a receipt stays ≈ 30–60 kB).
 * Decision 0021: no font is bundled (a full CJK font is 8–20 MB); the server uses the configured
 * one (`COURTYARD_PDF_FONT=/path/font.ttf` or `/path/fonts.ttc#PostScriptName`) or the first of
 * the usual system fonts it finds (Debian's fonts-noto-cjk first). Without one a PDF request is
 * refused with `billing.pdf_font_missing` instead of printing empty boxes.
 */
export interface PdfFont {
  path: string;
  /** PostScript name of the face inside a collection (.ttc); undefined for a single font file. */
  family: string | undefined;
}

const SYSTEM_FONTS: PdfFont[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/truetype/arphic/uming.ttc', family: 'AR PL UMing CN' },
];

/** `path` or `path#PostScriptName`. */
export function parseFontSetting(value: string): PdfFont {
  const hash = value.lastIndexOf('#');
  return hash > 0 ? { path: value.slice(0, hash), family: value.slice(hash + 1) } : { path: value, family: undefined };
}

/**
 * Finds the font: `configured` (option or environment) wins and must exist; otherwise the system
 * candidates in order. `null` as `configured` means "look at the system only".
 */
export function locateFont(configured: string | null | undefined, candidates: PdfFont[] = SYSTEM_FONTS): PdfFont {
  if (configured) {
    const font = parseFontSetting(configured);
    if (!fs.existsSync(font.path)) throw new AppError('billing.pdf_font_missing');
    return font;
  }
  const found = candidates.find((f) => fs.existsSync(f.path));
  if (!found) throw new AppError('billing.pdf_font_missing');
  return found;
}

const cache = new Map<string, Buffer>();
/** The font file's bytes, read once per process (pdfkit parses only the face it needs). */
export function fontBytes(font: PdfFont): Buffer {
  let bytes = cache.get(font.path);
  if (!bytes) {
    bytes = fs.readFileSync(font.path);
    cache.set(font.path, bytes);
  }
  return bytes;
}
