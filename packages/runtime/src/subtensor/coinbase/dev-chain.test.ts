/**
 * The coinbase and the Yuma epoch working together over many real blocks. A dev chain where two
 * subnets are created with `register_network`, tuned with AdminUtils sudo calls, started with
 * `start_call` once allowed, filled with miners (`burned_register`) and validators (`add_stake`),
 * one validator hotkey also staked on root, and weights set after every epoch (one validator on
 * subnet 2 ranks the miners the other way round). Every block goes through the real executive and
 * is checked against the TAO and alpha identities of dev-chain-test-fixtures.ts; the end state against
 * what spec runtime.md §6.5–6.6 and yuma-epoch.md §7 say incentives, dividends, the owner cut and
 * root dividends do.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AdminUtilsCall,
  type RuntimeCall,
  SubtensorStorage as S,
  type SubtensorCall,
} from '@taoscript/chain-types';
import { fxFromInt, I96F32, toHex } from '@taoscript/codec';
import { type Keypair, keypairFromUri } from '@taoscript/crypto';
import { devKeypair, runtimeHarness } from '@taoscript/testkit';
import { describeDispatchError } from '../../dispatch.js';
import { Overlay } from '../../state.js';
import { stakeOf } from '../share-pool.js';
import { type ChainView, DevChainLedger, viewChain } from './dev-chain-test-fixtures.js';

const TAO = 1_000_000_000n;
const ROOT = 0;
const ROOT_STAKE = 5_000n * TAO;
const START_CALL_DELAY = 14n;
const LAST_BLOCK = 100;

const sub = (value: SubtensorCall): RuntimeCall => ({ type: 'SubtensorModule', value });
const sudo = (value: AdminUtilsCall): RuntimeCall => ({
  type: 'Sudo',
  value: { type: 'sudo', value: { call: { type: 'AdminUtils', value } } },
});

const kp = (uri: string): Keypair => keypairFromUri(`//DevChain//${uri}`);
const cold = (name: string) => kp(`${name}//cold`);
const hot = (name: string) => kp(`${name}//hot`);
const hex = (name: string) => toHex(hot(name).publicKey);

interface Net {
  netuid: number;
  owner: Keypair;
  ownerHot: Keypair;
  tempo: number;
  /** Validators and the TAO each stakes. */
  validators: Array<[string, bigint]>;
  /** Miners, best first: every validator weights them 4:3:2:1 in this order. */
  miners: string[];
  /** A validator that ranks the miners the other way round. */
  dissenter?: string;
}

const NETS: Net[] = [
  {
    netuid: 1,
    owner: devKeypair('Bob'),
    ownerHot: kp('Bob//owner'),
    tempo: 10,
    validators: [
      ['V1a', 600n * TAO],
      ['V1b', 400n * TAO],
      ['V1c', 250n * TAO],
    ],
    miners: ['M1a', 'M1b', 'M1c', 'M1d'],
  },
  {
    netuid: 2,
    owner: devKeypair('Charlie'),
    ownerHot: kp('Charlie//owner'),
    tempo: 12,
    validators: [
      ['V2a', 500n * TAO],
      ['V2b', 300n * TAO],
      ['V2c', 150n * TAO],
    ],
    miners: ['M2a', 'M2b', 'M2c'],
    dissenter: 'V2c',
  },
];
/** The validator whose coldkey also stakes on root (so root dividends exist on subnet 1). */
const ROOT_VALIDATOR = 'V1a';
const NAMES = NETS.flatMap((n) => [...n.validators.map(([v]) => v), ...n.miners]);

type Xt = [Keypair, RuntimeCall];

describe('dev chain: coinbase and Yuma over many blocks', () => {
  it('keeps TAO and alpha accounted at every block and pays by weight and stake', () => {
    const alice = devKeypair('Alice');
    const h = runtimeHarness({
      balances: [
        ...[alice, ...NETS.map((n) => n.owner)].map((k): [Uint8Array, bigint] => [
          k.publicKey,
          1_000_000n * TAO,
        ]),
        ...NAMES.map((n): [Uint8Array, bigint] => [cold(n).publicKey, 10_000n * TAO]),
        // Hotkeys sign set_weights: Pays::No, but the fee must be payable up front.
        ...NAMES.map((n): [Uint8Array, bigint] => [hot(n).publicKey, TAO]),
      ],
    });
    const ledger = new DevChainLedger(
      (netuid) => NETS.find((n) => n.netuid === netuid)?.tempo ?? 0,
    );
    let view: ChainView = viewChain(h.state);
    ledger.checkView(view, h.number);

    /** Authors one block of signed calls, checks every identity, returns each call's error. */
    const block = (xs: Xt[]): Array<string | undefined> => {
      const out = h.block(xs.map(([k, c]) => h.sign(k, c)));
      const errors = out.results.map((r) => {
        assert.ok(r.ok, `block ${out.number}: transaction valid`);
        return r.outcome.ok ? undefined : describeDispatchError(r.outcome.error);
      });
      const next = viewChain(h.state);
      ledger.checkBlock(view, next, out.events, out.number);
      view = next;
      return errors;
    };
    const allOk = (xs: Xt[]) =>
      assert.deepEqual(
        block(xs),
        xs.map(() => undefined),
        `block ${h.number}`,
      );
    const stake = (who: string, netuid: number, amount: bigint): Xt => [
      cold(who),
      sub({
        type: 'add_stake',
        value: { hotkey: hot(who).publicKey, netuid, amount_staked: amount },
      }),
    ];

    // ---- Setup: global sudo knobs, the two subnets, their hyperparameters, the neurons.
    allOk([
      [alice, sudo({ type: 'sudo_set_network_rate_limit', value: { rate_limit: 0n } })],
      [alice, sudo({ type: 'sudo_set_admin_freeze_window', value: { window: 0 } })],
      [alice, sudo({ type: 'sudo_set_start_call_delay', value: { delay: START_CALL_DELAY } })],
      // The price EMA follows the spot price at once, so the EMA prices soon sum past 1.0 and root
      // alpha goes to root stakers instead of being recycled (§6.5).
      [
        alice,
        sudo({ type: 'sudo_set_subnet_moving_alpha', value: { alpha: fxFromInt(I96F32, 1n) } }),
      ],
    ]);
    allOk(
      NETS.map(
        (n): Xt => [
          n.owner,
          sub({ type: 'register_network', value: { hotkey: n.ownerHot.publicKey } }),
        ],
      ),
    );
    const registeredAt = BigInt(h.number);
    for (const n of NETS) {
      assert.equal(S.SubnetOwner.get(h.state, n.netuid).join(), n.owner.publicKey.join());
      assert.equal(S.SubnetEmissionEnabled.get(h.state, n.netuid), false, 'off until root');
    }
    allOk(
      NETS.flatMap(({ netuid, tempo }): Xt[] =>
        [
          sudo({ type: 'sudo_set_tempo', value: { netuid, tempo } }),
          sudo({
            type: 'sudo_set_weights_set_rate_limit',
            value: { netuid, weights_set_rate_limit: 0n },
          }),
          sudo({
            type: 'sudo_set_max_registrations_per_block',
            value: { netuid, max_registrations_per_block: 8 },
          }),
          sudo({ type: 'sudo_set_ema_price_halving_period', value: { netuid, ema_halving: 1n } }),
          sudo({ type: 'sudo_set_subnet_emission_enabled', value: { netuid, enabled: true } }),
        ].map((c): Xt => [alice, c]),
      ),
    );
    // Everyone registers by burning: the TAO enters the pool, the alpha it buys is taken out.
    allOk(
      NETS.flatMap((n) =>
        [...n.validators.map(([v]) => v), ...n.miners].map(
          (name): Xt => [
            cold(name),
            sub({
              type: 'burned_register',
              value: { netuid: n.netuid, hotkey: hot(name).publicKey },
            }),
          ],
        ),
      ),
    );
    // Staking into a subnet needs its subtoken, which start_call enables; root is open.
    assert.deepEqual(block([stake('V1a', 1, 10n * TAO)]), ['SubtensorModule.SubtokenDisabled']);
    allOk([
      stake(ROOT_VALIDATOR, ROOT, ROOT_STAKE),
      ...NETS.flatMap((n) =>
        n.validators.map(
          ([v]): Xt => [
            cold(v),
            sub({ type: 'decrease_take', value: { hotkey: hot(v).publicKey, take: 0 } }),
          ],
        ),
      ),
    ]);

    // ---- Until start_call is allowed nothing emits (the ledger checks every block).
    const startAt = registeredAt + START_CALL_DELAY;
    while (BigInt(h.number + 2) < startAt) block([]);
    const owner1 = NETS[0]?.owner as Keypair;
    assert.deepEqual(block([[owner1, sub({ type: 'start_call', value: { netuid: 1 } })]]), [
      'SubtensorModule.NeedWaitingMoreBlocksToStarCall',
    ]);
    for (const n of NETS) {
      assert.equal(S.FirstEmissionBlockNumber.tryGet(h.state, n.netuid), undefined);
      assert.equal(S.SubnetAlphaOut.get(h.state, n.netuid), 0n, 'no alpha outstanding');
      assert.ok(S.SubnetEpochIndex.get(h.state, n.netuid) > 0n, 'epochs ran before the start');
      assert.ok(
        S.Emission.get(h.state, n.netuid).every((e) => e === 0n),
        'an epoch before the start pays nothing',
      );
    }
    assert.ok(ledger.recycledCredit.size > 10, 'blocks before the start');
    for (const [b, r] of ledger.recycledCredit)
      assert.equal(r, TAO, `block ${b}: the minted TAO is recycled while no subnet emits`);
    allOk(NETS.map((n): Xt => [n.owner, sub({ type: 'start_call', value: { netuid: n.netuid } })]));
    const startBlock = h.number;
    for (const n of NETS)
      assert.equal(S.FirstEmissionBlockNumber.get(h.state, n.netuid), BigInt(startBlock + 1));
    allOk(NETS.flatMap((n) => n.validators.map(([v, amount]) => stake(v, n.netuid, amount))));
    const staked = view;

    // ---- Run: each validator sets weights right after every epoch of its subnet.
    let weightBlocks = 0;
    while (h.number < LAST_BLOCK) {
      const xs: Xt[] = [];
      for (const n of NETS) {
        if (S.LastEpochBlock.get(h.state, n.netuid) !== BigInt(h.number)) continue;
        const uids = n.miners.map((m) => S.Uids.get(h.state, n.netuid, hot(m).publicKey));
        for (const [v] of n.validators) {
          const dests = v === n.dissenter ? [...uids].reverse() : uids;
          const weights = dests.map((_, i) => 10_000 * (dests.length - i));
          const value = { netuid: n.netuid, dests, weights, version_key: 0n };
          xs.push([hot(v), sub({ type: 'set_weights', value })]);
        }
      }
      if (xs.length > 0) weightBlocks += 1;
      // Validator permits come with the first epoch after staking; until then weights on others
      // are refused.
      for (const e of block(xs))
        if (e !== undefined) assert.equal(e, 'SubtensorModule.NeuronNoValidatorPermit');
    }

    // ---- Every identity held at every block. Now what the epochs paid.
    assert.ok(weightBlocks >= 10, `weights were set in ${weightBlocks} blocks`);
    assert.ok(ledger.exactSplits > 100, 'the §6.5 split was checked to the rao');
    // The EMA prices pass a sum of 1.0 on the third emitting block; from then on root sells.
    assert.equal(ledger.rootSellBlocks, LAST_BLOCK - startBlock - 2, 'root-sell blocks');
    // The first emitting block has no EMA price yet: its whole TAO emission is recycled.
    assert.equal(ledger.recycledCredit.get(startBlock + 1), TAO);
    assert.ok(
      [...ledger.recycledCredit].every(([b, r]) => b <= startBlock + 1 || r <= 4n),
      'after it, only flooring is recycled',
    );
    const st = new Overlay(h.state);
    for (const n of NETS) {
      const netuid = n.netuid;
      const end = view.subnets.get(netuid);
      const begin = staked.subnets.get(netuid);
      assert.ok(end !== undefined && begin !== undefined, 'subnet views');
      const epochs = ledger.epochs.filter((e) => e.netuid === netuid && e.block > startBlock);
      const paying = epochs.filter((e) => e.incentives.some((x) => x > 0n));
      assert.ok(paying.length >= 5, `subnet ${netuid}: ${paying.length} paying epochs`);
      const uidOf = (name: string) => end.keys.indexOf(hex(name));
      const gained = (name: string) =>
        (end.hotkeyAlpha.get(hex(name)) ?? 0n) - (begin.hotkeyAlpha.get(hex(name)) ?? 0n);

      // Yuma's outputs are stored for every uid, and Emission sums the last epoch.
      const incentive = S.Incentive.get(h.state, netuid);
      const dividends = S.Dividends.get(h.state, netuid);
      const consensus = S.Consensus.get(h.state, netuid);
      const emission = S.Emission.get(h.state, netuid);
      const trust = S.ValidatorTrust.get(h.state, netuid);
      for (const v of [incentive, dividends, consensus, emission, trust])
        assert.equal(v.length, end.keys.length, 'one entry per uid');
      const last = paying[paying.length - 1];
      assert.ok(last !== undefined, 'a paying epoch');
      const drained = last.drained.server + last.drained.validator + last.drained.root;
      const emitted = emission.reduce((a, b) => a + b, 0n);
      assert.ok(emitted <= drained && emitted + 64n > drained, `Emission ${emitted} / ${drained}`);

      // Miners: incentive, consensus and stake gained follow the weight order; no dividends.
      const miners = n.miners.map(uidOf);
      for (let i = 1; i < miners.length; i++) {
        const [better, worse] = [miners[i - 1] as number, miners[i] as number];
        assert.ok((incentive[better] ?? 0) > (incentive[worse] ?? 0), `incentive order ${i}`);
        assert.ok((consensus[better] ?? 0) > (consensus[worse] ?? 0), `consensus order ${i}`);
        const [b, w] = [n.miners[i - 1] as string, n.miners[i] as string];
        assert.ok(gained(b) > gained(w), `${b} gained more stake than ${w}`);
      }
      for (const u of miners) assert.equal(dividends[u], 0, 'miners earn no dividends');
      const incentiveSum = miners.reduce((a, u) => a + (incentive[u] ?? 0), 0);
      assert.ok(incentiveSum >= 65_535 - miners.length, 'all incentive goes to the miners');
      for (const m of n.miners) {
        const paid = epochs.reduce((a, e) => a + (e.incentives[uidOf(m)] ?? 0n), 0n);
        assert.ok(paid > 0n, `${m} was paid`);
        assert.equal(gained(m), paid, `${m}'s stake grew by exactly its incentive`);
      }

      // Validators: dividends, no incentive, and their alpha stake grew by exactly the dividends.
      for (const [v] of n.validators) {
        const u = uidOf(v);
        assert.ok((dividends[u] ?? 0) > 0, `${v} earns dividends`);
        assert.equal(incentive[u], 0, `${v} earns no incentive`);
        const paid = epochs.reduce((a, e) => a + (e.alphaDividends.get(hex(v)) ?? 0n), 0n);
        assert.ok(paid > 0n, `${v} was paid`);
        assert.equal(gained(v), paid, `${v}'s alpha stake grew by exactly its dividends`);
        // Its coldkey is the pool's only staker: its position is the pool (share rounding aside).
        const own = stakeOf(st, hot(v).publicKey, cold(v).publicKey, netuid);
        const pool = end.hotkeyAlpha.get(hex(v)) ?? 0n;
        assert.ok(own <= pool && own + 2n >= pool, `${v}: position ${own} / pool ${pool}`);
      }
      if (n.dissenter !== undefined) {
        const d = uidOf(n.dissenter);
        const perStake = (name: string) =>
          (epochs.reduce((a, e) => a + (e.alphaDividends.get(hex(name)) ?? 0n), 0n) * TAO) /
          (begin.hotkeyAlpha.get(hex(name)) ?? 1n);
        for (const [v] of n.validators.filter(([x]) => x !== n.dissenter)) {
          assert.ok(
            (trust[uidOf(v)] ?? 0) > (trust[d] ?? 0),
            `${v} is trusted above the dissenter`,
          );
          assert.ok(perStake(v) > perStake(n.dissenter), `${v} earns more per stake`);
        }
      }

      // Owner cut: exactly the drained cuts, staked to the owner hotkey for the owner coldkey.
      const cut = epochs.reduce((a, e) => a + e.drained.owner, 0n);
      assert.ok(cut > 0n, 'owner cut accrued');
      const ownerHex = toHex(n.ownerHot.publicKey);
      const ownerPool = end.hotkeyAlpha.get(ownerHex) ?? 0n;
      assert.equal(ownerPool - (begin.hotkeyAlpha.get(ownerHex) ?? 0n), cut, 'owner hotkey');
      const ownerStake = stakeOf(st, n.ownerHot.publicKey, n.owner.publicKey, netuid);
      assert.ok(ownerStake <= ownerPool && ownerStake + 2n >= ownerPool, 'owner coldkey holds it');
      assert.ok(
        epochs.every((e) => e.burned === 0n),
        'nobody weights the owner: nothing burned',
      );

      if (n.validators.some(([v]) => v === ROOT_VALIDATOR)) {
        // Root dividends: the whole root pot to the root-staked validator, claimed into root stake.
        const rootDivs = epochs.reduce(
          (a, e) => a + (e.rootDividends.get(hex(ROOT_VALIDATOR)) ?? 0n),
          0n,
        );
        assert.ok(rootDivs > 0n, `root dividends to ${ROOT_VALIDATOR}`);
        assert.equal(
          rootDivs,
          epochs.reduce((a, e) => a + e.drained.root, 0n),
          'the whole pot',
        );
        const rv = [hot(ROOT_VALIDATOR).publicKey, cold(ROOT_VALIDATOR).publicKey] as const;
        assert.ok(S.RootClaimed.get(h.state, netuid, ...rv) > 0n, 'root dividends were claimed');
        assert.ok(
          epochs.every((e) => e.orphaned === 0n),
          'nothing orphaned',
        );
      } else {
        // No validator here holds root stake, so the root pot has no receiver: upstream
        // (calculate_dividend_distribution) pays it to nobody and it stays in SubnetAlphaOut.
        for (const e of paying) {
          assert.ok(e.drained.root > 0n, 'root alpha accrued');
          assert.ok(
            [...e.rootDividends.values()].every((d) => d === 0n),
            'no root dividends',
          );
          assert.equal(e.orphaned, e.drained.root, 'the root pot is orphaned');
        }
      }
      const dust = ledger.dust.get(netuid) ?? 0n;
      assert.ok(dust < 20_000n, `subnet ${netuid}: rounding ${dust} rao over the run`);
    }
    const rootStake = stakeOf(
      st,
      hot(ROOT_VALIDATOR).publicKey,
      cold(ROOT_VALIDATOR).publicKey,
      ROOT,
    );
    assert.ok(rootStake > ROOT_STAKE, 'claimed root dividends were swapped into root stake');
  });
});
