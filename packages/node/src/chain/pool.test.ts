import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  decodeExtrinsic,
  encodeExtrinsic,
  mortalEra,
  type RuntimeCall,
  System,
} from '@taoscript/chain-types';
import { blake2_256, toHex } from '@taoscript/codec';
import { Runtime } from '@taoscript/runtime';
import {
  DEV_ACCOUNT_NAMES,
  devKeypair,
  signExtrinsic,
  transferKeepAlive,
} from '@taoscript/testkit';
import { openMemoryStore } from '../store/index.js';
import { createVerifier, type Verifier, type VerifyJob } from '../verify/index.js';
import { Chain } from './chain.js';
import { PoolError, type PoolLimits, TxPool, type TxStatus } from './pool.js';

const TAO = 1_000_000_000n;
const ENDOWMENT = 1_000_000n * TAO;
/** Above the existential deposit (500) but far below a transfer's fee. */
const POOR = 1_000n;

const alice = devKeypair('Alice');
const bob = devKeypair('Bob');
const charlie = devKeypair('Charlie');
const dave = devKeypair('Dave');
const ferdie = devKeypair('Ferdie');
type Signer = typeof alice;

const TEXT = {
  badProof: 'Transaction has a bad signature',
  stale: 'Transaction is outdated',
  ancient: 'Transaction has an ancient birth block',
  payment: 'Inability to pay some fees (e.g. account balance too low)',
};

let realVerifier: Verifier;
before(async () => {
  realVerifier = await createVerifier({ threads: 0 });
});
after(async () => {
  await realVerifier.close();
});

interface Harness {
  chain: Chain;
  pool: TxPool;
  /** Every status the pool announced, in order, as [hash hex, status]. */
  log: [string, TxStatus][];
  statuses(hash: Uint8Array): string[];
  tx(signer: Signer, nonce: number, opts?: { tip?: bigint; value?: bigint }): Uint8Array;
  /** Authors a block from the pool. */
  seal(): Promise<Awaited<ReturnType<Chain['authorBlock']>>>;
  nonceOf(who: Uint8Array): number;
}

async function setup(
  opts: {
    limits?: Partial<PoolLimits>;
    verifier?: Verifier | 'none';
    balances?: [Uint8Array, bigint][];
  } = {},
): Promise<Harness> {
  let clock = 1_700_000_000_000;
  const balances =
    opts.balances ??
    DEV_ACCOUNT_NAMES.map(
      (n) => [devKeypair(n).publicKey, n === 'Ferdie' ? POOR : ENDOWMENT] as [Uint8Array, bigint],
    );
  const chain = await Chain.open({
    store: openMemoryStore(),
    runtime: new Runtime({ blockTimeMs: 100 }),
    genesis: { balances, sudoKey: alice.publicKey },
    author: alice.publicKey,
    now: () => {
      clock += 100;
      return clock;
    },
    chainName: 'Development',
  });
  // Block 1 records the real genesis hash under System.BlockHash(0) (CheckGenesis).
  await chain.authorBlock([]);
  const verifier = opts.verifier === 'none' ? undefined : (opts.verifier ?? realVerifier);
  const pool = new TxPool(chain, verifier, opts.limits);
  const log: [string, TxStatus][] = [];
  pool.on('status', (h, s) => log.push([h, s]));
  return {
    chain,
    pool,
    log,
    statuses: (hash) => log.filter(([h]) => h === toHex(hash)).map(([, s]) => s.type),
    tx: (signer, nonce, o = {}) =>
      signExtrinsic({
        call: transferKeepAlive(dave.publicKey, o.value ?? TAO),
        signer,
        nonce,
        genesisHash: chain.genesisHash,
        ...(o.tip !== undefined ? { tip: o.tip } : {}),
      }),
    seal: () => chain.authorBlock((b) => pool.fill(b)),
    nonceOf: (who) => System.Account.get(chain.store.stateAt(chain.head.number), who).nonce,
  };
}

const hashOf = (xt: Uint8Array) => blake2_256(xt);

async function rejects(p: Promise<unknown>, code: number, data?: string | RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof PoolError, `expected a PoolError, got ${String(err)}`);
    assert.equal(err.code, code, `code of ${err.message} (${err.data})`);
    if (typeof data === 'string') assert.equal(err.data, data);
    else if (data) assert.match(err.data ?? '', data);
    return true;
  });
}

/** The signer and nonce of each pool transaction in a block body (timestamp excluded). */
function bodyOrder(body: Uint8Array[]): [string, number][] {
  const names = new Map(DEV_ACCOUNT_NAMES.map((n) => [toHex(devKeypair(n).publicKey), n]));
  return body.flatMap((xt) => {
    const s = decodeExtrinsic(xt).signed;
    if (s?.address.type !== 'Id') return [];
    return [[names.get(toHex(s.address.value)) ?? '?', s.extra.nonce] as [string, number]];
  });
}

describe('TxPool admission', () => {
  it('admits a transaction at the account nonce as ready', async () => {
    const h = await setup();
    const xt = h.tx(alice, 0);
    const r = await h.pool.submit(xt);
    assert.equal(r.status, 'ready');
    assert.deepEqual(r.hash, hashOf(xt));
    assert.ok(h.pool.has(r.hash));
    assert.deepEqual(h.pool.size, { ready: 1, future: 0, bytes: xt.length });
    assert.deepEqual(h.pool.pending(), [xt]);
    assert.deepEqual([...h.pool.nonces(alice.publicKey)], [0]);
    assert.deepEqual(h.statuses(r.hash), ['ready']);
  });

  it('holds a transaction behind a nonce gap as future and promotes it when the gap fills', async () => {
    const h = await setup();
    const x2 = h.tx(alice, 2);
    const x1 = h.tx(alice, 1);
    const x0 = h.tx(alice, 0);
    assert.equal((await h.pool.submit(x2)).status, 'future');
    assert.equal((await h.pool.submit(x1)).status, 'future');
    assert.deepEqual(h.pool.size, { ready: 0, future: 2, bytes: x1.length + x2.length });
    assert.equal((await h.pool.submit(x0)).status, 'ready');
    assert.deepEqual(h.pool.size, {
      ready: 3,
      future: 0,
      bytes: x0.length + x1.length + x2.length,
    });
    assert.deepEqual(h.statuses(hashOf(x1)), ['future', 'ready']);
    assert.deepEqual(h.statuses(hashOf(x2)), ['future', 'ready']);
    // The newcomer is announced before the futures it unblocked.
    assert.deepEqual(h.log.map(([hash, s]) => [hash, s.type]).slice(-3), [
      [toHex(hashOf(x0)), 'ready'],
      [toHex(hashOf(x1)), 'ready'],
      [toHex(hashOf(x2)), 'ready'],
    ]);
    // Ready ones first, in nonce order.
    assert.deepEqual(h.pool.pending(), [x0, x1, x2]);
  });

  it('keeps transactions after a second gap future', async () => {
    const h = await setup();
    await h.pool.submit(h.tx(alice, 0));
    await h.pool.submit(h.tx(alice, 2));
    await h.pool.submit(h.tx(alice, 4));
    assert.deepEqual(h.pool.size.ready, 1);
    assert.deepEqual(h.pool.size.future, 2);
    assert.equal((await h.pool.submit(h.tx(alice, 1))).status, 'ready');
    assert.deepEqual([h.pool.size.ready, h.pool.size.future], [3, 1]);
    assert.equal((await h.pool.submit(h.tx(alice, 3))).status, 'ready');
    assert.deepEqual([h.pool.size.ready, h.pool.size.future], [5, 0]);
  });

  it('promotes a future transaction when a block includes the missing nonce', async () => {
    const h = await setup();
    const x1 = h.tx(alice, 1);
    await h.pool.submit(x1);
    assert.deepEqual([h.pool.size.ready, h.pool.size.future], [0, 1]);
    // Nonce 0 arrives in a block without passing through the pool.
    await h.chain.authorBlock([{ bytes: h.tx(alice, 0), signatureChecked: false }]);
    assert.equal(h.nonceOf(alice.publicKey), 1);
    assert.deepEqual([h.pool.size.ready, h.pool.size.future], [1, 0]);
    assert.deepEqual(h.statuses(hashOf(x1)), ['future', 'ready']);
    const b = await h.seal();
    assert.deepEqual(bodyOrder(b.body), [['Alice', 1]]);
  });

  it('refuses the same bytes twice with 1013, also when submitted concurrently', async () => {
    const h = await setup();
    const xt = h.tx(alice, 0);
    await h.pool.submit(xt);
    await rejects(h.pool.submit(xt), 1013);
    const other = h.tx(bob, 0);
    const results = await Promise.allSettled([h.pool.submit(other), h.pool.submit(other)]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal((failed.reason as PoolError).code, 1013);
    assert.deepEqual(h.pool.size.ready, 2);
  });

  it('refuses a nonce below the account nonce as outdated', async () => {
    const h = await setup();
    await h.pool.submit(h.tx(alice, 0));
    await h.seal();
    assert.equal(h.nonceOf(alice.publicKey), 1);
    await rejects(h.pool.submit(h.tx(alice, 0)), 1010, TEXT.stale);
    assert.deepEqual(h.pool.size, { ready: 0, future: 0, bytes: 0 });
  });

  it('refuses a nonce too far ahead with 1010 and says how far is allowed', async () => {
    const h = await setup({ limits: { maxNonceGap: 3 } });
    await rejects(
      h.pool.submit(h.tx(alice, 4)),
      1010,
      'Transaction will be valid in the future: nonce 4 is more than 3 ahead of the account nonce 0',
    );
    assert.equal((await h.pool.submit(h.tx(alice, 3))).status, 'future');
    assert.deepEqual(h.pool.size.future, 1);
    // The allowance moves with the account nonce.
    await h.chain.authorBlock([{ bytes: h.tx(alice, 0), signatureChecked: false }]);
    assert.equal((await h.pool.submit(h.tx(alice, 4))).status, 'future');
  });

  it('refuses a bad signature with 1010, with and without a verifier', async () => {
    for (const verifier of [realVerifier, 'none'] as const) {
      const h = await setup({ verifier });
      const xt = h.tx(alice, 0);
      const bad = xt.slice();
      // The signature starts after the length prefix (2), version (1) and address (33) and
      // the signature variant (1).
      bad[40] = (bad[40] as number) ^ 0xff;
      await rejects(h.pool.submit(bad), 1010, TEXT.badProof);
      // Signed by Alice, claimed to be from Bob.
      const swapped = xt.slice();
      swapped.set(bob.publicKey, 4);
      await rejects(h.pool.submit(swapped), 1010, TEXT.badProof);
      assert.deepEqual(h.pool.size, { ready: 0, future: 0, bytes: 0 });
    }
  });

  it('refuses a transaction signed for another chain', async () => {
    const h = await setup();
    const xt = signExtrinsic({
      call: transferKeepAlive(dave.publicKey, TAO),
      signer: alice,
      nonce: 0,
      genesisHash: new Uint8Array(32).fill(7),
    });
    await rejects(h.pool.submit(xt), 1010, TEXT.badProof);
  });

  it('refuses a transaction the sender cannot pay for', async () => {
    const h = await setup();
    await rejects(h.pool.submit(h.tx(ferdie, 0, { value: 1n })), 1010, TEXT.payment);
    // An account that does not exist at all.
    const h2 = await setup({ balances: [[alice.publicKey, ENDOWMENT]] });
    await rejects(h2.pool.submit(h2.tx(bob, 0)), 1010, TEXT.payment);
  });

  it('refuses a mortal transaction whose era has passed', async () => {
    const h = await setup();
    const n = h.chain.head.number;
    const xt = signExtrinsic({
      call: transferKeepAlive(dave.publicKey, TAO),
      signer: alice,
      nonce: 0,
      genesisHash: h.chain.genesisHash,
      era: mortalEra(4, n),
      eraBlockHash: h.chain.head.hash,
    });
    for (let i = 0; i < 5; i++) await h.chain.authorBlock([]);
    await rejects(h.pool.submit(xt), 1010, TEXT.ancient);
  });

  it('admits a mortal transaction within its era', async () => {
    const h = await setup();
    const xt = signExtrinsic({
      call: transferKeepAlive(dave.publicKey, TAO),
      signer: alice,
      nonce: 0,
      genesisHash: h.chain.genesisHash,
      era: mortalEra(8, h.chain.head.number),
      eraBlockHash: h.chain.head.hash,
    });
    await h.chain.authorBlock([]);
    assert.equal((await h.pool.submit(xt)).status, 'ready');
    const b = await h.seal();
    assert.deepEqual(bodyOrder(b.body), [['Alice', 0]]);
  });

  it('rejects what is not a signed extrinsic', async () => {
    const h = await setup();
    await assert.rejects(h.pool.submit('0x1234' as unknown as Uint8Array), TypeError);
    await assert.rejects(h.pool.submit(null as unknown as Uint8Array), TypeError);
    await rejects(h.pool.submit(new Uint8Array([0x10, 0x84, 1, 2])), 1010, /Could not decode/);
    await rejects(h.pool.submit(new Uint8Array()), 1010, /Could not decode/);
    const call: RuntimeCall = transferKeepAlive(dave.publicKey, TAO);
    await rejects(h.pool.submit(encodeExtrinsic(call)), 1010, 'Transaction call is not expected');
    assert.deepEqual(h.pool.size, { ready: 0, future: 0, bytes: 0 });
  });

  it('rejects nonsensical limits', async () => {
    const h = await setup();
    assert.throws(() => new TxPool(h.chain, undefined, { readyCount: -1 }), RangeError);
    assert.throws(() => new TxPool(h.chain, undefined, { totalBytes: 1.5 }), RangeError);
    assert.throws(() => new TxPool(h.chain, undefined, { maxNonceGap: Number.NaN }), RangeError);
  });

  it('does not trust a signature check that raced with a block moving the era', async () => {
    // A verifier that answers only when told to: a block lands while the pool awaits it.
    let answer: ((ok: boolean) => void) | undefined;
    const asked: VerifyJob[] = [];
    const slow: Verifier = {
      verify: (job) => {
        asked.push(job);
        return new Promise((r) => {
          answer = r;
        });
      },
      verifyMany: async (jobs) => jobs.map(() => true),
      verifySync: () => true,
      threads: 0,
      close: async () => {},
    };
    const h = await setup({ verifier: slow });
    const xt = signExtrinsic({
      call: transferKeepAlive(dave.publicKey, TAO),
      signer: alice,
      nonce: 0,
      genesisHash: h.chain.genesisHash,
      era: mortalEra(4, h.chain.head.number),
      eraBlockHash: h.chain.head.hash,
    });
    const pending = h.pool.submit(xt);
    assert.equal(asked.length, 1);
    for (let i = 0; i < 5; i++) await h.chain.authorBlock([]);
    (answer as (ok: boolean) => void)(true);
    await rejects(pending, 1010, TEXT.ancient);
    assert.equal(h.pool.size.ready, 0);
  });
});

describe('TxPool replacement', () => {
  it('replaces the same sender and nonce with a higher tip and reports the old one usurped', async () => {
    const h = await setup();
    const low = h.tx(alice, 0, { tip: 10n });
    const high = h.tx(alice, 0, { tip: 1_000n });
    await h.pool.submit(low);
    const r = await h.pool.submit(high);
    assert.equal(r.status, 'ready');
    assert.deepEqual(h.pool.size, { ready: 1, future: 0, bytes: high.length });
    assert.ok(!h.pool.has(hashOf(low)));
    assert.ok(h.pool.has(hashOf(high)));
    assert.deepEqual(h.pool.pending(), [high]);
    const usurped = h.log.find(([hash, s]) => hash === toHex(hashOf(low)) && s.type === 'usurped');
    assert.deepEqual(usurped?.[1], { type: 'usurped', by: hashOf(high) });
    const b = await h.seal();
    assert.deepEqual(b.body.slice(1), [high]);
  });

  it('replacing a future transaction keeps it future', async () => {
    const h = await setup();
    await h.pool.submit(h.tx(alice, 3));
    const r = await h.pool.submit(h.tx(alice, 3, { tip: 5n }));
    assert.equal(r.status, 'future');
    assert.deepEqual([h.pool.size.ready, h.pool.size.future], [0, 1]);
  });

  it('refuses an equal or lower tip with 1014 and changes nothing', async () => {
    const h = await setup();
    const first = h.tx(alice, 0, { tip: 100n });
    await h.pool.submit(first);
    const before = h.log.length;
    await rejects(h.pool.submit(h.tx(alice, 0, { tip: 100n })), 1014, /^Priority is too low/);
    await rejects(h.pool.submit(h.tx(alice, 0, { tip: 1n })), 1014, /^Priority is too low/);
    assert.deepEqual(h.pool.pending(), [first]);
    assert.equal(h.log.length, before);
  });
});

describe('TxPool limits', () => {
  it('refuses a ready transaction beyond the ready limit with 1016 and changes nothing', async () => {
    const h = await setup({ limits: { readyCount: 2 } });
    await h.pool.submit(h.tx(alice, 0));
    await h.pool.submit(h.tx(bob, 0));
    const before = { size: h.pool.size, pending: h.pool.pending(), log: h.log.length };
    const extra = h.tx(charlie, 0);
    await rejects(h.pool.submit(extra), 1016, /because of the limit/);
    assert.deepEqual(h.pool.size, before.size);
    assert.deepEqual(h.pool.pending(), before.pending);
    assert.equal(h.log.length, before.log);
    assert.ok(!h.pool.has(hashOf(extra)));
    assert.deepEqual([...h.pool.nonces(charlie.publicKey)], []);
    // Futures still fit, and a replacement does not grow the count.
    assert.equal((await h.pool.submit(h.tx(charlie, 1))).status, 'future');
    assert.equal((await h.pool.submit(h.tx(alice, 0, { tip: 9n }))).status, 'ready');
    // Filling the gap would add two ready ones: refused, and the future stays.
    await rejects(h.pool.submit(h.tx(charlie, 0)), 1016);
    assert.deepEqual([h.pool.size.ready, h.pool.size.future], [2, 1]);
    // A block frees room.
    await h.seal();
    assert.equal((await h.pool.submit(h.tx(charlie, 0))).status, 'ready');
    assert.deepEqual([h.pool.size.ready, h.pool.size.future], [2, 0]);
  });

  it('refuses a future transaction beyond the future limit', async () => {
    const h = await setup({ limits: { futureCount: 1 } });
    await h.pool.submit(h.tx(alice, 5));
    await rejects(h.pool.submit(h.tx(bob, 5)), 1016);
    assert.deepEqual([h.pool.size.ready, h.pool.size.future], [0, 1]);
    // A ready transaction is not limited by the future count.
    assert.equal((await h.pool.submit(h.tx(bob, 0))).status, 'ready');
  });

  it('refuses bytes beyond the byte limit, also for a replacement, keeping the old one', async () => {
    const probe = await setup();
    const size = probe.tx(alice, 0).length;
    const h = await setup({ limits: { totalBytes: 2 * size } });
    const a0 = h.tx(alice, 0);
    await h.pool.submit(a0);
    await h.pool.submit(h.tx(bob, 0));
    assert.equal(h.pool.size.bytes, 2 * size);
    await rejects(h.pool.submit(h.tx(charlie, 0)), 1016);
    // A tip of 100 takes one more byte than no tip: the replacement does not fit.
    const bigger = h.tx(alice, 0, { tip: 100n });
    assert.equal(bigger.length, size + 1);
    const before = h.log.length;
    await rejects(h.pool.submit(bigger), 1016);
    assert.ok(h.pool.has(hashOf(a0)), 'the original stays');
    assert.equal(h.log.length, before, 'nobody was told it was usurped');
    assert.equal(h.pool.size.bytes, 2 * size);
    // A same-size replacement fits.
    assert.equal((await h.pool.submit(h.tx(alice, 0, { tip: 5n }))).status, 'ready');
    assert.ok(!h.pool.has(hashOf(a0)));
  });
});

describe('TxPool block building and pruning', () => {
  it('fills by priority across senders, keeping each sender in nonce order', async () => {
    const h = await setup();
    await h.pool.submit(h.tx(alice, 1, { tip: 9_000n })); // future until nonce 0 arrives
    await h.pool.submit(h.tx(bob, 0, { tip: 100n }));
    await h.pool.submit(h.tx(charlie, 0, { tip: 5_000n }));
    await h.pool.submit(h.tx(alice, 0, { tip: 200n }));
    await h.pool.submit(h.tx(charlie, 1, { tip: 50n }));
    await h.pool.submit(h.tx(bob, 1, { tip: 150n }));
    await h.pool.submit(h.tx(dave, 0, { tip: 100n })); // same tip as Bob's, came later
    const b = await h.seal();
    assert.deepEqual(bodyOrder(b.body), [
      ['Charlie', 0],
      ['Alice', 0],
      ['Alice', 1],
      ['Bob', 0],
      ['Bob', 1],
      ['Dave', 0],
      ['Charlie', 1],
    ]);
    assert.ok(b.results.every((r) => r.result.ok));
    assert.deepEqual(h.pool.size, { ready: 0, future: 0, bytes: 0 });
  });

  it('reports inBlock then finalized with the block hash and index, and prunes', async () => {
    const h = await setup();
    const a = h.tx(alice, 0, { tip: 1n });
    const c = h.tx(charlie, 0, { tip: 2n });
    await h.pool.submit(a);
    await h.pool.submit(c);
    const b = await h.seal();
    assert.equal(b.body.length, 3);
    assert.deepEqual(b.body.slice(1), [c, a]);
    for (const [xt, index] of [
      [c, 1],
      [a, 2],
    ] as const) {
      const seen = h.log.filter(([hash]) => hash === toHex(hashOf(xt))).map(([, s]) => s);
      assert.deepEqual(seen, [
        { type: 'ready' },
        { type: 'inBlock', block: b.hash, index },
        { type: 'finalized', block: b.hash, index },
      ]);
      assert.ok(!h.pool.has(hashOf(xt)));
    }
    assert.deepEqual(h.pool.pending(), []);
    assert.deepEqual(h.pool.size, { ready: 0, future: 0, bytes: 0 });
  });

  it('takes at most maxTxs and leaves the rest ready', async () => {
    const h = await setup();
    for (let n = 0; n < 4; n++) await h.pool.submit(h.tx(alice, n));
    const b = await h.chain.authorBlock((builder) => h.pool.fill(builder, 2));
    assert.deepEqual(bodyOrder(b.body), [
      ['Alice', 0],
      ['Alice', 1],
    ]);
    assert.deepEqual([h.pool.size.ready, h.pool.size.future], [2, 0]);
    const b2 = await h.seal();
    assert.deepEqual(bodyOrder(b2.body), [
      ['Alice', 2],
      ['Alice', 3],
    ]);
  });

  it('drops transactions made stale by a block, reporting them invalid', async () => {
    const h = await setup();
    const pooled0 = h.tx(alice, 0, { tip: 1n });
    const pooled1 = h.tx(alice, 1);
    const pooled3 = h.tx(alice, 3);
    await h.pool.submit(pooled0);
    await h.pool.submit(pooled1);
    await h.pool.submit(pooled3);
    // Another pair of transactions with nonces 0 and 1 is included without the pool.
    await h.chain.authorBlock([
      { bytes: h.tx(alice, 0, { tip: 2n }), signatureChecked: false },
      { bytes: h.tx(alice, 1, { tip: 2n }), signatureChecked: false },
    ]);
    for (const xt of [pooled0, pooled1]) {
      assert.deepEqual(h.statuses(hashOf(xt)), ['ready', 'invalid']);
      assert.ok(!h.pool.has(hashOf(xt)));
    }
    assert.deepEqual(h.log.filter(([hash]) => hash === toHex(hashOf(pooled0)))[1]?.[1], {
      type: 'invalid',
      reason: TEXT.stale,
    });
    // Nonce 3 is still waiting for 2.
    assert.deepEqual([h.pool.size.ready, h.pool.size.future], [0, 1]);
    assert.deepEqual(h.statuses(hashOf(pooled3)), ['future']);
    await h.pool.submit(h.tx(alice, 2));
    assert.deepEqual([h.pool.size.ready, h.pool.size.future], [2, 0]);
  });

  it('drops a transaction that became unpayable inside the block; later nonces turn future', async () => {
    const h = await setup();
    // Bob sends nearly everything away in his first transaction.
    // (A probe with a value of the same encoded size costs the same fee.)
    const probe = h.tx(bob, 0, { value: ENDOWMENT / 2n });
    const fee = h.chain.runtime.queryInfo(probe, probe.length).partial_fee;
    const b0 = h.tx(bob, 0, { value: ENDOWMENT - fee - 600n });
    const b1 = h.tx(bob, 1);
    const b2 = h.tx(bob, 2);
    const a0 = h.tx(alice, 0);
    for (const xt of [b0, b1, b2, a0]) assert.equal((await h.pool.submit(xt)).status, 'ready');
    const b = await h.seal();
    assert.deepEqual(bodyOrder(b.body).sort(), [
      ['Alice', 0],
      ['Bob', 0],
    ]);
    const b1Seen = h.log.filter(([hash]) => hash === toHex(hashOf(b1))).map(([, s]) => s);
    assert.deepEqual(b1Seen, [{ type: 'ready' }, { type: 'invalid', reason: TEXT.payment }]);
    assert.ok(!h.pool.has(hashOf(b1)));
    assert.ok(h.pool.has(hashOf(b2)));
    assert.deepEqual(h.pool.size, { ready: 0, future: 1, bytes: b2.length });
    // An empty block changes nothing for the leftover future.
    await h.seal();
    assert.deepEqual(h.pool.size, { ready: 0, future: 1, bytes: b2.length });
  });

  it('expires a pooled mortal transaction once no later block may include it', async () => {
    const h = await setup();
    const born = h.chain.head.number;
    const era = mortalEra(4, born);
    const xt = signExtrinsic({
      call: transferKeepAlive(dave.publicKey, TAO),
      signer: alice,
      nonce: 1, // future: nonce 0 never comes
      genesisHash: h.chain.genesisHash,
      era,
      eraBlockHash: h.chain.head.hash,
    });
    assert.equal((await h.pool.submit(xt)).status, 'future');
    // Valid in blocks born .. born + 3; pruned once block born + 3 exists.
    while (h.chain.head.number < born + 2) await h.seal();
    assert.ok(h.pool.has(hashOf(xt)));
    await h.seal();
    assert.ok(!h.pool.has(hashOf(xt)));
    assert.deepEqual(
      h.log.filter(([hash]) => hash === toHex(hashOf(xt))).map(([, s]) => s),
      [{ type: 'future' }, { type: 'invalid', reason: TEXT.ancient }],
    );
    assert.deepEqual(h.pool.size, { ready: 0, future: 0, bytes: 0 });
  });

  it('includes a ready mortal transaction in the last block of its era', async () => {
    const h = await setup();
    const born = h.chain.head.number;
    const xt = signExtrinsic({
      call: transferKeepAlive(dave.publicKey, TAO),
      signer: alice,
      nonce: 1,
      genesisHash: h.chain.genesisHash,
      era: mortalEra(4, born),
      eraBlockHash: h.chain.head.hash,
    });
    await h.pool.submit(xt);
    while (h.chain.head.number < born + 2) await h.seal();
    // Nonce 0 lands with the last block that may still carry nonce 1.
    await h.pool.submit(h.tx(alice, 0));
    const b = await h.seal();
    assert.equal(b.number, born + 3);
    assert.deepEqual(bodyOrder(b.body), [
      ['Alice', 0],
      ['Alice', 1],
    ]);
  });
});

describe('TxPool throughput', () => {
  it('admits 5,000 transactions from 500 senders quickly, with exact bookkeeping', async (t) => {
    const SENDERS = 500;
    const PER = 10;
    const keys = Array.from({ length: SENDERS }, (_, i) => {
      const k = new Uint8Array(32);
      k[0] = 0xaa;
      k[1] = i >> 8;
      k[2] = i & 0xff;
      return k;
    });
    // Signature checks are left out: this verifier accepts everything, so the runtime
    // skips its own check too and what is measured is decoding, validation and the pool.
    const trusting: Verifier = {
      verify: async () => true,
      verifyMany: async (jobs) => jobs.map(() => true),
      verifySync: () => true,
      threads: 0,
      close: async () => {},
    };
    const h = await setup({
      verifier: trusting,
      balances: [
        [alice.publicKey, ENDOWMENT],
        ...keys.map((k) => [k, ENDOWMENT] as [Uint8Array, bigint]),
      ],
      limits: { readyCount: 10_000, futureCount: 10_000 },
    });
    const call = transferKeepAlive(alice.publicKey, TAO);
    const xts: Uint8Array[] = [];
    for (let s = 0; s < SENDERS; s++) {
      // Half the senders submit in reverse nonce order: futures pile up, then all promote.
      const order = Array.from({ length: PER }, (_, i) => (s % 2 === 0 ? i : PER - 1 - i));
      for (const nonce of order)
        xts.push(
          encodeExtrinsic(call, {
            address: { type: 'Id', value: keys[s] as Uint8Array },
            signature: { type: 'Sr25519', value: new Uint8Array(64).fill(s & 0xff) },
            extra: {
              era: { mortal: false },
              nonce,
              tip: BigInt(s % 7),
              metadataHashMode: 'Disabled',
            },
          }),
        );
    }
    let ready = 0;
    h.pool.on('status', (_hash, s) => {
      if (s.type === 'ready') ready++;
    });
    const t0 = performance.now();
    for (const xt of xts) await h.pool.submit(xt);
    const ms = performance.now() - t0;
    assert.deepEqual(h.pool.size, {
      ready: SENDERS * PER,
      future: 0,
      bytes: xts.reduce((n, x) => n + x.length, 0),
    });
    assert.equal(ready, SENDERS * PER, 'every transaction was announced ready exactly once');
    t.diagnostic(`5,000 submissions took ${ms.toFixed(0)} ms`);
    // Generous for a loaded CI machine. Locally the whole loop takes about 0.5 s, of which the
    // pool's own bookkeeping is under 0.1 s; the rest is decoding and runtime validation.
    assert.ok(ms < 5_000, `5,000 submissions took ${ms.toFixed(0)} ms`);

    // Build blocks until the pool is empty: every sender's nonces in order, nothing lost.
    const seen = new Map<string, number>();
    let blocks = 0;
    while (h.pool.size.ready > 0) {
      const b = await h.seal();
      blocks++;
      assert.ok(b.body.length > 1, 'every block makes progress');
      for (const xt of b.body.slice(1)) {
        const s = decodeExtrinsic(xt).signed;
        assert.ok(s && s.address.type === 'Id');
        const who = toHex(s.address.value);
        assert.equal(s.extra.nonce, seen.get(who) ?? 0, 'nonce order within a sender');
        seen.set(who, s.extra.nonce + 1);
      }
      assert.ok(blocks < 100);
    }
    assert.equal(seen.size, SENDERS);
    assert.ok([...seen.values()].every((n) => n === PER));
    assert.deepEqual(h.pool.size, { ready: 0, future: 0, bytes: 0 });
  });
});
