import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Blake2256, Bytes, Tuple, u16, u64, Vector } from '@polkadot-api/substrate-bindings';
import { toHex } from '@taoscript/codec';
import { type Keypair, keypairFromUri } from '@taoscript/crypto';
import { devKeypair, type SpawnedNode, spawnNode } from '@taoscript/testkit';
import {
  type BlockInfo,
  CompatibilityLevel,
  createClient,
  type PolkadotClient,
  type PolkadotSigner,
  type SS58String,
  type TxCallData,
  type TxFinalizedPayload,
  type TypedApi,
} from 'polkadot-api';
import { getPolkadotSigner } from 'polkadot-api/signer';
import { getWsProvider } from 'polkadot-api/ws';
import { WebSocket } from 'ws';
import { tao } from '../descriptors/generated/index.js';

const TAO = 1_000_000_000n;
const U16_MAX = 65_535;
const DEADLINE_MS = 30_000;

const signerOf = (kp: Keypair): PolkadotSigner =>
  getPolkadotSigner(kp.publicKey, 'Sr25519', (m) => kp.sign(m));

const alice = devKeypair('Alice');
const bob = devKeypair('Bob');
const hot0 = keypairFromUri('//Alice//hot0');
const hot1 = keypairFromUri('//Alice//hot1');
const ALICE: SS58String = alice.address();
const BOB: SS58String = bob.address();
const HOT0: SS58String = hot0.address();
const HOT1: SS58String = hot1.address();

/** JSON with bigints as strings, for failure messages. */
const json = (v: unknown) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}` : x));

/** The preimage of a weights commit (sdk.md §4.4). */
const CommitPreimage = Tuple(Bytes(32), u16, Vector(u16), Vector(u16), Vector(u16), u64);

/** Fails with the dispatch error when a finalized extrinsic did not succeed. */
function assertOk(name: string, res: TxFinalizedPayload): void {
  assert.equal(res.ok, true, `${name} failed: ${JSON.stringify(res.dispatchError)}`);
}

describe('polkadot-api 2.x with typed descriptors generated from tao-node metadata', () => {
  let node: SpawnedNode;
  let client: PolkadotClient;
  let api: TypedApi<typeof tao>;
  let netuid = 0;

  /** Signs with `kp`, waits for finalization and asserts success. */
  async function submit(
    name: string,
    tx: { signAndSubmit(s: PolkadotSigner): Promise<TxFinalizedPayload> },
    kp: Keypair = alice,
  ): Promise<TxFinalizedPayload> {
    const res = await tx.signAndSubmit(signerOf(kp));
    assertOk(name, res);
    return res;
  }

  /** Resolves with the first finalized block numbered above `n` (deadline-bounded). */
  function finalizedAfter(n: number): Promise<BlockInfo> {
    return new Promise((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        reject(new Error(`no finalized block after #${n} within ${DEADLINE_MS} ms`));
      }, DEADLINE_MS);
      const sub: { unsubscribe(): void } = client.finalizedBlock$.subscribe((b) => {
        if (done || b.number <= n) return;
        done = true;
        clearTimeout(timer);
        resolve(b);
        setImmediate(() => sub.unsubscribe());
      });
    });
  }

  before(async () => {
    node = await spawnNode(['--dev', '--tmp', '--rpc-port', '0', '--sealing', '100']);
    client = createClient(getWsProvider(node.wsUrl, { websocketClass: WebSocket as never }));
    api = client.getTypedApi(tao);
  });
  after(async () => {
    client?.destroy();
    await node?.stop();
  });

  it('the node metadata is compatible with the committed descriptors', async () => {
    const s = await api.getStaticApis();
    const ok = CompatibilityLevel.BackwardsCompatible;
    const c = s.compat;
    for (const [name, h] of [
      ['tx.register_network', c.tx.SubtensorModule.register_network],
      ['tx.start_call', c.tx.SubtensorModule.start_call],
      ['tx.burned_register', c.tx.SubtensorModule.burned_register],
      ['tx.add_stake', c.tx.SubtensorModule.add_stake],
      ['tx.remove_stake_limit', c.tx.SubtensorModule.remove_stake_limit],
      ['tx.move_stake', c.tx.SubtensorModule.move_stake],
      ['tx.set_weights', c.tx.SubtensorModule.set_weights],
      ['tx.commit_weights', c.tx.SubtensorModule.commit_weights],
      ['tx.reveal_weights', c.tx.SubtensorModule.reveal_weights],
      ['tx.sudo', c.tx.Sudo.sudo],
      ['query.NetworksAdded', c.query.SubtensorModule.NetworksAdded],
      ['query.Weights', c.query.SubtensorModule.Weights],
      ['query.WeightCommits', c.query.SubtensorModule.WeightCommits],
      ['query.TotalHotkeyAlpha', c.query.SubtensorModule.TotalHotkeyAlpha],
      ['apis.get_neurons_lite', c.apis.NeuronInfoRuntimeApi.get_neurons_lite],
      ['apis.get_dynamic_info', c.apis.SubnetInfoRuntimeApi.get_dynamic_info],
      ['apis.get_stake_info_for_coldkey', c.apis.StakeInfoRuntimeApi.get_stake_info_for_coldkey],
      ['apis.current_alpha_price', c.apis.SwapRuntimeApi.current_alpha_price],
    ] as const) {
      assert.equal(h.isCompatible(ok), true, `${name} is not compatible with the node metadata`);
    }
    assert.equal(c.tx.SubtensorModule.set_weights.level, CompatibilityLevel.Identical);
  });

  it('creates and starts a subnet and registers a hotkey', async () => {
    const cost = await api.apis.SubnetRegistrationRuntimeApi.get_network_registration_cost();
    assert.ok(cost > 0n && cost <= 1_000n * TAO, `lock cost ${cost}`);
    // The hotkeys sign weights later, so they need a balance.
    const fund = (dest: SS58String) =>
      api.tx.Balances.transfer_keep_alive({
        dest: { type: 'Id', value: dest },
        value: 10n * TAO,
      }).decodedCall;
    await submit('fund hotkeys', api.tx.Utility.batch_all({ calls: [fund(HOT0), fund(HOT1)] }));

    const before = (await api.query.System.Account.getValue(ALICE)).data.free;
    const reg = await submit(
      'register_network',
      api.tx.SubtensorModule.register_network({ hotkey: HOT0 }),
    );
    const added = api.event.SubtensorModule.NetworkAdded.filter(reg.events).map((e) => e.payload);
    assert.equal(added.length, 1);
    netuid = added[0]?.[0] ?? 0;
    assert.ok(netuid >= 1);
    const afterFree = (await api.query.System.Account.getValue(ALICE, { at: reg.block.hash })).data
      .free;
    assert.ok(before - afterFree >= cost, `paid ${before - afterFree}, lock cost ${cost}`);
    assert.equal(await api.query.SubtensorModule.NetworksAdded.getValue(netuid), true);
    assert.equal(await api.query.SubtensorModule.SubnetOwner.getValue(netuid), ALICE);
    assert.equal(await api.query.SubtensorModule.Keys.getValue(netuid, 0), HOT0);

    await submit('start_call', api.tx.SubtensorModule.start_call({ netuid }));
    assert.equal(await api.query.SubtensorModule.SubtokenEnabled.getValue(netuid), true);

    // Test set-up through sudo: no admin freeze window, no weights rate limit.
    await submit(
      'sudo batch',
      api.tx.Sudo.sudo({
        call: api.tx.Utility.batch_all({
          calls: [
            api.tx.AdminUtils.sudo_set_admin_freeze_window({ window: 0 }).decodedCall,
            api.tx.AdminUtils.sudo_set_weights_set_rate_limit({
              netuid,
              weights_set_rate_limit: 0n,
            }).decodedCall,
          ],
        }).decodedCall,
      }),
    );
    assert.equal(await api.query.SubtensorModule.WeightsSetRateLimit.getValue(netuid), 0n);

    const br = await submit(
      'burned_register',
      api.tx.SubtensorModule.burned_register({ netuid, hotkey: HOT1 }),
    );
    const regd = api.event.SubtensorModule.NeuronRegistered.filter(br.events).map((e) => e.payload);
    assert.deepEqual(regd, [[netuid, 1, HOT1]]);
    assert.equal(await api.query.SubtensorModule.Keys.getValue(netuid, 1), HOT1);
    assert.equal(await api.query.SubtensorModule.Uids.getValue(netuid, HOT1), 1);

    const neurons = await api.apis.NeuronInfoRuntimeApi.get_neurons_lite(netuid);
    const byUid = new Map(neurons.map((n) => [n.uid, n]));
    assert.equal(byUid.get(0)?.hotkey, HOT0);
    assert.equal(byUid.get(1)?.hotkey, HOT1);
    assert.equal(byUid.get(1)?.coldkey, ALICE);
    assert.equal(byUid.get(1)?.netuid, netuid);
  });

  it('adds, removes (with a price limit) and moves stake', async () => {
    const alphaOf = (hk: SS58String) =>
      api.query.SubtensorModule.TotalHotkeyAlpha.getValue(hk, netuid);
    const price = await api.apis.SwapRuntimeApi.current_alpha_price(netuid);
    assert.ok(price > 0n, `alpha price ${price}`);

    await submit(
      'add_stake (Alice)',
      api.tx.SubtensorModule.add_stake({ hotkey: HOT1, netuid, amount_staked: 100n * TAO }),
    );
    const staked = await alphaOf(HOT1);
    assert.ok(staked > 0n, 'TotalHotkeyAlpha after add_stake');
    // A coldkey that does not own the hotkey makes it a delegate (subtensor do_add_stake_limit).
    await submit(
      'add_stake_limit (Bob)',
      api.tx.SubtensorModule.add_stake_limit({
        hotkey: HOT1,
        netuid,
        amount_staked: 10n * TAO,
        limit_price: price * 4n,
        allow_partial: false,
      }),
      bob,
    );
    const withBob = await alphaOf(HOT1);
    assert.ok(withBob > staked);

    const info = await api.apis.StakeInfoRuntimeApi.get_stake_info_for_coldkey(ALICE);
    const mine = info.find((s) => s.hotkey === HOT1 && s.netuid === netuid);
    assert.ok(mine, 'Alice stake on hot1 is listed');
    assert.equal(mine.coldkey, ALICE);
    assert.ok(mine.stake > 0n && mine.stake < withBob, `stake ${mine.stake}`);
    assert.equal(mine.is_registered, true);

    const delegates = await api.apis.DelegateInfoRuntimeApi.get_delegates();
    const d = delegates.find((x) => x.delegate_ss58 === HOT1);
    assert.ok(d, 'hot1 is a delegate after a foreign coldkey staked to it');
    assert.equal(d.owner_ss58, ALICE);
    assert.ok(
      d.nominators.some(([who]) => who === BOB),
      `Bob among nominators: ${json(d.nominators)}`,
    );

    const lp = await api.apis.SwapRuntimeApi.current_alpha_price(netuid);
    const r = await submit(
      'remove_stake_limit',
      api.tx.SubtensorModule.remove_stake_limit({
        hotkey: HOT1,
        netuid,
        amount_unstaked: mine.stake / 4n,
        limit_price: lp / 2n,
        allow_partial: true,
      }),
    );
    assert.equal(
      api.event.SubtensorModule.StakeRemoved.filter(r.events).map((e) => e.payload).length,
      1,
    );
    const afterRemove = await api.apis.StakeInfoRuntimeApi.get_stake_info_for_hotkey_coldkey_netuid(
      HOT1,
      ALICE,
      netuid,
    );
    assert.ok(afterRemove && afterRemove.stake < mine.stake, 'stake decreased');
    assert.ok(afterRemove.stake >= mine.stake - mine.stake / 4n - 1n, 'removed at most a quarter');

    const hot0Before = await alphaOf(HOT0);
    const moved = afterRemove.stake / 2n;
    await submit(
      'move_stake',
      api.tx.SubtensorModule.move_stake({
        origin_hotkey: HOT1,
        destination_hotkey: HOT0,
        origin_netuid: netuid,
        destination_netuid: netuid,
        alpha_amount: moved,
      }),
    );
    const hot0After = await alphaOf(HOT0);
    assert.ok(hot0After > hot0Before, `hot0 alpha ${hot0Before} -> ${hot0After}`);
    const left = await api.apis.StakeInfoRuntimeApi.get_stake_info_for_hotkey_coldkey_netuid(
      HOT1,
      ALICE,
      netuid,
    );
    assert.ok(left && left.stake < afterRemove.stake);
  });

  it('sets weights directly, then through commit and reveal', async () => {
    const sw = await submit(
      'set_weights',
      api.tx.SubtensorModule.set_weights({ netuid, dests: [1], weights: [7], version_key: 0n }),
      hot1,
    );
    assert.deepEqual(
      api.event.SubtensorModule.WeightsSet.filter(sw.events).map((e) => e.payload),
      [[netuid, 1]],
    );
    assert.deepEqual(await api.query.SubtensorModule.Weights.getValue(netuid, 1), [[1, U16_MAX]]);

    // Commit-reveal on, and a short tempo so the reveal epoch comes quickly.
    const sudo = (call: TxCallData) => api.tx.Sudo.sudo({ call });
    await submit(
      'enable commit-reveal',
      sudo(
        api.tx.AdminUtils.sudo_set_commit_reveal_weights_enabled({ netuid, enabled: true })
          .decodedCall,
      ),
    );
    assert.equal(await api.query.SubtensorModule.CommitRevealWeightsEnabled.getValue(netuid), true);
    const tempo = 30;
    await submit(
      'set tempo',
      sudo(api.tx.AdminUtils.sudo_set_tempo({ netuid, tempo }).decodedCall),
    );

    // The subnet owner (uid 0) may weight others without a validator permit.
    const uids = [0, 1];
    const values = [1, 2];
    const salt = [9, 8, 7, 6];
    const versionKey = 0n;
    const hash = Blake2256(
      CommitPreimage.enc([hot0.publicKey, netuid, uids, values, salt, versionKey]),
    );
    const cm = await submit(
      'commit_weights',
      api.tx.SubtensorModule.commit_weights({ netuid, commit_hash: toHex(hash) }),
      hot0,
    );
    const committed = api.event.SubtensorModule.WeightsCommitted.filter(cm.events).map(
      (e) => e.payload,
    );
    assert.deepEqual(committed, [[HOT0, netuid, toHex(hash)]]);
    const commits = await api.query.SubtensorModule.WeightCommits.getValue(netuid, HOT0);
    assert.ok(commits && commits.length === 1, 'one pending commit');
    const [storedHash, commitEpoch] = commits[0] as [string, bigint, bigint, bigint];
    assert.equal(storedHash, toHex(hash));

    // Reveal is accepted only in epoch commitEpoch + RevealPeriodEpochs (1). Poll finalized
    // blocks until the next block's epoch (subtensor's current_epoch_with_lookahead) is that one.
    const period = await api.query.SubtensorModule.RevealPeriodEpochs.getValue(netuid);
    const target = commitEpoch + period;
    const until = Date.now() + DEADLINE_MS;
    let head = await client.getFinalizedBlock();
    for (;;) {
      const at = { at: head.hash };
      const [index, last, t] = await Promise.all([
        api.query.SubtensorModule.SubnetEpochIndex.getValue(netuid, at),
        api.query.SubtensorModule.LastEpochBlock.getValue(netuid, at),
        api.query.SubtensorModule.Tempo.getValue(netuid, at),
      ]);
      const next = BigInt(head.number + 1);
      const epoch = index + (t > 0 && next - last >= BigInt(t) ? 1n : 0n);
      if (epoch === target) break;
      assert.ok(epoch < target, `missed the reveal epoch ${target} (now ${epoch})`);
      assert.ok(Date.now() < until, `reveal epoch ${target} not reached within the deadline`);
      head = await finalizedAfter(head.number);
    }
    const rv = await submit(
      'reveal_weights',
      api.tx.SubtensorModule.reveal_weights({
        netuid,
        uids,
        values,
        salt,
        version_key: versionKey,
      }),
      hot0,
    );
    assert.equal(
      api.event.SubtensorModule.WeightsRevealed.filter(rv.events).map((e) => e.payload).length,
      1,
    );
    assert.deepEqual(await api.query.SubtensorModule.Weights.getValue(netuid, 0), [
      [0, 32_768],
      [1, U16_MAX],
    ]);
    const leftCommits = await api.query.SubtensorModule.WeightCommits.getValue(netuid, HOT0);
    assert.ok(leftCommits === undefined || leftCommits.length === 0, 'commit consumed');
  });

  it('reads the subnet through the subtensor runtime APIs', async () => {
    const dyn = await api.apis.SubnetInfoRuntimeApi.get_dynamic_info(netuid);
    assert.ok(dyn, 'dynamic info exists');
    assert.equal(dyn.netuid, netuid);
    assert.equal(dyn.owner_hotkey, HOT0);
    assert.equal(dyn.owner_coldkey, ALICE);
    assert.equal(dyn.tempo, 30);
    assert.ok(dyn.tao_in > 0n && dyn.alpha_in > 0n);
    assert.equal(await api.apis.SubnetInfoRuntimeApi.get_dynamic_info(999), undefined);

    const hp = await api.apis.SubnetInfoRuntimeApi.get_subnet_hyperparams_v2(netuid);
    assert.ok(hp, 'hyperparams exist');
    assert.equal(hp.tempo, 30);
    assert.equal(hp.commit_reveal_weights_enabled, true);
    assert.equal(hp.weights_rate_limit, 0n);
    assert.equal(hp.registration_allowed, true);

    const neurons = await api.apis.NeuronInfoRuntimeApi.get_neurons_lite(netuid);
    assert.deepEqual(
      neurons.map((n) => n.hotkey),
      [HOT0, HOT1],
    );
    const n0 = neurons[0];
    assert.ok(
      n0?.stake.some(([ck, amt]) => ck === ALICE && amt > 0n),
      'moved stake shows',
    );
  });
});
