import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  Balances,
  type EventRecord,
  type RuntimeEvent,
  SubtensorStorage as S,
  System,
} from '@taoscript/chain-types';
import { fxFromRatio, I96F32 } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import type { RuntimeHarness } from '@taoscript/testkit';
import fc from 'fast-check';
import {
  addStake,
  bob,
  burnedRegister,
  charlie,
  genesisSubnets,
  registerSubnet,
  TAO,
} from '../../../test/subtensor-fixtures.js';
import type { DispatchContext } from '../../dispatch.js';
import { MapState, Overlay } from '../../state.js';
import { blockHooks } from '../dispatch.js';
import { subnetAccount } from '../pool.js';
import {
  blockHashToIndices,
  blockStep,
  runAutoClaimRootDivs,
  updateMovingPrice,
  updateRootProp,
} from './block-step.js';
import { rootProportion, runCoinbase } from './run-coinbase.js';
import { setEmissionSharesRule } from './shares.js';
import { getBlockEmission, mintTao, recordedBlockEmission } from './tao.js';
import { endow, seedSubnet } from './test-fixtures.js';

const seed = Number(process.env.FC_SEED ?? 1);
const U64_MAX = (1n << 64n) - 1n;
const SUPPLY = 21_000_000n * TAO;

function ctxAt(state: Overlay, block: number, events: RuntimeEvent[] = []): DispatchContext {
  return { state, blockNumber: block, author: undefined, deposit: (e) => events.push(e) };
}

/** Reads a vector copied into packages/runtime/test/vectors (long integers as strings). */
function vector<T>(name: string): T {
  const url = new URL(`../../../test/vectors/${name}`, import.meta.url);
  return JSON.parse(
    readFileSync(url, 'utf8').replace(/(?<![\d.])(\d{16,})(?![\d.])/g, '"$1"'),
  ) as T;
}

describe('block_step', () => {
  it('is the subtensor pallets’ only on_initialize hook', () => {
    assert.deepEqual(blockHooks.onInitialize, [blockStep]);
  });
});

describe('block emission', () => {
  it('halves with issuance (vector), is minted, and recorded in BlockEmission', () => {
    type V = {
      inputs: { issuance_rao: (number | string)[] };
      expected: { block_emission_rao: (number | string)[] };
    };
    const v = vector<V>('block_emission_halving.json');
    v.inputs.issuance_rao.forEach((raw, i) => {
      const issuance = BigInt(raw);
      const expected = BigInt(v.expected.block_emission_rao[i] as number | string);
      const ov = new Overlay(new MapState());
      S.TotalIssuance.set(ov, issuance);
      Balances.TotalIssuance.set(ov, issuance);
      S.BlockEmission.set(ov, 7n);
      const events: RuntimeEvent[] = [];
      const credit = getBlockEmission(ctxAt(ov, 1, events));
      assert.equal(credit.amount, expected, `issuance ${issuance}`);
      assert.equal(S.TotalIssuance.get(ov), issuance + expected);
      assert.equal(Balances.TotalIssuance.get(ov), issuance + expected);
      // At the supply cap nothing is computed, so BlockEmission keeps its old value.
      assert.equal(S.BlockEmission.get(ov), expected === 0n ? 7n : expected);
      assert.deepEqual(
        events,
        expected === 0n
          ? []
          : [{ type: 'Balances', value: { type: 'Issued', value: { amount: expected } } }],
      );
    });
  });

  it('never takes Balances’ issuance above 21M TAO', () => {
    const ov = new Overlay(new MapState());
    S.TotalIssuance.set(ov, SUPPLY - 5n * TAO);
    Balances.TotalIssuance.set(ov, SUPPLY - 100n);
    assert.equal(mintTao(ctxAt(ov, 1), TAO).amount, 100n);
    assert.equal(Balances.TotalIssuance.get(ov), SUPPLY);
    assert.equal(mintTao(ctxAt(ov, 1), TAO).amount, 0n);
    assert.throws(() => mintTao(ctxAt(ov, 1), -1n), RangeError);
    assert.throws(() => mintTao(ctxAt(ov, 1), 1 as unknown as bigint), TypeError);
  });

  it('BlockEmission ends holding the last subnet’s alpha emission (upstream records both)', () => {
    const ov = new Overlay(new MapState());
    S.NetworksAdded.set(ov, 0, true);
    seedSubnet(ov, 1, { alphaOut: 10_500_001n * TAO, lastEpochBlock: 5n });
    assert.equal(recordedBlockEmission(ov, 0n), TAO);
    const ctx = ctxAt(ov, 5);
    runCoinbase(ctx, mintTao(ctx, TAO), [0, 1]);
    assert.equal(S.BlockEmission.get(ov), 500_000_000n);
    assert.equal(S.SubnetAlphaOutEmission.get(ov, 1), 500_000_000n);
  });
});

describe('moving price', () => {
  /** Subnet 1 started at block 1 (start_call at block 0), moving alpha 1.0, halving 4 blocks. */
  function priced(spot: [bigint, bigint], old: [bigint, bigint]): Overlay {
    const ov = new Overlay(new MapState());
    seedSubnet(ov, 1, { tao: spot[0] * TAO, alphaIn: spot[1] * TAO, movingPrice: old });
    S.SubnetMovingAlpha.set(ov, 1n << 32n);
    S.EMAPriceHalvingBlocks.set(ov, 1, 4n);
    return ov;
  }

  it('ramps its alpha as b/(b + halving blocks) since the start call', () => {
    // Block 4: b = 4 − 0 = 4, alpha = 1 · 4/8 = 0.5: 0.5·0.5 + 0.5·0.25 = 0.375.
    const ov = priced([1n, 2n], [1n, 4n]);
    updateMovingPrice(ctxAt(ov, 4), 1);
    assert.equal(S.SubnetMovingPrice.get(ov, 1), fxFromRatio(I96F32, 3n, 8n));
    // Block 12: alpha = 12/16 = 0.75: 0.75·0.5 + 0.25·0.375 = 0.46875.
    updateMovingPrice(ctxAt(ov, 12), 1);
    assert.equal(S.SubnetMovingPrice.get(ov, 1), fxFromRatio(I96F32, 15n, 32n));
  });

  it('caps the spot price at 1.0; stable subnets stay at 1.0', () => {
    const ov = priced([4n, 1n], [1n, 4n]); // spot 4
    updateMovingPrice(ctxAt(ov, 4), 1);
    assert.equal(S.SubnetMovingPrice.get(ov, 1), fxFromRatio(I96F32, 5n, 8n)); // 0.5 + 0.125
    S.SubnetMechanism.set(ov, 1, 0);
    updateMovingPrice(ctxAt(ov, 8), 1);
    assert.equal(S.SubnetMovingPrice.get(ov, 1), 1n << 32n);
  });

  it('the default alpha is tiny at the start and rises toward 3e-6', () => {
    const ov = new Overlay(new MapState());
    seedSubnet(ov, 1, { tao: TAO, alphaIn: TAO, movingPrice: [0n, 1n], firstEmission: 1n });
    updateMovingPrice(ctxAt(ov, 201_600), 1); // b = halving: alpha = 1.5e-6
    const moved = S.SubnetMovingPrice.get(ov, 1);
    assert.ok(moved > 6_400n && moved <= 6_442n, `moving ${moved}`); // 1.5e-6 · 2^32 ≈ 6442
  });
});

describe('RootProp', () => {
  it('records the root proportion of every emitting subnet only', () => {
    const ov = new Overlay(new MapState());
    S.SubnetTAO.set(ov, 0, 300n * TAO);
    seedSubnet(ov, 1, { alphaIn: 100n * TAO });
    seedSubnet(ov, 2, { firstEmission: undefined });
    updateRootProp(ctxAt(ov, 3), [0, 1, 2]);
    assert.equal(S.RootProp.get(ov, 1), rootProportion(ov, 1));
    assert.ok(S.RootProp.get(ov, 1) > 0n);
    assert.equal(S.RootProp.tryGet(ov, 2), undefined);
  });
});

describe('automatic root claims', () => {
  const hash = (words: bigint[]): Uint8Array => {
    const out = new Uint8Array(32);
    words.forEach((w, i) => {
      for (let b = 0; b < 8; b++) out[i * 8 + b] = Number((w >> BigInt(8 * (7 - b))) & 0xffn);
    });
    return out;
  };

  it('walks the parent hash’s big-endian words modulo n', () => {
    const h = hash([1n, 2n, 3n, 4n]);
    // start 1: +1 → 2, +2 → 4, +3 → 7, +4 → 11 % 10 = 1, +1 (word 0 again) → 2.
    assert.deepEqual(blockHashToIndices(h, 5n, 10n), [1n, 2n, 4n, 7n]);
    assert.deepEqual(blockHashToIndices(h, 0n, 10n), []);
    assert.deepEqual(blockHashToIndices(h, 3n, 0n), [0n]);
    // The sum saturates at u64::MAX before the remainder.
    assert.deepEqual(blockHashToIndices(hash([U64_MAX, 5n, 0n, 0n]), 1n, 7n), [U64_MAX % 7n]);
  });

  it('rejects a malformed hash or count', () => {
    assert.throws(() => blockHashToIndices(new Uint8Array(31), 1n, 1n), RangeError);
    assert.throws(() => blockHashToIndices([] as unknown as Uint8Array, 1n, 1n), TypeError);
    assert.throws(() => blockHashToIndices(new Uint8Array(32), -1n, 1n), RangeError);
    assert.throws(
      () => blockHashToIndices(new Uint8Array(32), 1n, 1 as unknown as bigint),
      TypeError,
    );
  });

  it('claims for the drawn coldkeys of the staking index', () => {
    const ov = new Overlay(new MapState());
    const cold = keypairFromUri('//AutoClaimCold').publicKey;
    S.StakingColdkeysByIndex.set(ov, 2n, cold);
    S.NumStakingColdkeys.set(ov, 3n);
    S.NumRootClaim.set(ov, 1n);
    const events: RuntimeEvent[] = [];
    // k = 1, n = 3: start 4, step 4 → 8 % 3 = 2.
    runAutoClaimRootDivs(ctxAt(ov, 2, events), hash([4n, 0n, 0n, 0n]));
    assert.deepEqual(events, [
      { type: 'SubtensorModule', value: { type: 'RootClaimed', value: { coldkey: cold } } },
    ]);
    S.NumRootClaim.set(ov, 0n);
    const none: RuntimeEvent[] = [];
    runAutoClaimRootDivs(ctxAt(ov, 3, none), new Uint8Array(32).fill(1));
    assert.deepEqual(none, []);
  });
});

// ---- whole blocks ----------------------------------------------------------------------------------

const OWNER_HOT1 = keypairFromUri('//CbOwnerHot1').publicKey;
const OWNER_HOT2 = keypairFromUri('//CbOwnerHot2').publicKey;
const MINER = keypairFromUri('//CbMiner').publicKey;
const VALI = keypairFromUri('//CbVali').publicKey;

/** Two started subnets (tempos 5 and 7) with neurons and stake, root stake, and an unstarted one. */
function chain(): RuntimeHarness {
  const h = genesisSubnets(OWNER_HOT1, OWNER_HOT2);
  burnedRegister(h, bob, 1, MINER);
  burnedRegister(h, charlie, 1, VALI);
  addStake(h, charlie, VALI, 1, 50n * TAO);
  addStake(h, charlie, VALI, 0, 200n * TAO);
  registerSubnet(h, charlie, keypairFromUri('//CbOwnerHot3').publicKey);
  h.edit((ov) => {
    S.Tempo.set(ov, 1, 5);
    S.Tempo.set(ov, 2, 7);
    S.Tempo.set(ov, 3, 4);
  });
  return h;
}

function totalBalances(h: RuntimeHarness): bigint {
  let sum = 0n;
  for (const k of h.state.keys(System.Account.partialKey())) {
    const a = System.Account.get(h.state, System.Account.decodeKey(k)[0]);
    sum += a.data.free + a.data.reserved;
  }
  return sum;
}

/** Checks the per-block invariants after `out`; returns the TAO the coinbase put into pools. */
function checkBlock(h: RuntimeHarness, tiBefore: bigint, events: EventRecord[]): void {
  const now = BigInt(h.number);
  const ti = Balances.TotalIssuance.get(h.state);
  assert.equal(totalBalances(h), ti, `block ${now}: Σ balances = Balances.TotalIssuance`);
  assert.equal(S.TotalIssuance.get(h.state), ti, `block ${now}: SubtensorModule.TotalIssuance`);
  let spent = 0n;
  for (const n of [1, 2, 3]) {
    spent += S.SubnetTaoInEmission.get(h.state, n) + S.SubnetExcessTao.get(h.state, n);
    assert.ok(
      S.SubnetTAO.get(h.state, n) <= h.free(subnetAccount(n)),
      `block ${now}: pool ${n} is backed`,
    );
    if (S.LastEpochBlock.get(h.state, n) === now) {
      for (const item of [
        S.PendingServerEmission,
        S.PendingValidatorEmission,
        S.PendingRootAlphaDivs,
        S.PendingOwnerCut,
      ])
        assert.equal(item.get(h.state, n), 0n, `block ${now}: subnet ${n} drained`);
      assert.equal(S.LastMechansimStepBlock.get(h.state, n), now);
      assert.equal(S.BlocksSinceLastStep.get(h.state, n), 0n);
    }
  }
  // No extrinsics: issuance grows by exactly what the coinbase injected or chain-bought.
  assert.equal(S.TotalIssuance.get(h.state), tiBefore + spent, `block ${now}: minted = spent`);
  assert.ok(spent <= TAO, `block ${now}: at most one block emission`);
  const issued = events.find((e) => e.event.type === 'Balances' && e.event.value.type === 'Issued');
  assert.ok(issued, `block ${now}: the emission is minted`);
}

describe('whole blocks', () => {
  it('keeps TAO exact and drains every epoch, block after block', () => {
    const h = chain();
    const epochs = new Map<number, number>();
    const start = h.number;
    // Expected epochs: every `tempo` blocks from max(LastEpochBlock + tempo, next block).
    const expected = [1, 2, 3].map((n) => {
      const tempo = BigInt(S.Tempo.get(h.state, n));
      const due = S.LastEpochBlock.get(h.state, n) + tempo;
      const first = due > BigInt(start + 1) ? due : BigInt(start + 1);
      const end = BigInt(start + 40);
      return first > end ? 0 : Number((end - first) / tempo) + 1;
    });
    for (let i = 0; i < 40; i++) {
      const ti = S.TotalIssuance.get(h.state);
      const out = h.block();
      checkBlock(h, ti, out.events);
      for (const n of [1, 2, 3])
        if (S.LastEpochBlock.get(h.state, n) === BigInt(h.number))
          epochs.set(n, (epochs.get(n) ?? 0) + 1);
    }
    // Tempos 5, 7 and 4 over 40 blocks (the unstarted subnet 3 steps too).
    assert.deepEqual([epochs.get(1), epochs.get(2), epochs.get(3)], expected);
    assert.ok((expected[0] as number) >= 7 && (expected[2] as number) >= 9);
    assert.ok(S.SubnetEpochIndex.get(h.state, 1) >= 8n);
    // Only the started subnets received emission; their moving prices moved.
    assert.equal(S.SubnetAlphaOutEmission.tryGet(h.state, 3), undefined);
    assert.ok(S.SubnetTAO.get(h.state, 1) > 0n);
    assert.ok(S.RootProp.get(h.state, 1) > 0n);
    assert.equal(h.number, start + 40);
  });

  it('keeps TAO exact under the flow rule too, advancing the flow EMAs', () => {
    const h = chain();
    h.edit((ov) => setEmissionSharesRule(ov, 'flow'));
    addStake(h, bob, MINER, 2, 30n * TAO);
    for (let i = 0; i < 12; i++) {
      const ti = S.TotalIssuance.get(h.state);
      const out = h.block();
      checkBlock(h, ti, out.events);
      for (const n of [1, 2]) assert.equal(S.SubnetEmaTaoFlow.get(h.state, n)[0], BigInt(h.number));
    }
    // Both started subnets had user inflow (registrations, stake): both receive TAO.
    for (const n of [1, 2])
      assert.ok(S.SubnetTaoInEmission.get(h.state, n) + S.SubnetExcessTao.get(h.state, n) > 0n);
  });
});

describe('never mints from nothing (property)', () => {
  it('random pools: every block’s TAO lands on subnet accounts or is recycled', () => {
    const pool = fc.record({
      tao: fc.bigInt({ min: 0n, max: 10_000n * TAO }),
      alphaIn: fc.bigInt({ min: 0n, max: 10_000n * TAO }),
      alphaOut: fc.bigInt({ min: 0n, max: 12_000_000n * TAO }),
      price: fc.bigInt({ min: 0n, max: 3_000n }),
      ownerCut: fc.boolean(),
      enabled: fc.boolean(),
      stable: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(pool, { minLength: 1, maxLength: 6 }),
        fc.bigInt({ min: 0n, max: 5_000n * TAO }),
        fc.constantFrom<'price' | 'flow'>('price', 'flow'),
        (pools, rootTao, rule) => {
          const ov = new Overlay(new MapState());
          S.NetworksAdded.set(ov, 0, true);
          S.SubnetTAO.set(ov, 0, rootTao);
          endow(ov, subnetAccount(0), rootTao + 500n);
          setEmissionSharesRule(ov, rule);
          pools.forEach((p, i) => {
            seedSubnet(ov, i + 1, {
              tao: p.tao,
              alphaIn: p.alphaIn,
              alphaOut: p.alphaOut,
              movingPrice: [p.price, 1_000n],
              tempo: 0,
              mechanism: p.stable ? 0 : 1,
            });
            S.OwnerCutEnabled.set(ov, i + 1, p.ownerCut);
            S.SubnetEmissionEnabled.set(ov, i + 1, p.enabled);
            S.SubnetTaoFlow.set(ov, i + 1, (p.tao % 7n) * TAO - 3n * TAO);
          });
          const netuids = [0, ...pools.map((_, i) => i + 1)];
          for (let b = 2; b <= 4; b++) {
            const before = S.TotalIssuance.get(ov);
            const alphaBefore = netuids.map(
              (n) => S.SubnetAlphaIn.get(ov, n) + S.SubnetAlphaOut.get(ov, n),
            );
            const protocolBefore = netuids.map((n) => S.SubnetProtocolAlpha.get(ov, n));
            const ctx = ctxAt(ov, b);
            runCoinbase(ctx, mintTao(ctx, TAO), netuids);
            let sum = 0n;
            for (const k of ov.keys(System.Account.partialKey()))
              sum += System.Account.get(ov, System.Account.decodeKey(k)[0]).data.free;
            assert.equal(sum, Balances.TotalIssuance.get(ov));
            assert.equal(S.TotalIssuance.get(ov), Balances.TotalIssuance.get(ov));
            const minted = S.TotalIssuance.get(ov) - before;
            assert.ok(minted >= 0n && minted <= TAO, `minted ${minted}`);
            netuids.forEach((n, i) => {
              assert.ok(
                S.SubnetTAO.get(ov, n) <= System.Account.get(ov, subnetAccount(n)).data.free,
              );
              // Alpha grows by at most its injection, its alpha emission and what the chain buy
              // took (a stable pool's reserve saturates at 0, so a buy there creates alpha).
              const grown =
                S.SubnetAlphaIn.get(ov, n) +
                S.SubnetAlphaOut.get(ov, n) -
                (alphaBefore[i] as bigint);
              const bought = S.SubnetProtocolAlpha.get(ov, n) - (protocolBefore[i] as bigint);
              assert.ok(
                grown <=
                  S.SubnetAlphaInEmission.get(ov, n) + S.SubnetAlphaOutEmission.get(ov, n) + bought,
              );
            });
          }
        },
      ),
      { seed, numRuns: 60 },
    );
  });
});
