/** Per-key token bucket: `requests` per `perSeconds`, refilled continuously. */
export interface RateLimit {
  requests: number;
  perSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const MAX_KEYS = 100_000;

/** Token buckets keyed by hotkey; `take()` gives the milliseconds to wait when over the limit. */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #rate: number;

  constructor(
    readonly limit: RateLimit,
    readonly now: () => number = () => performance.now(),
  ) {
    const { requests, perSeconds } = limit;
    if (!Number.isFinite(requests) || requests < 1) {
      throw new RangeError('rateLimit.requests must be ≥ 1');
    }
    if (!Number.isFinite(perSeconds) || perSeconds <= 0) {
      throw new RangeError('rateLimit.perSeconds must be > 0');
    }
    this.#rate = requests / (perSeconds * 1000);
  }

  /** Takes one token for `key`; returns the milliseconds to wait when none is left, else 0. */
  take(key: string): number {
    const now = this.now();
    const cap = this.limit.requests;
    let b = this.#buckets.get(key);
    if (b === undefined) {
      if (this.#buckets.size >= MAX_KEYS) this.#prune(now);
      b = { tokens: cap, at: now };
      this.#buckets.set(key, b);
    } else {
      b.tokens = Math.min(cap, b.tokens + (now - b.at) * this.#rate);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / this.#rate);
  }

  #prune(now: number): void {
    for (const [k, b] of this.#buckets) {
      if (b.tokens + (now - b.at) * this.#rate >= this.limit.requests) this.#buckets.delete(k);
    }
  }
}
