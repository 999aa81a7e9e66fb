/** Why {@link PriorityGate.acquire} refused a request. */
export type GateRefusal = 'full' | 'evicted' | 'timeout' | 'closed';

/** Thrown by {@link PriorityGate.acquire}. */
export class GateRefusedError extends Error {
  override name = 'GateRefusedError';
  constructor(readonly reason: GateRefusal) {
    super(`priority gate refused the request: ${reason}`);
  }
}

interface Waiter {
  priority: number;
  seq: number;
  resolve: (release: () => void) => void;
  reject: (err: GateRefusedError) => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * At most `maxConcurrent` holders at once; others wait in a queue of at most `maxQueue`,
 * served highest priority first (FIFO among equals). A newcomer to a full queue evicts the
 * lowest-priority waiter if it outranks it, otherwise it is refused.
 */
export class PriorityGate {
  #running = 0;
  #seq = 0;
  #closed = false;
  // Sorted: highest priority first, then arrival order.
  readonly #queue: Waiter[] = [];

  constructor(
    readonly maxConcurrent: number,
    readonly maxQueue: number,
  ) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
      throw new RangeError('maxConcurrent must be an integer ≥ 1');
    }
    if (!Number.isInteger(maxQueue) || maxQueue < 0) {
      throw new RangeError('maxQueue must be an integer ≥ 0');
    }
  }

  /** Holders now running. */
  get running(): number {
    return this.#running;
  }

  /** Waiters now queued. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Admits at once when a slot is free and nobody waits (returns the release function);
   * otherwise returns undefined and admits nobody.
   */
  tryAcquire(): (() => void) | undefined {
    if (this.#closed || this.#running >= this.maxConcurrent || this.#queue.length > 0) {
      return undefined;
    }
    this.#running++;
    return this.#releaser();
  }

  /**
   * Resolves with a release function once admitted. Rejects with {@link GateRefusedError} when the
   * queue is full, the waiter is evicted, `waitMs` passes first, or the gate closes.
   */
  acquire(priority: number, waitMs: number): Promise<() => void> {
    if (this.#closed) return Promise.reject(new GateRefusedError('closed'));
    if (this.#running < this.maxConcurrent && this.#queue.length === 0) {
      this.#running++;
      return Promise.resolve(this.#releaser());
    }
    const p = Number.isNaN(priority) ? Number.NEGATIVE_INFINITY : priority;
    if (this.#queue.length >= this.maxQueue) {
      const lowest = this.#queue[this.#queue.length - 1];
      if (lowest === undefined || lowest.priority >= p) {
        return Promise.reject(new GateRefusedError('full'));
      }
      this.#queue.pop();
      this.#drop(lowest, 'evicted');
    }
    return new Promise((resolve, reject) => {
      const w: Waiter = { priority: p, seq: this.#seq++, resolve, reject, timer: undefined };
      let lo = 0;
      let hi = this.#queue.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.#queue[mid]!.priority >= p) lo = mid + 1;
        else hi = mid;
      }
      this.#queue.splice(lo, 0, w);
      w.timer = setTimeout(
        () => {
          const at = this.#queue.indexOf(w);
          if (at >= 0) this.#queue.splice(at, 1);
          this.#drop(w, 'timeout');
        },
        Math.max(0, waitMs),
      );
    });
  }

  /** Refuses every waiter and all future requests. */
  close(): void {
    this.#closed = true;
    for (const w of this.#queue.splice(0)) this.#drop(w, 'closed');
  }

  #drop(w: Waiter, reason: GateRefusal): void {
    clearTimeout(w.timer);
    w.reject(new GateRefusedError(reason));
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running--;
      while (this.#running < this.maxConcurrent && this.#queue.length > 0) {
        const next = this.#queue.shift()!;
        clearTimeout(next.timer);
        this.#running++;
        next.resolve(this.#releaser());
      }
    };
  }
}
