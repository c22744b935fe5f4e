import { describe, expect, it } from 'vitest';
import { chineseName, idCheckCharacter, layout, mobile, plate, prng, residentId } from '../../src/seed/registry-data.js';

describe('demo registry data', () => {
  it('computes the GB 11643 check character of a published example ID number', () => {
    // 11010519491231002X is the standard's worked example.
    expect(idCheckCharacter('11010519491231002')).toBe('X');
  });

  it('produces unique resident ID numbers with valid check characters', () => {
    const rand = prng(1);
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const id = residentId(rand, i, i % 2 ? 'male' : 'female');
      expect(id).toMatch(/^\d{17}[\dX]$/);
      expect(id.slice(-1)).toBe(idCheckCharacter(id.slice(0, 17)));
      seen.add(id);
    }
    expect(seen.size).toBe(20_000);
  });

  it('is deterministic for a seed and gives mainland mobile numbers and plates', () => {
    const a = prng(7);
    const b = prng(7);
    expect(chineseName(a, 'male')).toBe(chineseName(b, 'male'));
    expect(mobile(prng(3), 42)).toMatch(/^1[3-9]\d{9}$/);
    const plates = new Set(Array.from({ length: 300_000 }, (_, i) => plate(prng(i), i * 9).slice(0, 1) + plate(prng(i), i * 9).slice(2)));
    expect(plates.size).toBe(300_000);
    expect(plate(prng(1), 12)).toMatch(/^浙[A-D]\d{4}[A-HJ-NP-Z]$/);
  });

  it('numbers rooms floor-then-door and codes them building-unit-number', () => {
    const rooms = [...layout({ buildings: 2, unitsPerBuilding: 2, floors: 3, roomsPerFloor: 2, areasDm2: [8950, 12000], use: 'residence' })];
    expect(rooms).toHaveLength(24);
    expect(rooms[3]).toMatchObject({ code: '1-1-202', floor: 2, buildingAreaDm2: 12000 });
    expect(new Set(rooms.map((r) => r.code)).size).toBe(24);
  });
});
