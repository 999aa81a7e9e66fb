import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('allows `requests` per window per key and refills continuously', () => {
    let now = 0;
    const limiter = new RateLimiter({ requests: 2, perSeconds: 10 }, () => now);
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('a'), 5000);
    assert.equal(limiter.take('b'), 0);
    now = 4999;
    assert.ok(limiter.take('a') > 0);
    now = 10_000;
    assert.equal(limiter.take('a'), 0);
    now = 1_000_000;
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('a'), 0);
    assert.ok(limiter.take('a') > 0);
  });
  it('rejects bad limits', () => {
    assert.throws(() => new RateLimiter({ requests: 0, perSeconds: 1 }), RangeError);
    assert.throws(() => new RateLimiter({ requests: 1, perSeconds: 0 }), RangeError);
    assert.throws(() => new RateLimiter({ requests: Number.NaN, perSeconds: 1 }), RangeError);
  });
});
