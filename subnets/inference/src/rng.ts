// A small seedable RNG (sfc32) for task generation, sampling and simulated miners. Streams are
// derived with SHA-256 from a secret seed and labels (step, uid), so knowing one stream (a
// miner sees its own texts) reveals nothing about another stream or a later step.
import { createHash } from 'node:crypto';

/** A deterministic source of random numbers. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n); n must be a positive safe integer. */
  int(n: number): number;
  /** An integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number;
  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** `k` distinct indices out of [0, n), in random order. */
  sample(n: number, k: number): number[];
  /** True with probability p. */
  chance(p: number): boolean;
}

/** A seed: text or bytes (any length). */
export type RngSeed = string | Uint8Array;

function seedBytes(seed: RngSeed, labels: readonly (string | number | bigint)[]): Uint8Array {
  if (typeof seed !== 'string' && !(seed instanceof Uint8Array)) {
    throw new TypeError('rng seed must be a string or a Uint8Array');
  }
  const h = createHash('sha256');
  h.update(typeof seed === 'string' ? Buffer.from(seed, 'utf8') : seed);
  for (const l of labels) {
    if (typeof l !== 'string' && typeof l !== 'number' && typeof l !== 'bigint') {
      throw new TypeError('rng labels must be strings, numbers or bigints');
    }
    // Length-prefixed so that ('ab','c') and ('a','bc') differ.
    const b = Buffer.from(`${typeof l}:${String(l)}`, 'utf8');
    h.update(Buffer.from([b.length >>> 8, b.length & 0xff]));
    h.update(b);
  }
  return new Uint8Array(h.digest());
}

/**
 * An RNG seeded from `seed` and optional labels (e.g. step and uid): the same inputs always give
 * the same stream; different labels give independent streams.
 * @example
 * import { createRng } from '@taoscript/subnet-inference';
 * const rng = createRng('validator-secret', 7, 3);
 * rng.int(10); // same value every run
 */
export function createRng(seed: RngSeed, ...labels: (string | number | bigint)[]): Rng {
  const b = seedBytes(seed, labels);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let a = view.getUint32(0, true);
  let bb = view.getUint32(4, true);
  let c = view.getUint32(8, true);
  let d = view.getUint32(12, true) | 1;
  const u32 = (): number => {
    // sfc32
    const t = (((a + bb) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = bb ^ (bb >>> 9);
    bb = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  const next = (): number => (u32() * 2 ** 21 + (u32() >>> 11)) / 2 ** 53;
  const int = (n: number): number => {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError('rng.int: n must be ≥ 1');
    return Math.floor(next() * n);
  };
  return {
    next,
    int,
    range(lo, hi) {
      if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) {
        throw new RangeError('rng.range: expected integers lo ≤ hi');
      }
      return lo + int(hi - lo + 1);
    },
    pick(items) {
      if (items.length === 0) throw new RangeError('rng.pick: empty array');
      return items[int(items.length)] as (typeof items)[number];
    },
    sample(n, k) {
      if (!Number.isSafeInteger(n) || !Number.isSafeInteger(k) || k < 0 || n < 0 || k > n) {
        throw new RangeError('rng.sample: expected 0 ≤ k ≤ n');
      }
      // Partial Fisher–Yates over [0, n).
      const pool = Array.from({ length: n }, (_, i) => i);
      for (let i = 0; i < k; i++) {
        const j = i + int(n - i);
        const tmp = pool[i]!;
        pool[i] = pool[j]!;
        pool[j] = tmp;
      }
      return pool.slice(0, k);
    },
    chance(p) {
      return next() < p;
    },
  };
}
