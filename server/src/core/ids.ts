import { v7 } from 'uuid';
import type { Clock } from './clock.js';

/** Time-ordered ids (UUIDv7): see docs/decisions/0003-ids.md for why not UUIDv4 or integers. */
export type IdGenerator = () => string;

export function createIdGenerator(clock: Clock): IdGenerator {
  return () => v7({ msecs: clock.now().getTime() });
}
