/** Python `ALLOWED_DELTA`: how old a first nonce from an endpoint may be, besides its timeout. */
export const ALLOWED_NONCE_DELTA_NS = 4_000_000_000n;
const NS_PER_S = 1_000_000_000;

const fixed2 = (x: number): string => x.toFixed(2);

/**
 * The last nonce seen per `hotkey:uuid` endpoint. A first nonce must be newer than
 * `now − 4 s − timeout`; later ones must rise strictly. Entries older than the widest window
 * are dropped (the window check then rejects anything at or below them anyway).
 */
export class NonceStore {
  readonly #last = new Map<string, bigint>();
  #inserts = 0;

  /** `maxTimeoutSeconds` caps the client-sent timeout used to widen the window. */
  constructor(readonly maxTimeoutSeconds: number) {}

  /** Number of endpoints remembered. */
  get size(): number {
    return this.#last.size;
  }

  #windowStart(nowNs: bigint, timeoutSeconds: number): bigint {
    const t = Math.min(Math.max(timeoutSeconds, 0), this.maxTimeoutSeconds);
    return nowNs - ALLOWED_NONCE_DELTA_NS - BigInt(Math.round(t * NS_PER_S));
  }

  /** The reason `nonce` is refused (Python's messages), or undefined when it is acceptable. */
  check(key: string, nonce: bigint, timeoutSeconds: number, nowNs: bigint): string | undefined {
    const stored = this.#last.get(key);
    if (stored !== undefined) {
      return nonce <= stored ? 'Nonce is too old, a newer one was last processed' : undefined;
    }
    if (nonce <= this.#windowStart(nowNs, timeoutSeconds)) {
      const t = Math.min(Math.max(timeoutSeconds, 0), this.maxTimeoutSeconds);
      const diff = Number(nowNs - nonce) / NS_PER_S;
      const allowed = (Number(ALLOWED_NONCE_DELTA_NS) + t * NS_PER_S) / NS_PER_S;
      return `Nonce is too old: acceptable delta is ${fixed2(allowed)} seconds but request was ${fixed2(diff)} seconds old`;
    }
    return undefined;
  }

  /** Records an accepted nonce. */
  commit(key: string, nonce: bigint, nowNs: bigint): void {
    this.#last.set(key, nonce);
    if (++this.#inserts % 4096 === 0) this.prune(nowNs);
  }

  /** Drops endpoints whose last nonce is older than the widest acceptance window. */
  prune(nowNs: bigint): void {
    const oldest = this.#windowStart(nowNs, this.maxTimeoutSeconds);
    for (const [k, n] of this.#last) if (n <= oldest) this.#last.delete(k);
  }
}
