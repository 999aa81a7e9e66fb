/** Block sealing: on an interval, instantly on each admitted transaction, or manually. */
import type { AuthoredBlock, Chain } from './chain.js';
import type { TxPool } from './pool.js';

export type SealingMode = { type: 'interval'; ms: number } | { type: 'instant' } | { type: 'manual' };

/** Parses `--sealing`: a number of milliseconds, `instant` or `manual`. */
export function parseSealing(value: string): SealingMode {
  if (value === 'instant' || value === 'manual') return { type: value };
  if (!/^[0-9]{1,9}$/.test(value) || Number(value) < 1)
    throw new RangeError(`--sealing takes a block interval in ms (≥ 1), "instant" or "manual"; got "${value}"`);
  return { type: 'interval', ms: Number(value) };
}

export class Sealer {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private pendingInstant = false;
  private readonly onChanged = () => this.maybeSealInstant();

  constructor(
    private readonly chain: Chain,
    private readonly pool: TxPool,
    readonly mode: SealingMode,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    if (this.mode.type === 'interval') this.schedule(this.mode.ms);
    if (this.mode.type === 'instant') this.pool.on('changed', this.onChanged);
  }

  /** Authors a block from the pool's ready transactions. */
  createBlock(createEmpty = true): Promise<AuthoredBlock> {
    if (!createEmpty && this.pool.size.ready === 0)
      return Promise.reject(new Error('no transactions ready and createEmpty is false'));
    return this.chain.authorBlock((builder) => this.pool.fill(builder));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    const started = Date.now();
    this.timer = setTimeout(async () => {
      try {
        await this.createBlock(true);
      } catch (err) {
        this.onError(err);
      }
      this.schedule(Math.max(0, ms - (Date.now() - started - ms)));
    }, ms);
  }

  private maybeSealInstant(): void {
    if (this.stopped || this.pendingInstant || this.pool.size.ready === 0) return;
    this.pendingInstant = true;
    setImmediate(async () => {
      try {
        if (this.pool.size.ready > 0) await this.createBlock(false);
      } catch (err) {
        this.onError(err);
      } finally {
        this.pendingInstant = false;
        if (this.pool.size.ready > 0) this.maybeSealInstant();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.pool.off('changed', this.onChanged);
    await this.chain.idle();
  }
}
