import assert from 'node:assert/strict';
import { once } from 'node:events';
import { afterEach, describe, it, mock } from 'node:test';
import { decodeExtrinsic } from '@taoscript/chain-types';
import { Runtime } from '@taoscript/runtime';
import {
  DEV_ACCOUNT_NAMES,
  devKeypair,
  signExtrinsic,
  transferKeepAlive,
} from '@taoscript/testkit';
import { type ChainStore, openMemoryStore } from '../store/index.js';
import { type AuthoredBlock, Chain } from './chain.js';
import { TxPool } from './pool.js';
import { NothingToSealError, parseSealing, Sealer, type SealingMode } from './sealing.js';

const TAO = 1_000_000_000n;
const alice = devKeypair('Alice');
const bob = devKeypair('Bob');
const charlie = devKeypair('Charlie');
const dave = devKeypair('Dave');
type Signer = typeof alice;

const WAIT_MS = 10_000;

interface Harness {
  chain: Chain;
  pool: TxPool;
  /** Makes every later block commit fail (the store refuses to write). */
  failCommits(): void;
  sealer: Sealer;
  errors: unknown[];
  tx(signer: Signer, nonce: number): Uint8Array;
  /** The next block the chain announces (fails after a deadline). */
  nextBlock(): Promise<AuthoredBlock>;
}

const open: Sealer[] = [];
afterEach(async () => {
  mock.timers.reset();
  for (const s of open.splice(0)) await s.stop();
});

async function setup(mode: SealingMode): Promise<Harness> {
  let clock = 1_700_000_000_000;
  const inner = openMemoryStore();
  let failing = false;
  const store: ChainStore = {
    ...inner,
    commitBlock: (b) => (failing ? Promise.reject(new Error('disk full')) : inner.commitBlock(b)),
  };
  const chain = await Chain.open({
    store,
    runtime: new Runtime({ blockTimeMs: 100 }),
    genesis: {
      balances: DEV_ACCOUNT_NAMES.map(
        (n) => [devKeypair(n).publicKey, 1_000_000n * TAO] as [Uint8Array, bigint],
      ),
      sudoKey: alice.publicKey,
    },
    author: alice.publicKey,
    now: () => {
      clock += 100;
      return clock;
    },
    chainName: 'Development',
  });
  // Block 1 records the real genesis hash (CheckGenesis).
  await chain.authorBlock([]);
  const pool = new TxPool(chain, undefined);
  const errors: unknown[] = [];
  const sealer = new Sealer(chain, pool, mode, (err) => errors.push(err));
  open.push(sealer);
  return {
    chain,
    pool,
    failCommits: () => {
      failing = true;
    },
    sealer,
    errors,
    tx: (signer, nonce) =>
      signExtrinsic({
        call: transferKeepAlive(dave.publicKey, TAO),
        signer,
        nonce,
        genesisHash: chain.genesisHash,
      }),
    nextBlock: async () => {
      const [b] = await once(chain, 'block', { signal: AbortSignal.timeout(WAIT_MS) });
      return b as AuthoredBlock;
    },
  };
}

/** Lets queued immediates and promise continuations run (no wall-clock wait). */
async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

/** The signer names and nonces of the signed extrinsics in a block. */
function signedIn(b: AuthoredBlock): string[] {
  const names = new Map(
    DEV_ACCOUNT_NAMES.map((n) => [devKeypair(n).publicKey.join(','), n as string]),
  );
  return b.body.flatMap((xt) => {
    const s = decodeExtrinsic(xt).signed;
    if (s?.address.type !== 'Id') return [];
    return [`${names.get(s.address.value.join(','))}#${s.extra.nonce}`];
  });
}

describe('parseSealing', () => {
  it('reads instant, manual and a positive number of milliseconds', () => {
    assert.deepEqual(parseSealing('instant'), { type: 'instant' });
    assert.deepEqual(parseSealing('manual'), { type: 'manual' });
    assert.deepEqual(parseSealing('250'), { type: 'interval', ms: 250 });
    assert.deepEqual(parseSealing('1'), { type: 'interval', ms: 1 });
    assert.deepEqual(parseSealing('999999999'), { type: 'interval', ms: 999_999_999 });
  });

  it('rejects anything else with a RangeError that names the value', () => {
    for (const bad of ['0', '000', 'fast', '', ' 250', '1e3', '-5', '2.5', '1234567890', 'Instant'])
      assert.throws(
        () => parseSealing(bad),
        (err: unknown) =>
          err instanceof RangeError &&
          err.message.includes(`"${bad}"`) &&
          !err.message.includes('\n'),
        bad,
      );
    assert.throws(() => parseSealing(250 as unknown as string), TypeError);
    assert.throws(() => parseSealing(undefined as unknown as string), TypeError);
  });
});

describe('Sealer', () => {
  it('refuses an interval that is not a positive whole number of ms', async () => {
    const h = await setup({ type: 'manual' });
    for (const ms of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
      assert.throws(
        () => new Sealer(h.chain, h.pool, { type: 'interval', ms }, () => {}),
        RangeError,
      );
  });

  describe('manual', () => {
    it('authors only when asked, taking the ready transactions', async () => {
      const h = await setup({ type: 'manual' });
      h.sealer.start();
      const xt = h.tx(alice, 0);
      await h.pool.submit(xt);
      await settle();
      assert.equal(h.chain.head.number, 1, 'nothing sealed on its own');
      const b = await h.sealer.createBlock();
      assert.equal(b.number, 2);
      assert.deepEqual(b.body.slice(1), [xt]);
      assert.equal(h.pool.size.ready, 0);
    });

    it('createBlock(true) seals an empty block; createBlock(false) refuses one', async () => {
      const h = await setup({ type: 'manual' });
      const empty = await h.sealer.createBlock(true);
      assert.equal(empty.number, 2);
      assert.equal(empty.body.length, 1, 'only the timestamp');
      await assert.rejects(h.sealer.createBlock(false), NothingToSealError);
      assert.equal(h.chain.head.number, 2);
      // A future transaction is not enough either.
      await h.pool.submit(h.tx(alice, 1));
      await assert.rejects(h.sealer.createBlock(false), /no transactions ready/);
      assert.equal(h.chain.head.number, 2);
    });

    it('createBlock(false) commits nothing when an earlier block took the transactions', async () => {
      const h = await setup({ type: 'manual' });
      await h.pool.submit(h.tx(alice, 0));
      const [first, second] = await Promise.allSettled([
        h.sealer.createBlock(true),
        h.sealer.createBlock(false),
      ]);
      assert.equal(first.status, 'fulfilled');
      assert.deepEqual(signedIn((first as PromiseFulfilledResult<AuthoredBlock>).value), [
        'Alice#0',
      ]);
      assert.equal(second.status, 'rejected');
      assert.ok((second as PromiseRejectedResult).reason instanceof NothingToSealError);
      assert.equal(h.chain.head.number, 2);
    });
  });

  describe('instant', () => {
    it('authors a block as soon as a transaction is ready', async () => {
      const h = await setup({ type: 'instant' });
      h.sealer.start();
      const xt = h.tx(alice, 0);
      const next = h.nextBlock();
      await h.pool.submit(xt);
      const b = await next;
      assert.equal(b.number, 2);
      assert.deepEqual(b.body.slice(1), [xt]);
      await h.chain.idle();
      assert.deepEqual(h.pool.size, { ready: 0, future: 0, bytes: 0 });
      assert.deepEqual(h.errors, []);
    });

    it('waits while a transaction is only future, then seals it with the one it waited for', async () => {
      const h = await setup({ type: 'instant' });
      h.sealer.start();
      assert.equal((await h.pool.submit(h.tx(bob, 1))).status, 'future');
      const next = h.nextBlock();
      await h.pool.submit(h.tx(bob, 0));
      const b = await next;
      // No block was sealed for the future transaction alone.
      assert.equal(b.number, 2);
      assert.deepEqual(signedIn(b), ['Bob#0', 'Bob#1']);
    });

    it('keeps sealing until every ready transaction is in', async () => {
      const h = await setup({ type: 'instant' });
      h.sealer.start();
      const included: string[] = [];
      h.chain.on('block', (b) => included.push(...signedIn(b)));
      await Promise.all([
        h.pool.submit(h.tx(alice, 0)),
        h.pool.submit(h.tx(bob, 0)),
        h.pool.submit(h.tx(charlie, 0)),
      ]);
      while (h.pool.size.ready > 0 || included.length < 3) await h.nextBlock();
      assert.deepEqual(included.sort(), ['Alice#0', 'Bob#0', 'Charlie#0']);
    });

    it('seals what is already ready when started', async () => {
      const h = await setup({ type: 'instant' });
      await h.pool.submit(h.tx(alice, 0));
      const next = h.nextBlock();
      h.sealer.start();
      assert.deepEqual(signedIn(await next), ['Alice#0']);
    });

    it('stops sealing after stop()', async () => {
      const h = await setup({ type: 'instant' });
      h.sealer.start();
      await h.sealer.stop();
      await h.pool.submit(h.tx(alice, 0));
      await settle();
      await h.chain.idle();
      assert.equal(h.chain.head.number, 1);
      assert.equal(h.pool.size.ready, 1);
      // Manual sealing still works.
      assert.deepEqual(signedIn(await h.sealer.createBlock(false)), ['Alice#0']);
    });

    it('reports a failed block once instead of retrying in a loop', async () => {
      const h = await setup({ type: 'instant' });
      h.sealer.start();
      h.failCommits();
      await h.pool.submit(h.tx(alice, 0));
      await settle(20);
      await h.chain.idle();
      assert.equal(h.errors.length, 1);
      assert.match(String(h.errors[0]), /disk full/);
      // The transaction is still there for a later block.
      assert.equal(h.pool.size.ready, 1);
    });
  });

  describe('interval', () => {
    it('authors a block every interval, with the ready transactions', async () => {
      const h = await setup({ type: 'interval', ms: 20 });
      h.sealer.start();
      const xt = h.tx(alice, 0);
      await h.pool.submit(xt);
      const blocks: AuthoredBlock[] = [];
      while (blocks.length < 3) blocks.push(await h.nextBlock());
      assert.deepEqual(
        blocks.map((b) => b.number),
        [2, 3, 4],
      );
      assert.deepEqual(blocks[0]?.body.slice(1), [xt]);
      assert.equal(blocks[1]?.body.length, 1, 'empty blocks keep coming');
      await h.sealer.stop();
      assert.deepEqual(h.errors, []);
    });

    it('authors exactly one block per interval and none after stop()', async () => {
      mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
      const h = await setup({ type: 'interval', ms: 20 });
      h.sealer.start();
      h.sealer.start(); // idempotent: still one timer
      for (let i = 0; i < 3; i++) {
        const before = h.chain.head.number;
        const next = once(h.chain, 'block');
        mock.timers.tick(20);
        await next;
        await settle();
        assert.equal(h.chain.head.number, before + 1);
      }
      await h.sealer.stop();
      const stoppedAt = h.chain.head.number;
      mock.timers.tick(1_000);
      await settle();
      await h.chain.idle();
      assert.equal(h.chain.head.number, stoppedAt);
    });

    it('keeps going after a failed block, reporting each failure', async () => {
      mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
      const h = await setup({ type: 'interval', ms: 20 });
      h.sealer.start();
      h.failCommits();
      for (let i = 1; i <= 2; i++) {
        mock.timers.tick(20);
        await settle();
        await h.chain.idle();
        assert.equal(h.errors.length, i);
      }
      assert.equal(h.chain.head.number, 1);
    });
  });
});
