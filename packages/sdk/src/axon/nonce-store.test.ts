import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NonceStore } from './nonce-store.js';

const S = 1_000_000_000n;

describe('NonceStore (Python default_verify nonce rules)', () => {
  const now = 1_800_000_000n * S;
  it('a first nonce must be newer than now − 4 s − timeout', () => {
    const store = new NonceStore(60);
    assert.equal(store.check('k', now - 15n * S, 12, now), undefined);
    assert.equal(
      store.check('k', now - 20n * S, 12, now),
      'Nonce is too old: acceptable delta is 16.00 seconds but request was 20.00 seconds old',
    );
    // No upper bound on future nonces, as in Python.
    assert.equal(store.check('k', now + 3600n * S, 12, now), undefined);
  });
  it('later nonces must rise strictly', () => {
    const store = new NonceStore(60);
    store.commit('k', now, now);
    assert.equal(
      store.check('k', now, 12, now),
      'Nonce is too old, a newer one was last processed',
    );
    assert.equal(
      store.check('k', now - 1n, 12, now),
      'Nonce is too old, a newer one was last processed',
    );
    assert.equal(store.check('k', now + 1n, 12, now), undefined);
    assert.equal(store.check('other', now, 12, now), undefined);
  });
  it('caps the client-sent timeout and prunes entries older than the widest window', () => {
    const store = new NonceStore(60);
    assert.match(
      store.check('k', now - 100n * S, 1e9, now) ?? '',
      /acceptable delta is 64\.00 seconds/,
    );
    store.commit('old', now - 65n * S, now);
    store.commit('new', now, now);
    store.prune(now);
    assert.equal(store.size, 1);
    // The pruned endpoint's old nonce is still refused, by the window.
    assert.notEqual(store.check('old', now - 65n * S, 60, now), undefined);
  });
});
