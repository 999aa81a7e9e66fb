/** Block sealing: on an interval, instantly on each admitted transaction, or manually. */
import type { AuthoredBlock, Chain } from './chain.js';
import type { TxPool } from './pool.js';

/** When blocks are authored: every `ms`, as soon as a transaction is ready, or only on request. */
export type SealingMode =
  | { type: 'interval'; ms: number }
  | { type: 'instant' }
  | { type: 'manual' };

/** The longest interval accepted (about 11.5 days; 9 digits). */
export const MAX_SEALING_MS = 999_999_999;

/** Parses `--sealing`: a number of milliseconds, `instant` or `manual`. */
export function parseSealing(value: string): SealingMode {
  if (typeof value !== 'string')
    throw new TypeError(`--sealing takes a string, got ${value === null ? 'null' : typeof value}`);
  if (value === 'instant' || value === 'manual') return { type: value };
  if (!/^[0-9]{1,9}$/.test(value) || Number(value) < 1)
    throw new RangeError(
      `--sealing takes a block interval in ms (≥ 1), "instant" or "manual"; got "${value}"`,
    );
  return { type: 'interval', ms: Number(value) };
}

/** Raised by {@link Sealer.createBlock} when asked for a non-empty block and nothing is ready. */
export class NothingToSealError extends Error {
  override name = 'NothingToSealError';
  constructor() {
    super('no transactions ready and createEmpty is false');
  }
}

/**
 * Authors blocks from the pool in one of the {@link SealingMode}s. Interval and instant modes
 * start with {@link Sealer.start}; {@link Sealer.createBlock} works in every mode.
 *
 * @example
 * const sealer = new Sealer(chain, pool, { type: 'instant' }, (err) => log.error({ err }));
 * sealer.start();
 * await sealer.stop();
 */
export class Sealer {
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;
  private pendingInstant = false;
  private readonly onChanged = () => this.maybeSealInstant();

  constructor(
    private readonly chain: Chain,
    private readonly pool: TxPool,
    readonly mode: SealingMode,
    private readonly onError: (err: unknown) => void,
  ) {
    if (
      mode.type === 'interval' &&
      (!Number.isInteger(mode.ms) || mode.ms < 1 || mode.ms > MAX_SEALING_MS)
    )
      throw new RangeError(
        `the sealing interval must be a whole number of ms in [1, ${MAX_SEALING_MS}], got ${mode.ms}`,
      );
  }

  /** Starts authoring on the interval or on ready transactions; idempotent; no-op when manual. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    if (this.mode.type === 'interval') this.schedule(this.mode.ms);
    if (this.mode.type === 'instant') {
      this.pool.on('changed', this.onChanged);
      this.maybeSealInstant();
    }
  }

  /**
   * Authors a block from the pool's ready transactions. With `createEmpty` false it rejects
   * with {@link NothingToSealError}, and commits nothing, when no transaction makes it in.
   */
  createBlock(createEmpty = true): Promise<AuthoredBlock> {
    if (!createEmpty && this.pool.size.ready === 0) return Promise.reject(new NothingToSealError());
    return this.chain.authorBlock((builder) => {
      const included = this.pool.fill(builder);
      // Blocks are built one after another: the pool may have emptied while this one waited.
      if (!createEmpty && included.length === 0) throw new NothingToSealError();
      return included;
    });
  }

  /** Seals a block in `delay` ms, then keeps one block per interval. */
  private schedule(delay: number): void {
    if (this.stopped || this.mode.type !== 'interval') return;
    const interval = this.mode.ms;
    const due = Date.now() + delay;
    this.timer = setTimeout(async () => {
      this.timer = undefined;
      if (this.stopped) return;
      try {
        await this.createBlock(true);
      } catch (err) {
        this.onError(err);
      }
      // Keep the cadence: the next block is due one interval after this one was due.
      this.schedule(Math.max(0, due + interval - Date.now()));
    }, delay);
  }

  private maybeSealInstant(): void {
    if (this.stopped || this.pendingInstant || this.pool.size.ready === 0) return;
    this.pendingInstant = true;
    setImmediate(async () => {
      let progressed = false;
      try {
        if (!this.stopped && this.pool.size.ready > 0) {
          await this.createBlock(false);
          progressed = true;
        }
      } catch (err) {
        if (!(err instanceof NothingToSealError)) this.onError(err);
      } finally {
        this.pendingInstant = false;
      }
      // More became ready while building; after a failure wait for the next change instead of
      // retrying in a tight loop.
      if (progressed) this.maybeSealInstant();
    });
  }

  /** Stops authoring and waits for a block being built; idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pool.off('changed', this.onChanged);
    await this.chain.idle();
  }
}
