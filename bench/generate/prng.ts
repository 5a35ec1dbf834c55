/**
 * A small seeded PRNG of our own (no Math.random): the generator must produce byte-identical bundles for the
 * same seed on any machine, so every random choice goes through one `Rng` created from the seed.
 *
 * xmur3 turns the seed string into 32-bit state; sfc32 (Chris Doty-Humphrey's Small Fast Counting generator,
 * public domain, as popularised by PractRand) produces the stream. Both are plain 32-bit integer arithmetic,
 * so results do not depend on the JavaScript engine.
 */

function xmur3(str: string): () => number {
  let h = 1779033703 ^ str.length;
  for (let i = 0; i < str.length; i++) {
    h = Math.imul(h ^ str.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string | number) {
    const next = xmur3(String(seed));
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    // Warm up: the first outputs of sfc32 are correlated with the seed.
    for (let i = 0; i < 15; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    // INVARIANT: callers pass an ordered, non-empty range.
    if (max < min) throw new Error(`empty range [${min}, ${max}]`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    // INVARIANT: never asked to pick from nothing.
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** `count` distinct items (all of them when fewer exist), in the order drawn. */
  sample<T>(items: readonly T[], count: number): T[] {
    const n = Math.min(count, items.length);
    const chosen = new Set<number>();
    const out: T[] = [];
    while (out.length < n) {
      const i = Math.floor(this.next() * items.length);
      if (chosen.has(i)) continue;
      chosen.add(i);
      out.push(items[i] as T);
    }
    return out;
  }

  /** Pick by weight: `[[value, weight], …]`. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  /**
   * A rank in [0, n) drawn from a Zipf-like distribution (P(rank k) ∝ 1/(k+1)^s), so a few ranks are
   * very popular: group sizes in real accounts follow such a power law (a handful of all-staff groups,
   * a long tail of small team groups). Uses a precomputed CDF per (n, s).
   */
  zipf(n: number, s = 1): number {
    const cdf = zipfCdf(n, s);
    const r = this.next();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** `length` characters from `alphabet`. */
  chars(alphabet: string, length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
}

const cdfCache = new Map<string, Float64Array>();

function zipfCdf(n: number, s: number): Float64Array {
  const key = `${n}:${s}`;
  let cdf = cdfCache.get(key);
  if (cdf) return cdf;
  cdf = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) total += 1 / Math.pow(k + 1, s);
  let acc = 0;
  for (let k = 0; k < n; k++) {
    acc += 1 / Math.pow(k + 1, s) / total;
    cdf[k] = acc;
  }
  cdf[n - 1] = 1;
  cdfCache.set(key, cdf);
  return cdf;
}
