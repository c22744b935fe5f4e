/**
 * Areas (建筑面积, 套内面积, 车位面积) are exact: the API speaks decimal strings of square metres
 * with at most two decimals ("89.5", "89.50"), the database integers of square decimetres
 * (1 dm² = 0.01 m²). No float ever touches an area, so sums and apportionment by area are exact.
 */
const AREA = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

export function parseArea(text: string): number | undefined {
  const m = AREA.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** For values already validated by the `Area` schema. */
export function areaDm2(text: string): number {
  const dm2 = parseArea(text);
  if (dm2 === undefined) throw new Error(`not an area: ${text}`);
  return dm2;
}

export function areaText(dm2: number): string {
  return `${Math.trunc(dm2 / 100)}.${String(dm2 % 100).padStart(2, '0')}`;
}
