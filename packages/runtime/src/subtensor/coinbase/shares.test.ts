import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SubtensorStorage as S } from '@taoscript/chain-types';
import { fxFromRatio, fxToF64, I96F32, U64F64 } from '@taoscript/codec';
import type { DispatchContext } from '../../dispatch.js';
import { Runtime } from '../../executive.js';
import { MapState, Overlay } from '../../state.js';
import {
  EMISSION_SHARES_KEY,
  flowShares,
  getEmissionSharesRule,
  priceEmaShares,
  priceShares,
  rootSellFlag,
  setEmissionSharesRule,
  subnetBlockEmissions,
  subnetsToEmitTo,
  updateEmaProtocolFlow,
  updateEmaTaoFlow,
} from './shares.js';
import { seedSubnet } from './test-fixtures.js';

const Q = 1n << 62n; // U64F64 0.25
const TAO = 1_000_000_000n;
const I64_MAX = (1n << 63n) - 1n;
/** The default FlowEmaSmoothingFactor as I64F64: floor(factor · 2^64 / i64::MAX). */
const ALPHA = (29_597_889_189_277n << 64n) / I64_MAX;

function world(
  prices: [bigint, bigint][] = [
    [1n, 4n],
    [1n, 2n],
    [1n, 4n],
  ],
): Overlay {
  const ov = new Overlay(new MapState());
  S.NetworksAdded.set(ov, 0, true);
  for (const [i, movingPrice] of prices.entries()) seedSubnet(ov, i + 1, { movingPrice });
  return ov;
}

const ctxOn = (state: Overlay, block = 10): DispatchContext => ({
  state,
  blockNumber: block,
  deposit: () => {},
});

const entries = (m: Map<number, bigint>) => [...m.entries()];

describe('subnets to emit to', () => {
  it('keeps started, trading, registration-open non-root subnets, in the given order', () => {
    const ov = world([
      [1n, 2n],
      [1n, 2n],
      [1n, 2n],
      [1n, 2n],
      [1n, 2n],
    ]);
    S.FirstEmissionBlockNumber.remove(ov, 2);
    S.SubtokenEnabled.set(ov, 3, false);
    S.NetworkRegistrationAllowed.set(ov, 4, false);
    assert.deepEqual(subnetsToEmitTo(ov, [5, 0, 4, 3, 2, 1]), [5, 1]);
    assert.throws(() => subnetsToEmitTo(ov, 1 as unknown as number[]), TypeError);
    assert.throws(() => subnetsToEmitTo(ov, [1, 65_536]), RangeError);
  });
});

describe('price rule', () => {
  it('shares are moving price over the sum of moving prices', () => {
    const ov = world();
    assert.deepEqual(entries(priceEmaShares(ov, [3, 1, 2])), [
      [1, Q],
      [2, 2n * Q],
      [3, Q],
    ]);
    // A stable subnet's moving price is 1.0 whatever is stored.
    S.SubnetMechanism.set(ov, 2, 0);
    const s = priceEmaShares(ov, [1, 2, 3]);
    assert.equal(s.get(2), (U64F64.one << 64n) / (6n * Q)); // 1 / 1.5
  });

  it('weights each share by 1 − MinerBurned and renormalises', () => {
    const ov = world();
    S.MinerBurned.set(ov, 2, 1n << 31n); // half of subnet 2's miner emission withheld
    const third = (1n << 64n) / 3n; // 0.25 / 0.75 for each
    assert.deepEqual(entries(priceShares(ov, [1, 2, 3])), [
      [1, third],
      [2, third],
      [3, third],
    ]);
    // MinerBurned above 1 counts as 1: the subnet gets nothing.
    S.MinerBurned.set(ov, 2, 5n << 32n);
    assert.deepEqual(entries(priceShares(ov, [1, 2, 3])), [
      [1, 2n * Q],
      [2, 0n],
      [3, 2n * Q],
    ]);
  });

  it('falls back to the plain price shares when every weight is zero', () => {
    const ov = world();
    for (const n of [1, 2, 3]) S.MinerBurned.set(ov, n, 1n << 32n);
    assert.deepEqual(entries(priceShares(ov, [1, 2, 3])), entries(priceEmaShares(ov, [1, 2, 3])));
  });

  it('block emission splits by share; disabled subnets get 0 and the rest renormalise', () => {
    const ov = world();
    const block = TAO << 32n;
    assert.deepEqual(entries(subnetBlockEmissions(ctxOn(ov), [1, 2, 3], block)), [
      [1, 250_000_000n << 32n],
      [2, 500_000_000n << 32n],
      [3, 250_000_000n << 32n],
    ]);
    S.SubnetEmissionEnabled.set(ov, 3, false);
    const third = (1n << 64n) / 3n;
    const twoThirds = (2n << 64n) / 3n;
    // U96F32(U64F64(1e9) · share): the U64F64 product floored to 32 fraction bits.
    assert.deepEqual(entries(subnetBlockEmissions(ctxOn(ov), [1, 2, 3], block)), [
      [1, (TAO * third) >> 32n],
      [2, (TAO * twoThirds) >> 32n],
      [3, 0n],
    ]);
    // All disabled: nothing for anyone.
    for (const n of [1, 2]) S.SubnetEmissionEnabled.set(ov, n, false);
    for (const [, e] of subnetBlockEmissions(ctxOn(ov), [1, 2, 3], block)) assert.equal(e, 0n);
  });

  it('root sells only when the moving prices sum above 1', () => {
    const ov = world();
    assert.equal(rootSellFlag(ov, [1, 2, 3]), false); // exactly 1.0
    S.SubnetMovingPrice.set(ov, 3, fxFromRatio(I96F32, 1n, 4n) + 1n);
    assert.equal(rootSellFlag(ov, [1, 2, 3]), true);
    assert.equal(rootSellFlag(ov, []), false);
  });
});

describe('the emission-share rule switch', () => {
  it('lives under :taoscript:emission_shares, price unless the byte is 1', () => {
    const ov = new Overlay(new MapState());
    assert.equal(getEmissionSharesRule(ov), 'price');
    setEmissionSharesRule(ov, 'flow');
    assert.deepEqual(ov.get(EMISSION_SHARES_KEY), new Uint8Array([1]));
    assert.equal(getEmissionSharesRule(ov), 'flow');
    setEmissionSharesRule(ov, 'price');
    assert.deepEqual(ov.get(EMISSION_SHARES_KEY), new Uint8Array([0]));
    assert.equal(getEmissionSharesRule(ov), 'price');
    for (const junk of [[1, 0], [2], []]) {
      ov.set(EMISSION_SHARES_KEY, new Uint8Array(junk));
      assert.equal(getEmissionSharesRule(ov), 'price');
    }
    assert.deepEqual(
      [...EMISSION_SHARES_KEY].map((c) => String.fromCharCode(c)).join(''),
      ':taoscript:emission_shares',
    );
  });

  it('is chosen at genesis by subtensor.emissionShares, and a bad choice is refused', () => {
    const runtime = new Runtime();
    const balances: [Uint8Array, bigint][] = [[new Uint8Array(32).fill(1), 10n ** 12n]];
    const genesis = (emissionShares?: unknown) =>
      new MapState(
        new Map(
          [
            ...runtime.genesis({
              balances,
              subtensor:
                emissionShares === undefined ? {} : { emissionShares: emissionShares as 'flow' },
            }),
          ].filter((e): e is [string, Uint8Array] => e[1] !== null),
        ),
      );
    assert.equal(getEmissionSharesRule(genesis()), 'price');
    assert.equal(getEmissionSharesRule(genesis('flow')), 'flow');
    assert.equal(getEmissionSharesRule(genesis('price')), 'price');
    assert.throws(() => genesis('tao'), /emissionShares/);
  });

  it('rejects bad input', () => {
    const ov = new Overlay(new MapState());
    assert.throws(() => setEmissionSharesRule(ov, 'tao' as 'flow'), RangeError);
    assert.throws(() => setEmissionSharesRule(ov, 1 as unknown as 'flow'), TypeError);
    assert.throws(() => setEmissionSharesRule(null as unknown as Overlay, 'flow'), TypeError);
  });
});

describe('flow rule', () => {
  it('advances each flow EMA once per block and clears the block flow', () => {
    const ov = world();
    S.SubnetTaoFlow.set(ov, 1, 1_000n * TAO);
    S.SubnetProtocolFlow.set(ov, 1, -7n * TAO);
    const ema1 = updateEmaTaoFlow(ctxOn(ov, 10), 1);
    assert.equal(ema1, ALPHA * 1_000n * TAO); // (1 − a)·0 + a·flow
    assert.deepEqual(S.SubnetEmaTaoFlow.get(ov, 1), [10n, ema1]);
    assert.equal(S.SubnetTaoFlow.tryGet(ov, 1), undefined);
    assert.equal(updateEmaProtocolFlow(ctxOn(ov, 10), 1), -ALPHA * 7n * TAO);
    assert.equal(S.SubnetProtocolFlow.tryGet(ov, 1), undefined);
    // Same block again: no change.
    S.SubnetTaoFlow.set(ov, 1, 5n);
    assert.equal(updateEmaTaoFlow(ctxOn(ov, 10), 1), ema1);
    assert.equal(S.SubnetTaoFlow.get(ov, 1), 5n);
    // Next block: (1 − a)·ema + a·flow, products floored.
    const ema2 = updateEmaTaoFlow(ctxOn(ov, 11), 1);
    assert.equal(ema2, ((((1n << 64n) - ALPHA) * ema1) >> 64n) + ALPHA * 5n);
  });

  it('equal flows share equally; a negative flow shifts everyone and takes nothing', () => {
    const ov = world([
      [1n, 2n],
      [1n, 2n],
    ]);
    S.SubnetTaoFlow.set(ov, 1, 100n * TAO);
    S.SubnetTaoFlow.set(ov, 2, 100n * TAO);
    assert.deepEqual(entries(flowShares(ctxOn(ov, 10), [2, 1])), [
      [1, 1n << 63n],
      [2, 1n << 63n],
    ]);
    S.SubnetTaoFlow.set(ov, 2, -500n * TAO);
    assert.deepEqual(entries(flowShares(ctxOn(ov, 11), [1, 2])), [
      [1, U64F64.one],
      [2, 0n],
    ]);
  });

  it('shares follow the net flows (p = 1)', () => {
    const ov = world([
      [1n, 2n],
      [1n, 2n],
    ]);
    S.SubnetTaoFlow.set(ov, 1, 300n * TAO);
    S.SubnetTaoFlow.set(ov, 2, 100n * TAO);
    const s = flowShares(ctxOn(ov), [1, 2]);
    assert.ok(Math.abs(fxToF64(U64F64, s.get(1) as bigint) - 0.75) < 1e-6);
    assert.ok(Math.abs(fxToF64(U64F64, s.get(2) as bigint) - 0.25) < 1e-6);
  });

  it('net flow subtracts the protocol EMA scaled so positive totals match', () => {
    const twin = () => {
      const ov = world([
        [1n, 2n],
        [1n, 2n],
      ]);
      for (const n of [1, 2]) S.SubnetTaoFlow.set(ov, n, 100n * TAO);
      S.SubnetProtocolFlow.set(ov, 1, 400n * TAO);
      return ov;
    };
    // norm = min(200/400, 1) = 0.5: subnet 1 nets 100 − 0.5·400 = −100, subnet 2 nets 100.
    assert.deepEqual(entries(flowShares(ctxOn(twin()), [1, 2])), [
      [1, 0n],
      [2, U64F64.one],
    ]);
    // Without NetTaoFlowEnabled only the user flows count (the protocol EMA still advances).
    const ov = twin();
    S.NetTaoFlowEnabled.set(ov, false);
    assert.deepEqual(entries(flowShares(ctxOn(ov), [1, 2])), [
      [1, 1n << 63n],
      [2, 1n << 63n],
    ]);
    assert.equal(S.SubnetEmaProtocolFlow.get(ov, 1)[1], ALPHA * 400n * TAO);
  });

  it('a cutoff above every flow zeroes all shares (the emission is then recycled)', () => {
    const ov = world([
      [1n, 2n],
      [1n, 2n],
    ]);
    S.SubnetTaoFlow.set(ov, 1, 10n);
    S.TaoFlowCutoff.set(ov, 1n << 70n);
    assert.deepEqual(entries(flowShares(ctxOn(ov), [1, 2])), [
      [1, 0n],
      [2, 0n],
    ]);
  });

  it('is what subnetBlockEmissions uses once the switch says flow', () => {
    const ov = world();
    S.SubnetTaoFlow.set(ov, 3, 100n * TAO);
    setEmissionSharesRule(ov, 'flow');
    assert.deepEqual(entries(subnetBlockEmissions(ctxOn(ov), [1, 2, 3], TAO << 32n)), [
      [1, 0n],
      [2, 0n],
      [3, TAO << 32n],
    ]);
    // Under the price rule the flow EMAs are not touched.
    const price = world();
    S.SubnetTaoFlow.set(price, 3, 100n * TAO);
    subnetBlockEmissions(ctxOn(price), [1, 2, 3], TAO << 32n);
    assert.equal(S.SubnetEmaTaoFlow.tryGet(price, 3), undefined);
    assert.equal(S.SubnetTaoFlow.get(price, 3), 100n * TAO);
  });
});
