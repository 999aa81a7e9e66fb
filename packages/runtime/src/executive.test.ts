import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Balances,
  decodeExtrinsic,
  EXISTENTIAL_DEPOSIT,
  type RuntimeCall,
  Sudo,
  System,
} from '@taoscript/chain-types';
import { blake2_256 } from '@taoscript/codec';
import { devKeypair, signExtrinsic, transferKeepAlive } from '@taoscript/testkit';
import { describeDispatchError } from './dispatch.js';
import { type BlockParams, Runtime, stateRoot } from './executive.js';
import { callInfo, computeFee, totalFee } from './fees.js';
import { MapState } from './state.js';

const alice = devKeypair('Alice');
const bob = devKeypair('Bob');
const charlie = devKeypair('Charlie');
const TAO = 1_000_000_000n;

/** A tiny in-memory chain over the runtime: enough to run blocks in unit tests. */
function devChain() {
  const runtime = new Runtime();
  const state = new MapState();
  state.apply(
    runtime.genesis({
      balances: [
        [alice.publicKey, 1000n * TAO],
        [bob.publicKey, 10n * TAO],
      ],
      sudoKey: alice.publicKey,
    }),
  );
  let parentHash = blake2_256(new Uint8Array([1]));
  let parentRoot = stateRoot(new Uint8Array(32), new Map());
  const genesisHash = parentHash;
  let number = 0;
  const nonces = new Map<string, number>();
  return {
    runtime,
    state,
    genesisHash,
    /** Runs one block with these extrinsics and returns each apply result. */
    block(xts: Uint8Array[], author: Uint8Array | null = alice.publicKey) {
      const p: BlockParams = {
        number: number + 1,
        parentHash,
        parentStateRoot: parentRoot,
        author: author ?? undefined,
      };
      const b = runtime.beginBlock(state, p);
      b.setTimestamp(BigInt(1_000 * (number + 1)));
      const results = xts.map((x) => b.apply(x));
      const fin = b.finalize();
      state.apply(fin.changes);
      parentHash = fin.hash;
      parentRoot = fin.header.state_root;
      number += 1;
      return { results, ...fin };
    },
    sign(signer = alice, call: RuntimeCall, opts: { nonce?: number; tip?: bigint } = {}) {
      const key = signer.address();
      const nonce = opts.nonce ?? nonces.get(key) ?? 0;
      nonces.set(key, nonce + 1);
      return signExtrinsic({
        call,
        signer,
        nonce,
        genesisHash,
        ...(opts.tip !== undefined ? { tip: opts.tip } : {}),
      });
    },
    free: (who: Uint8Array) => System.Account.get(state, who).data.free,
  };
}

describe('runtime: balances and fees', () => {
  it('transfers keep-alive, charges the fee to the author and keeps issuance', () => {
    const c = devChain();
    c.block([]); // block 1 records the genesis hash, as Substrate does
    const issuance = Balances.TotalIssuance.get(c.state);
    const xt = c.sign(alice, transferKeepAlive(charlie.publicKey, 5n * TAO));
    const aliceBefore = c.free(alice.publicKey);
    const { results, events } = c.block([xt], bob.publicKey);
    assert.equal(results[0]?.ok, true);
    const fee = totalFee(computeFee(xt.length, callInfo(decodeExtrinsic(xt).call), 0n));
    assert.ok(fee > 50_000n && fee < 500_000n, `fee ${fee}`);
    assert.equal(c.free(charlie.publicKey), 5n * TAO);
    assert.equal(c.free(alice.publicKey), aliceBefore - 5n * TAO - fee);
    assert.equal(c.free(bob.publicKey), 10n * TAO + fee);
    assert.equal(Balances.TotalIssuance.get(c.state), issuance);
    const names = events.map((e) => `${e.event.type}.${(e.event.value as { type: string }).type}`);
    assert.deepEqual(names, [
      'Balances.Issued', // block_step mints the block emission (recycled: no subnet emits)
      'System.ExtrinsicSuccess', // timestamp inherent
      'Balances.Withdraw',
      'System.NewAccount',
      'Balances.Endowed',
      'Balances.Transfer',
      'Balances.Deposit',
      'TransactionPayment.TransactionFeePaid',
      'System.ExtrinsicSuccess',
    ]);
    assert.equal(System.Account.get(c.state, alice.publicKey).nonce, 1);
  });

  it('burns the fee when there is no author', () => {
    const c = devChain();
    c.block([]);
    const issuance = Balances.TotalIssuance.get(c.state);
    const xt = c.sign(alice, {
      type: 'System',
      value: { type: 'remark', value: { remark: new Uint8Array([1, 2]) } },
    });
    const fee = totalFee(computeFee(xt.length, callInfo(decodeExtrinsic(xt).call), 0n));
    c.block([xt], null);
    assert.equal(Balances.TotalIssuance.get(c.state), issuance - fee);
  });

  it('fails a keep-alive transfer that would reap the sender, still charging the fee', () => {
    const c = devChain();
    c.block([]);
    const before = c.free(bob.publicKey);
    const probe = transferKeepAlive(charlie.publicKey, before - 1_000_000n);
    const fee = totalFee(computeFee(c.sign(bob, probe, { nonce: 0 }).length, callInfo(probe), 0n));
    // Leaves 100 rao after the fee: below the existential deposit.
    const xt = c.sign(bob, transferKeepAlive(charlie.publicKey, before - fee - 100n), { nonce: 0 });
    const { results, events } = c.block([xt]);
    const r = results[0];
    assert.ok(r?.ok && !r.outcome.ok);
    assert.equal(
      describeDispatchError(r.outcome.ok ? assert.fail() : r.outcome.error),
      'Token.NotExpendable',
    );
    assert.ok(c.free(bob.publicKey) < before);
    assert.equal(c.free(charlie.publicKey), 0n);
    assert.ok(
      events.some((e) => e.event.type === 'System' && e.event.value.type === 'ExtrinsicFailed'),
    );
  });

  it('reaps an account sent below the existential deposit and burns the dust', () => {
    const c = devChain();
    c.block([]);
    const issuance = Balances.TotalIssuance.get(c.state);
    const xt0 = c.sign(alice, transferKeepAlive(charlie.publicKey, TAO));
    c.block([xt0]);
    const fee0 = issuance - Balances.TotalIssuance.get(c.state);
    assert.equal(fee0, 0n);
    // Charlie sends everything but 100 rao (below ED) away with allow_death.
    const charlieFree = c.free(charlie.publicKey);
    const call: RuntimeCall = {
      type: 'Balances',
      value: {
        type: 'transfer_allow_death',
        value: { dest: { type: 'Id', value: bob.publicKey }, value: charlieFree - 200_000n },
      },
    };
    const fee = totalFee(
      computeFee(c.sign(charlie, call, { nonce: 0 }).length, callInfo(call), 0n),
    );
    const amount = charlieFree - fee - 100n;
    const xt = c.sign(
      charlie,
      {
        type: 'Balances',
        value: {
          type: 'transfer_allow_death',
          value: { dest: { type: 'Id', value: bob.publicKey }, value: amount },
        },
      },
      { nonce: 0 },
    );
    const { results, events } = c.block([xt]);
    assert.ok(results[0]?.ok && results[0].outcome.ok);
    assert.equal(System.Account.tryGet(c.state, charlie.publicKey), undefined);
    assert.ok(events.some((e) => e.event.type === 'Balances' && e.event.value.type === 'DustLost'));
    assert.equal(Balances.TotalIssuance.get(c.state), issuance - 100n);
    assert.ok(100n < EXISTENTIAL_DEPOSIT);
  });

  it('refuses at validity: bad signature, stale and future nonces, unpaid fees', () => {
    const c = devChain();
    c.block([]);
    const good = c.sign(alice, transferKeepAlive(bob.publicKey, TAO), { nonce: 0 });
    const tampered = good.slice();
    tampered[10] = (tampered[10] as number) ^ 0xff; // inside the signature
    const future = c.sign(alice, transferKeepAlive(bob.publicKey, TAO), { nonce: 5 });
    const poor = c.sign(charlie, transferKeepAlive(bob.publicKey, 1n), { nonce: 0 });
    const { results } = c.block([tampered, future, poor, good]);
    const err = (i: number) => {
      const r = results[i];
      return r && !r.ok ? `${r.error.type}.${r.error.value.type}` : 'ok';
    };
    assert.equal(err(0), 'Invalid.BadProof');
    assert.equal(err(1), 'Invalid.Future');
    assert.equal(err(2), 'Invalid.Payment');
    assert.equal(err(3), 'ok');
    const { results: again } = c.block([good]);
    assert.equal(again[0]?.ok === false && again[0].error.value.type, 'Stale');
  });

  it('validates for the pool with provides/requires tags and priority by tip', () => {
    const c = devChain();
    c.block([]);
    const best = { number: 1, hash: c.block([]).hash };
    const v0 = c.runtime.validateTransaction(
      c.state,
      best,
      c.sign(alice, transferKeepAlive(bob.publicKey, 1n * TAO), { nonce: 0 }),
    );
    const v2 = c.runtime.validateTransaction(
      c.state,
      best,
      c.sign(alice, transferKeepAlive(bob.publicKey, 1n * TAO), { nonce: 2, tip: 1000n }),
    );
    assert.equal(v0.type, 'Ok');
    assert.equal(v2.type, 'Ok');
    if (v0.type !== 'Ok' || v2.type !== 'Ok') return;
    assert.equal(v0.value.requires.length, 0);
    assert.equal(v2.value.requires.length, 1);
    assert.ok(v2.value.priority > v0.value.priority);
  });
});

describe('runtime: sudo and utility', () => {
  it('sudo(force_set_balance) works for the key and is refused to others', () => {
    const c = devChain();
    c.block([]);
    const inner: RuntimeCall = {
      type: 'Balances',
      value: {
        type: 'force_set_balance',
        value: { who: { type: 'Id', value: charlie.publicKey }, new_free: 77n * TAO },
      },
    };
    const ok = c.sign(alice, { type: 'Sudo', value: { type: 'sudo', value: { call: inner } } });
    const notKey = c.sign(bob, { type: 'Sudo', value: { type: 'sudo', value: { call: inner } } });
    const issuance = Balances.TotalIssuance.get(c.state);
    const aliceBefore = c.free(alice.publicKey);
    const { results, events } = c.block([ok, notKey], bob.publicKey);
    assert.equal(c.free(charlie.publicKey), 77n * TAO);
    assert.ok(results[0]?.ok && results[0].outcome.ok);
    // Sudo is Pays::No: the key pays nothing.
    assert.equal(c.free(alice.publicKey), aliceBefore);
    const r1 = results[1];
    assert.ok(r1?.ok && !r1.outcome.ok);
    assert.equal(
      describeDispatchError(r1.outcome.ok ? assert.fail() : r1.outcome.error),
      'Sudo.RequireSudo',
    );
    assert.ok(events.some((e) => e.event.type === 'Sudo' && e.event.value.type === 'Sudid'));
    assert.ok(Balances.TotalIssuance.get(c.state) > issuance);
    assert.deepEqual(Sudo.Key.get(c.state), alice.publicKey);
  });

  it('batch_all reverts everything on a failure; batch stops; force_batch continues', () => {
    const c = devChain();
    c.block([]);
    const good = transferKeepAlive(charlie.publicKey, TAO);
    const bad = transferKeepAlive(charlie.publicKey, 10_000n * TAO);
    const all = c.sign(alice, {
      type: 'Utility',
      value: { type: 'batch_all', value: { calls: [good, bad] } },
    });
    c.block([all]);
    assert.equal(c.free(charlie.publicKey), 0n);
    const batch = c.sign(alice, {
      type: 'Utility',
      value: { type: 'batch', value: { calls: [good, bad, good] } },
    });
    const { events } = c.block([batch]);
    assert.equal(c.free(charlie.publicKey), TAO);
    assert.ok(
      events.some((e) => e.event.type === 'Utility' && e.event.value.type === 'BatchInterrupted'),
    );
    const force = c.sign(alice, {
      type: 'Utility',
      value: { type: 'force_batch', value: { calls: [good, bad, good] } },
    });
    const { events: ev2 } = c.block([force]);
    assert.equal(c.free(charlie.publicKey), 3n * TAO);
    assert.ok(
      ev2.some(
        (e) => e.event.type === 'Utility' && e.event.value.type === 'BatchCompletedWithErrors',
      ),
    );
  });

  it('a subtensor call the runtime does not admit yet fails with System.CallFiltered, fee paid', () => {
    const c = devChain();
    c.block([]);
    const before = c.free(alice.publicKey);
    const xt = c.sign(alice, {
      type: 'SubtensorModule',
      value: {
        type: 'register_leased_network',
        value: { emissions_share: 10, end_block: undefined },
      },
    });
    const { results } = c.block([xt], bob.publicKey);
    const r = results[0];
    assert.ok(r?.ok && !r.outcome.ok);
    assert.equal(
      describeDispatchError(r.outcome.ok ? assert.fail() : r.outcome.error),
      'System.CallFiltered',
    );
    assert.ok(c.free(alice.publicKey) < before);
  });

  it('a failed call leaves no events behind (batch_all that fails after a transfer)', () => {
    const c = devChain();
    c.block([]);
    const good = transferKeepAlive(charlie.publicKey, TAO);
    const bad = transferKeepAlive(charlie.publicKey, 10_000n * TAO);
    const xt = c.sign(alice, {
      type: 'Utility',
      value: { type: 'batch_all', value: { calls: [good, bad] } },
    });
    const { events } = c.block([xt]);
    const names = events.map((e) => `${e.event.type}.${(e.event.value as { type: string }).type}`);
    assert.ok(!names.includes('Balances.Transfer'), names.join(','));
    assert.ok(!names.includes('Utility.ItemCompleted'), names.join(','));
    assert.ok(names.includes('System.ExtrinsicFailed'));
  });

  it('root-only calls are refused to signed origins', () => {
    const c = devChain();
    c.block([]);
    const xt = c.sign(bob, {
      type: 'Balances',
      value: {
        type: 'force_set_balance',
        value: { who: { type: 'Id', value: bob.publicKey }, new_free: 1n },
      },
    });
    const { results } = c.block([xt]);
    const r = results[0];
    assert.ok(r?.ok && !r.outcome.ok && r.outcome.error.type === 'BadOrigin');
  });
});
