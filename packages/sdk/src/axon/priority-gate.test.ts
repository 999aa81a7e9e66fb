import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GateRefusedError, PriorityGate } from './priority-gate.js';

const refused = (reason: string) => (e: unknown) =>
  e instanceof GateRefusedError && e.reason === reason;

describe('PriorityGate', () => {
  it('admits up to maxConcurrent at once, then queues by priority (FIFO among equals)', async () => {
    const gate = new PriorityGate(1, 10);
    const first = await gate.acquire(0, 10_000);
    const order: string[] = [];
    const wait = (name: string, p: number) =>
      gate.acquire(p, 10_000).then((release) => {
        order.push(name);
        release();
      });
    const all = [
      wait('low', 1),
      wait('high', 9),
      wait('mid-a', 5),
      wait('mid-b', 5),
      wait('nan', Number.NaN),
    ];
    assert.equal(gate.queued, 5);
    assert.equal(gate.running, 1);
    first();
    await Promise.all(all);
    assert.deepEqual(order, ['high', 'mid-a', 'mid-b', 'low', 'nan']);
    assert.equal(gate.running, 0);
  });
  it('a full queue refuses an equal or lower newcomer and evicts for a higher one', async () => {
    const gate = new PriorityGate(1, 2);
    const hold = await gate.acquire(0, 10_000);
    const a = gate.acquire(5, 10_000);
    const b = gate.acquire(3, 10_000);
    await assert.rejects(gate.acquire(3, 10_000), refused('full'));
    const c = gate.acquire(4, 10_000);
    await assert.rejects(b, refused('evicted'));
    hold();
    (await a)();
    (await c)();
    assert.equal(gate.queued, 0);
  });
  it('a waiter that outlives its wait is refused with timeout', async () => {
    const gate = new PriorityGate(1, 4);
    const hold = await gate.acquire(0, 10_000);
    await assert.rejects(gate.acquire(1, 5), refused('timeout'));
    assert.equal(gate.queued, 0);
    hold();
  });
  it('close() refuses waiters and newcomers; release is idempotent', async () => {
    const gate = new PriorityGate(1, 4);
    const hold = await gate.acquire(0, 10_000);
    const waiting = gate.acquire(1, 10_000);
    gate.close();
    await assert.rejects(waiting, refused('closed'));
    await assert.rejects(gate.acquire(1, 10_000), refused('closed'));
    hold();
    hold();
    assert.equal(gate.running, 0);
  });
  it('maxQueue 0 refuses whenever all handlers are busy', async () => {
    const gate = new PriorityGate(2, 0);
    await gate.acquire(0, 1);
    await gate.acquire(0, 1);
    await assert.rejects(gate.acquire(100, 1000), refused('full'));
  });
  it('rejects bad sizes', () => {
    assert.throws(() => new PriorityGate(0, 1), RangeError);
    assert.throws(() => new PriorityGate(1.5, 1), RangeError);
    assert.throws(() => new PriorityGate(1, -1), RangeError);
  });
});
