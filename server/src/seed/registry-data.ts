/**
 * Deterministic, realistic registry data for the demo seed and the large benchmark seed: Chinese
 * names, mainland mobile numbers, resident ID numbers with a valid GB 11643 check character,
 * Zhejiang plates, and room layouts. The same seed always yields the same data, so the demo is the
 * same on every install and benchmark runs are comparable.
 */

/** mulberry32: small, fast, good enough for fixtures (not for anything secret). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

// The most common surnames, roughly in order of frequency (so 王/李/张 dominate as in life).
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
const GIVEN_MALE = '伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国志文博晨昊天瑞睿'.split('');
const GIVEN_FEMALE = '芳娜敏静丽艳娟霞秀玲桂英华燕红梅琳雪婷慧颖倩晶洁琪蕾薇欣悦瑶怡佳雅萱涵诗梦雨'.split('');

export function chineseName(rand: Rand, gender: 'male' | 'female'): string {
  // Surnames are drawn with a skew towards the front of the list.
  const surname = SURNAMES[Math.floor(rand() ** 2 * SURNAMES.length)]!;
  const pool = gender === 'male' ? GIVEN_MALE : GIVEN_FEMALE;
  return rand() < 0.7 ? surname + pick(rand, pool) + pick(rand, pool) : surname + pick(rand, pool);
}

const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '157', '158', '159', '166', '177', '180', '181', '186', '187', '188', '189', '191', '198', '199'];

/** A mobile number made unique by `serial` (0 … 99,999,999 per prefix). */
export function mobile(rand: Rand, serial: number): string {
  return pick(rand, MOBILE_PREFIXES) + String(serial % 100_000_000).padStart(8, '0');
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** GB 11643-1999 check character of the first 17 digits of a resident ID number. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

// Hangzhou districts (上城 拱墅 西湖 滨江 萧山 余杭) and a few other provinces' capitals.
const REGIONS = ['330102', '330105', '330106', '330108', '330109', '330110', '310101', '320102', '340102', '360102', '420102', '510104'];

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * An 18-digit resident ID number with a valid check character, unique for every `serial` below
 * 2,190,000: the serial picks the sequence (positions 15–17, odd for men), the region and the
 * birthday (month and day, never 29 February); only the birth year is random.
 */
export function residentId(rand: Rand, serial: number, gender: 'male' | 'female'): string {
  const seq = (serial % 500) * 2 + (gender === 'male' ? 1 : 0);
  const rest = Math.floor(serial / 500);
  const region = REGIONS[rest % REGIONS.length]!;
  let dayOfYear = Math.floor(rest / REGIONS.length) % 365;
  let month = 0;
  while (dayOfYear >= MONTH_DAYS[month]!) dayOfYear -= MONTH_DAYS[month++]!;
  const year = 1950 + Math.floor(rand() * 55);
  const first17 = `${region}${year}${String(month + 1).padStart(2, '0')}${String(dayOfYear + 1).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'; // no I or O on Chinese plates
const PROVINCES = '浙沪苏皖闽赣鲁豫鄂湘粤川';

/**
 * A plate unique for every `serial` below 2,880,000: the serial gives the province and the five
 * characters after the city letter (four digits and a letter); the city letter is random.
 * Serials below 240,000 are Zhejiang plates (浙A …, mostly Hangzhou).
 */
export function plate(rand: Rand, serial: number): string {
  const city = pick(rand, ['A', 'A', 'A', 'B', 'C', 'D']);
  let n = serial % 240_000;
  let tail = '';
  for (let i = 0; i < 5; i++) {
    const alphabet = i === 0 ? PLATE_LETTERS : '0123456789';
    tail = alphabet[n % alphabet.length]! + tail;
    n = Math.floor(n / alphabet.length);
  }
  return `${PROVINCES[Math.floor(serial / 240_000) % PROVINCES.length]!}${city}${tail}`;
}

export interface LayoutSpec {
  buildings: number;
  unitsPerBuilding: number;
  floors: number;
  roomsPerFloor: number;
  /** Building area of each position on a floor, in dm² (e.g. 8950 = 89.50 m²). */
  areasDm2: number[];
  use: 'residence' | 'office' | 'shop';
}

export interface LayoutRoom {
  buildingCode: string;
  unitCode: string;
  number: string;
  code: string;
  floor: number;
  buildingAreaDm2: number;
  innerAreaDm2: number;
  use: LayoutSpec['use'];
}

/** Rooms numbered as in China: floor then position, 1502 = 15th floor, 2nd door. */
export function* layout(spec: LayoutSpec): Generator<LayoutRoom> {
  for (let b = 1; b <= spec.buildings; b++) {
    for (let u = 1; u <= spec.unitsPerBuilding; u++) {
      for (let f = 1; f <= spec.floors; f++) {
        for (let p = 1; p <= spec.roomsPerFloor; p++) {
          const number = `${f}${String(p).padStart(2, '0')}`;
          const area = spec.areasDm2[(p - 1) % spec.areasDm2.length]!;
          yield {
            buildingCode: String(b),
            unitCode: String(u),
            number,
            code: `${b}-${u}-${number}`,
            floor: f,
            buildingAreaDm2: area,
            // 套内面积 is typically 75–80 % of 建筑面积 (the rest is the shared-area share, 公摊).
            innerAreaDm2: Math.round(area * 0.78),
            use: spec.use,
          };
        }
      }
    }
  }
}
