import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CommitmentData,
  Commitments,
  type CommitmentsCall,
  type RuntimeCall,
  type RuntimeEvent,
  rawData,
  SubtensorStorage as S,
} from '@taoscript/chain-types';
import { devKeypair, runtimeHarness } from '@taoscript/testkit';
import { dispatchAt, dispatchError, dispatchOk } from '../../test/subtensor-fixtures.js';
import type { Origin } from '../dispatch.js';
import { commitmentSpace } from './commitments.js';

const NET = 1;
const acct = (n: number) => new Uint8Array(32).fill(n);
const [A, B, C] = [acct(1), acct(2), acct(3)];
const ROOT: Origin = { type: 'Root' };
const signed = (who: Uint8Array): Origin => ({ type: 'Signed', who });
const cm = (value: CommitmentsCall): RuntimeCall => ({ type: 'Commitments', value });
const commit = (fields: CommitmentData[], netuid = NET) =>
  cm({ type: 'set_commitment', value: { netuid, info: { fields } } });
const text = (s: string) => rawData(new TextEncoder().encode(s));
const bigRaw = (n: number): CommitmentData => ({ type: 'BigRaw', value: new Uint8Array(n) });

/** Subnet 1 with A, B, C registered as uids 0, 1, 2. */
function subnet(hotkeys: Uint8Array[] = [A, B, C]) {
  const h = runtimeHarness();
  h.edit((ov) => {
    S.NetworksAdded.set(ov, NET, true);
    S.SubnetworkN.set(ov, NET, hotkeys.length);
    hotkeys.forEach((hk, uid) => {
      S.Keys.set(ov, NET, uid, hk);
      S.Uids.set(ov, NET, hk, uid);
    });
  });
  return h;
}
const ev = (value: unknown) => ({ type: 'Commitments', value }) as RuntimeEvent;

describe('set_commitment', () => {
  it('stores the commitment, its block and the space used, and emits Commitment', () => {
    const h = subnet();
    h.edit((ov) => S.SubnetEpochIndex.set(ov, NET, 7n));
    const fields = [text('hello'), { type: 'Sha256', value: new Uint8Array(32).fill(9) } as const];
    const r = dispatchOk(dispatchAt(h, signed(A), commit(fields), 42));
    assert.deepEqual(Commitments.CommitmentOf.get(h.state, NET, A), {
      deposit: 0n,
      block: 42,
      info: { fields },
    });
    assert.equal(Commitments.LastCommitment.get(h.state, NET, A), 42);
    // 5 + 32 bytes, charged at least 100.
    assert.deepEqual(Commitments.UsedSpaceOf.get(h.state, NET, A), {
      last_epoch: 7n,
      used_space: 100n,
    });
    assert.deepEqual(r.events, [ev({ type: 'Commitment', value: { netuid: NET, who: A } })]);
    assert.deepEqual(Commitments.TimelockedIndex.get(h.state), []);
  });

  it('replaces an earlier commitment', () => {
    const h = subnet();
    dispatchOk(dispatchAt(h, signed(B), commit([text('one')]), 5));
    dispatchOk(dispatchAt(h, signed(B), commit([text('two'), text('three')]), 6));
    const reg = Commitments.CommitmentOf.get(h.state, NET, B);
    assert.equal(reg?.block, 6);
    assert.deepEqual(reg?.info.fields, [text('two'), text('three')]);
    assert.equal(Commitments.UsedSpaceOf.get(h.state, NET, B)?.used_space, 200n);
  });

  it('needs a signed hotkey registered on the subnet', () => {
    const h = subnet();
    assert.equal(dispatchError(dispatchAt(h, ROOT, commit([text('x')]))), 'BadOrigin');
    assert.equal(dispatchError(dispatchAt(h, { type: 'None' }, commit([text('x')]))), 'BadOrigin');
    assert.equal(
      dispatchError(dispatchAt(h, signed(acct(9)), commit([text('x')]))),
      'Commitments.AccountNotAllowedCommit',
    );
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), commit([text('x')], 2))),
      'Commitments.AccountNotAllowedCommit',
    );
  });

  it('refuses more than MaxFields (3) fields', () => {
    const h = subnet();
    const four = [text('a'), text('b'), text('c'), text('d')];
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), commit(four))),
      'Commitments.TooManyFieldsInCommitmentInfo',
    );
    dispatchOk(dispatchAt(h, signed(A), commit(four.slice(0, 3))));
  });

  it('budgets MaxSpace per subnet epoch, each commit costing at least 100', () => {
    const h = subnet();
    dispatchOk(dispatchAt(h, signed(A), commit([bigRaw(512), bigRaw(512), bigRaw(512)]), 5));
    dispatchOk(dispatchAt(h, signed(A), commit([bigRaw(512), bigRaw(512), bigRaw(512)]), 6));
    assert.equal(Commitments.UsedSpaceOf.get(h.state, NET, A)?.used_space, 3_072n);
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), commit([text('tiny')]), 7)),
      'Commitments.SpaceLimitExceeded',
    );
    // Another hotkey has its own budget.
    dispatchOk(dispatchAt(h, signed(B), commit([text('tiny')]), 7));
    // A new epoch starts a new budget.
    h.edit((ov) => S.SubnetEpochIndex.set(ov, NET, 1n));
    dispatchOk(dispatchAt(h, signed(A), commit([text('tiny')]), 8));
    assert.deepEqual(Commitments.UsedSpaceOf.get(h.state, NET, A), {
      last_epoch: 1n,
      used_space: 100n,
    });
  });

  it('allows exactly MaxSpace', () => {
    const h = subnet();
    for (let i = 0; i < 31; i++) dispatchOk(dispatchAt(h, signed(C), commit([]), 5 + i));
    assert.equal(Commitments.UsedSpaceOf.get(h.state, NET, C)?.used_space, 3_100n);
    assert.equal(
      dispatchError(dispatchAt(h, signed(C), commit([]), 40)),
      'Commitments.SpaceLimitExceeded',
    );
  });

  it('ResetBondsFlag stamps LastBondsReset and, with BondsResetOn, drops bonds to the uid', () => {
    const h = subnet();
    h.edit((ov) => {
      S.MechanismCountCurrent.set(ov, NET, 2);
      S.Bonds.set(ov, NET, 0, [
        [1, 10],
        [2, 20],
      ]);
      S.Bonds.set(ov, NET, 2, [[1, 5]]);
      S.Bonds.set(ov, 4097, 0, [
        [1, 7],
        [0, 3],
      ]);
    });
    dispatchOk(dispatchAt(h, signed(B), commit([{ type: 'ResetBondsFlag' }]), 9));
    assert.equal(Commitments.LastBondsReset.get(h.state, NET, B), 9);
    assert.deepEqual(S.Bonds.get(h.state, NET, 0), [
      [1, 10],
      [2, 20],
    ]);
    h.edit((ov) => S.BondsResetOn.set(ov, NET, true));
    dispatchOk(dispatchAt(h, signed(B), commit([{ type: 'ResetBondsFlag' }, text('x')]), 11));
    assert.equal(Commitments.LastBondsReset.get(h.state, NET, B), 11);
    assert.deepEqual(S.Bonds.get(h.state, NET, 0), [[2, 20]]);
    assert.deepEqual(S.Bonds.get(h.state, NET, 2), []);
    assert.deepEqual(S.Bonds.get(h.state, 4097, 0), [[0, 3]]);
  });

  it('a refused commit keeps the bonds its reset flag would have cleared', () => {
    const h = subnet();
    h.edit((ov) => {
      S.BondsResetOn.set(ov, NET, true);
      S.Bonds.set(ov, NET, 0, [[1, 10]]);
      Commitments.MaxSpace.set(ov, 99);
    });
    assert.equal(
      dispatchError(dispatchAt(h, signed(B), commit([{ type: 'ResetBondsFlag' }]))),
      'Commitments.SpaceLimitExceeded',
    );
    assert.deepEqual(S.Bonds.get(h.state, NET, 0), [[1, 10]]);
    assert.equal(Commitments.LastBondsReset.get(h.state, NET, B), undefined);
  });

  it('indexes timelocked commitments and emits TimelockCommitment', () => {
    const h = subnet();
    const tl: CommitmentData = {
      type: 'TimelockEncrypted',
      value: { encrypted: new Uint8Array(300), reveal_round: 123n },
    };
    const r = dispatchOk(dispatchAt(h, signed(C), commit([text('pub'), tl]), 5));
    assert.deepEqual(r.events, [
      ev({ type: 'TimelockCommitment', value: { netuid: NET, who: C, reveal_round: 123n } }),
    ]);
    dispatchOk(dispatchAt(h, signed(A), commit([tl]), 5));
    // A BTreeSet: ordered by (netuid, account bytes).
    assert.deepEqual(Commitments.TimelockedIndex.get(h.state), [
      [NET, A],
      [NET, C],
    ]);
    assert.equal(Commitments.UsedSpaceOf.get(h.state, NET, C)?.used_space, 303n);
    dispatchOk(dispatchAt(h, signed(C), commit([text('plain')]), 6));
    assert.deepEqual(Commitments.TimelockedIndex.get(h.state), [[NET, A]]);
  });

  it('runs end to end as a signed extrinsic', () => {
    const bob = devKeypair('Bob');
    const h = subnet([A, bob.publicKey]);
    const { result, events } = h.run(bob, commit([text('ip:1.2.3.4')]));
    assert.ok(result.ok && result.outcome.ok);
    assert.deepEqual(Commitments.CommitmentOf.get(h.state, NET, bob.publicKey)?.info.fields, [
      text('ip:1.2.3.4'),
    ]);
    assert.ok(events.some((e) => e.event.type === 'Commitments'));
  });
});

describe('set_max_space', () => {
  it('is root only', () => {
    const h = subnet();
    const c = cm({ type: 'set_max_space', value: { new_limit: 50_000 } });
    assert.equal(dispatchError(dispatchAt(h, signed(A), c)), 'BadOrigin');
    dispatchOk(dispatchAt(h, ROOT, c));
    assert.equal(Commitments.MaxSpace.get(h.state), 50_000);
    dispatchOk(dispatchAt(h, signed(A), commit([bigRaw(512), bigRaw(512), bigRaw(512)])));
    dispatchOk(dispatchAt(h, signed(A), commit([bigRaw(512), bigRaw(512), bigRaw(512)])));
    dispatchOk(dispatchAt(h, signed(A), commit([bigRaw(512), bigRaw(512), bigRaw(512)])));
  });
});

describe('commitmentSpace', () => {
  it('counts payload bytes', () => {
    assert.equal(commitmentSpace({ type: 'None' }), 0n);
    assert.equal(commitmentSpace({ type: 'ResetBondsFlag' }), 0n);
    assert.equal(commitmentSpace(text('abc')), 3n);
    assert.equal(commitmentSpace(rawData(new Uint8Array(128))), 128n);
    assert.equal(commitmentSpace({ type: 'Keccak256', value: new Uint8Array(32) }), 32n);
    assert.equal(commitmentSpace(bigRaw(512)), 512n);
    assert.equal(
      commitmentSpace({
        type: 'TimelockEncrypted',
        value: { encrypted: new Uint8Array(17), reveal_round: 1n },
      }),
      17n,
    );
  });

  it('rejects malformed input', () => {
    assert.throws(() => commitmentSpace(null as never), TypeError);
    assert.throws(() => commitmentSpace({ type: 'Raw3' } as never), TypeError);
    assert.throws(() => commitmentSpace('Raw3' as never), TypeError);
  });
});
