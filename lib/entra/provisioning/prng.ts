/** A seeded PRNG (mulberry32) so that one seed always yields the same names, ids and choices. */
export type Prng = { next(): number; int(max: number): number; guid(): string; pick<T>(items: readonly T[]): T };

export function seedToNumber(seed: string | number): number {
  if (typeof seed === "number" && Number.isInteger(seed)) return seed >>> 0;
  let hash = 2166136261;
  for (const char of String(seed)) hash = Math.imul(hash ^ char.codePointAt(0)!, 16777619);
  return hash >>> 0;
}

export function createPrng(seed: string | number): Prng {
  let state = seedToNumber(seed);
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const hex = (n: number) => Array.from({ length: n }, () => int(16).toString(16)).join("");
  return {
    next,
    int,
    // Shaped like an Entra object id (RFC 4122 version 4 layout).
    guid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[int(4)]}${hex(3)}-${hex(12)}`,
    pick: (items) => items[int(items.length)]!,
  };
}
