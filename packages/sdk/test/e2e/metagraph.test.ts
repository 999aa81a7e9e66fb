import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type AnyShape,
  type Metagraph as MetagraphInfo,
  type NeuronInfo,
  type RuntimeCall,
  subtensorRuntimeApis,
} from '@taoscript/chain-types';
import {
  blake2_256,
  decodeExact,
  fromHex,
  type HexString,
  ss58Encode,
  toHex,
} from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import { rpcCall } from '@taoscript/testkit';
import { formatIp } from '../../src/client/index.js';
import { Metagraph, syncMetagraph } from '../../src/metagraph/index.js';
import {
  admin,
  alice,
  assertOk,
  type Env,
  replacer,
  runEpoch,
  startEnv,
  sudo,
  TAO,
} from './helpers.js';

const NETUID = 1;
const N = 256;
const validators = [0, 1, 2, 3].map((i) => keypairFromUri(`//SdkMgValidator${i}`));
/** Hotkeys nobody signs with: public keys are enough to register them. */
const filler = Array.from({ length: N - 1 - validators.length }, (_, i) =>
  blake2_256(new TextEncoder().encode(`sdk-metagraph-filler-${i}`)),
);

const call = (pallet: string, name: string, value: unknown) =>
  ({ type: pallet, value: { type: name, value } }) as unknown as RuntimeCall;
const batchAll = (calls: RuntimeCall[]) => call('Utility', 'batch_all', { calls });

/** A runtime API result straight from `state_call` (no SDK client involved). */
async function stateCall<T>(
  env: Env,
  api: string,
  method: string,
  args: Uint8Array,
  at: HexString,
) {
  const def = subtensorRuntimeApis()
    .find((a) => a.name === api)
    ?.methods.find((m) => m.name === method);
  assert.ok(def);
  const r = await rpcCall(env.node.httpUrl, 'state_call', [`${api}_${method}`, toHex(args), at]);
  assert.equal(r.error, undefined, JSON.stringify(r.error));
  return decodeExact((def.output as AnyShape).codec, fromHex(r.result as string), method) as T;
}

const u16le = (n: number) => new Uint8Array([n & 0xff, n >> 8]);

describe('metagraph of a 256-uid subnet against the runtime APIs', () => {
  let env: Env;
  let uidOf: Map<string, number>;
  before(async () => {
    env = await startEnv(1);
    const { client } = env;
    await sudo(client, admin('sudo_set_admin_freeze_window', { window: 0 }));
    await sudo(
      client,
      batchAll([
        admin('sudo_set_max_allowed_uids', { netuid: NETUID, max_allowed_uids: N }),
        admin('sudo_set_weights_set_rate_limit', { netuid: NETUID, weights_set_rate_limit: 0n }),
        admin('sudo_set_tempo', { netuid: NETUID, tempo: 10 }),
      ]),
    );
    // Fund the validators, then register everyone from Alice in batches.
    assertOk(
      'fund',
      await client.submit({
        signer: alice,
        call: batchAll(
          validators.map((v) =>
            call('Balances', 'transfer_keep_alive', {
              dest: { type: 'Id', value: v.publicKey },
              value: 100n * TAO,
            }),
          ),
        ),
      }),
    );
    const hotkeys = [...validators.map((v) => v.publicKey), ...filler];
    for (let i = 0; i < hotkeys.length; i += 64) {
      const regs = hotkeys
        .slice(i, i + 64)
        .map((hotkey) => call('SubtensorModule', 'burned_register', { netuid: NETUID, hotkey }));
      assertOk('register batch', await client.submit({ signer: alice, call: batchAll(regs) }));
    }
    assert.equal(await client.getSubnetworkN(NETUID), N);
    uidOf = new Map();
    for (const v of validators)
      uidOf.set(v.address(), (await client.getUidForHotkey(NETUID, v.publicKey)) as number);

    // Stake behind the validators, serve two axons, and let an epoch hand out permits.
    assertOk(
      'stake',
      await client.submit({
        signer: alice,
        call: batchAll(
          validators.map((v, i) =>
            call('SubtensorModule', 'add_stake', {
              hotkey: v.publicKey,
              netuid: NETUID,
              amount_staked: BigInt(100 * (i + 1)) * TAO,
            }),
          ),
        ),
      }),
    );
    for (const [i, v] of validators.slice(0, 2).entries())
      assertOk(
        'serve',
        (await client.serveAxon({
          signer: v,
          netuid: NETUID,
          ip: i === 0 ? '10.0.0.1' : '2001:db8::7',
          port: 9000 + i,
        })) as never,
      );
    await runEpoch(env, NETUID);
    // The validators weight overlapping sets of uids (so consensus and bonds form), then two
    // epochs score them.
    for (const [i, v] of validators.entries()) {
      const uids = Array.from({ length: 40 }, (_, k) => (k * 6 + 1) % N);
      const weights = uids.map((_, k) => ((k + i) % 7) + 1);
      const r = await client.setWeights({
        signer: v,
        netuid: NETUID,
        uids,
        weights,
        versionKey: 0n,
      });
      assertOk(`set_weights ${i}`, r);
    }
    await runEpoch(env, NETUID);
    await runEpoch(env, NETUID);
    // No more epochs while the tests compare.
    await sudo(client, admin('sudo_set_tempo', { netuid: NETUID, tempo: 10_000 }));
  });
  after(async () => {
    await env?.close();
  });

  it('a full sync equals, field by field, what the runtime APIs report at that block', async () => {
    const t0 = performance.now();
    const mg = await new Metagraph(env.client, NETUID, { lite: false }).sync();
    const ms = performance.now() - t0;
    const at = mg.blockHash as HexString;
    const [info, neurons] = await Promise.all([
      stateCall<MetagraphInfo | undefined>(
        env,
        'SubnetInfoRuntimeApi',
        'get_metagraph',
        u16le(NETUID),
        at,
      ),
      stateCall<NeuronInfo[]>(env, 'NeuronInfoRuntimeApi', 'get_neurons', u16le(NETUID), at),
    ]);
    assert.ok(info);
    assert.equal(mg.n, N);
    assert.equal(neurons.length, N);
    assert.deepEqual(mg.info, info);
    assert.deepEqual(
      mg.uids,
      Array.from({ length: N }, (_, i) => i),
    );
    const byUid = new Map(neurons.map((x) => [x.uid, x]));
    const ss58 = (k: Uint8Array) => ss58Encode(k, 42);
    for (let uid = 0; uid < N; uid++) {
      const nr = byUid.get(uid);
      assert.ok(nr, `neuron ${uid}`);
      const ctx = `uid ${uid}`;
      assert.equal(mg.hotkeys[uid], ss58(info.hotkeys[uid] as Uint8Array), ctx);
      assert.equal(mg.hotkeys[uid], ss58(nr.hotkey), ctx);
      assert.equal(mg.coldkeys[uid], ss58(info.coldkeys[uid] as Uint8Array), ctx);
      assert.equal(mg.coldkeys[uid], ss58(nr.coldkey), ctx);
      assert.equal(mg.active[uid], info.active[uid], ctx);
      assert.equal(mg.validatorPermit[uid], info.validator_permit[uid], ctx);
      assert.equal(mg.validatorPermit[uid], nr.validator_permit, ctx);
      assert.equal(mg.lastUpdate[uid], info.last_update[uid], ctx);
      assert.equal(mg.lastUpdate[uid], nr.last_update, ctx);
      assert.equal(mg.blockAtRegistration[uid], info.block_at_registration[uid], ctx);
      assert.equal(mg.pruningScore[uid], info.pruning_score[uid], ctx);
      assert.equal(mg.consensusU16[uid], info.consensus[uid], ctx);
      assert.equal(mg.incentiveU16[uid], info.incentives[uid], ctx);
      assert.equal(mg.dividendsU16[uid], info.dividends[uid], ctx);
      assert.equal(mg.trustU16[uid], info.trust[uid], ctx);
      assert.equal(mg.rankU16[uid], info.rank[uid], ctx);
      assert.equal(mg.validatorTrustU16[uid], nr.validator_trust, ctx);
      assert.equal(mg.emissionRao[uid], info.emission[uid], ctx);
      assert.equal(mg.alphaStakeRao[uid], info.alpha_stake[uid], ctx);
      assert.equal(mg.taoStakeRao[uid], info.tao_stake[uid], ctx);
      assert.equal(mg.totalStakeRao[uid], info.total_stake[uid], ctx);
      const f = (x: number) => Math.fround(x);
      assert.equal(mg.S[uid], f(Number(info.total_stake[uid]) / 1e9), ctx);
      assert.equal(mg.AS[uid], f(Number(info.alpha_stake[uid]) / 1e9), ctx);
      assert.equal(mg.TS[uid], f(Number(info.tao_stake[uid]) / 1e9), ctx);
      assert.equal(mg.E[uid], f(Number(info.emission[uid]) / 1e9), ctx);
      assert.equal(mg.C[uid], f((info.consensus[uid] as number) / 65_535), ctx);
      assert.equal(mg.I[uid], f((info.incentives[uid] as number) / 65_535), ctx);
      assert.equal(mg.D[uid], f((info.dividends[uid] as number) / 65_535), ctx);
      assert.equal(mg.Tv[uid], f(nr.validator_trust / 65_535), ctx);
      const axon: MetagraphInfo['axons'][number] | undefined = info.axons[uid];
      assert.ok(axon);
      assert.deepEqual(mg.axons[uid]?.raw, axon, ctx);
      assert.equal(mg.axons[uid]?.ip, formatIp(axon.ip, axon.ip_type), ctx);
      assert.equal(mg.axons[uid]?.port, axon.port, ctx);
      assert.equal(mg.axons[uid]?.hotkey, mg.hotkeys[uid], ctx);
      assert.deepEqual(mg.neurons[uid], nr, ctx);
      assert.deepEqual(mg.weightRows[uid], nr.weights, ctx);
      assert.deepEqual(mg.bondRows[uid], nr.bonds, ctx);
      const w = new Float64Array(N);
      for (const [j, v] of nr.weights) w[j] = v;
      const sum = w.reduce((a, b) => a + b, 0);
      for (let j = 0; j < N; j++) {
        assert.equal(mg.W[uid]?.[j], f(sum === 0 ? 0 : (w[j] as number) / sum), `${ctx} W ${j}`);
      }
      const b = new Float32Array(N);
      for (const [j, v] of nr.bonds) b[j] = v;
      assert.deepEqual(mg.B[uid], b, ctx);
      const look = mg.lookup(mg.hotkeys[uid] as string);
      assert.deepEqual(look, {
        uid,
        validatorPermit: info.validator_permit[uid],
        stake: info.total_stake[uid],
      });
    }
    // The data is not trivially empty: the epochs ran on real weights and stake.
    const v0 = uidOf.get(validators[0]?.address() as string) as number;
    assert.ok(mg.validatorPermit[v0], 'validator 0 has a permit');
    assert.ok((mg.weightRows[v0]?.length ?? 0) >= 30, 'validator 0 weights');
    assert.ok(
      mg.bondRows.some((r) => r.length > 0),
      'some bonds',
    );
    assert.ok(
      mg.incentiveU16.some((x) => x > 0),
      'some incentive',
    );
    assert.ok(
      mg.dividendsU16.some((x) => x > 0),
      'some dividends',
    );
    assert.ok(
      mg.totalStakeRao.some((x) => x > 0n),
      'some stake',
    );
    assert.equal(mg.axons[v0]?.ip, '10.0.0.1');
    assert.equal(
      mg.axons[uidOf.get(validators[1]?.address() as string) as number]?.ip,
      '2001:db8::7',
    );
    assert.ok(mg.axons.filter((a) => a.isServing).length >= 2);
    process.stdout.write(`# full sync of ${N} uids: ${ms.toFixed(1)} ms\n`);

    // A lite sync at the same block has the same vectors and no matrices.
    const lite = await syncMetagraph(env.client, NETUID, { at });
    assert.equal(lite.block, mg.block);
    for (const k of [
      'hotkeys',
      'coldkeys',
      'totalStakeRao',
      'incentiveU16',
      'validatorTrustU16',
    ] as const)
      assert.deepEqual(lite[k], mg[k], k);
    assert.deepEqual(lite.axons, mg.axons);
    assert.deepEqual(lite.W, []);
    assert.equal(JSON.stringify(lite.info, replacer), JSON.stringify(mg.info, replacer));
  });

  it('resyncs incrementally: unchanged block, then only the weight row that moved', async () => {
    const { client } = env;
    const mg = await new Metagraph(client, NETUID, { lite: false }).sync();
    assert.deepEqual(await mg.resync(), {
      block: mg.block,
      unchanged: true,
      refreshed: 'none',
      changedUids: [],
    });
    const v = validators[2];
    assert.ok(v);
    const uid = uidOf.get(v.address()) as number;
    const r = await client.setWeights({
      signer: v,
      netuid: NETUID,
      uids: [1, 2, 3],
      weights: [3, 2, 1],
      versionKey: 0n,
    });
    assertOk('set_weights', r);
    const report = await mg.resync();
    assert.equal(report.unchanged, false);
    assert.equal(report.refreshed, 'rows');
    assert.deepEqual(report.changedUids, [uid]);
    assert.equal(mg.block, r.blockNumber);
    assert.deepEqual(mg.weightRows[uid], [
      [1, 65_535],
      [2, 43_690],
      [3, 21_845],
    ]);
    // The incremental result equals a fresh full sync at the same block.
    const fresh = await new Metagraph(client, NETUID, { lite: false }).sync({
      at: mg.blockHash as HexString,
    });
    for (const k of [
      'hotkeys',
      'lastUpdate',
      'weightRows',
      'bondRows',
      'W',
      'B',
      'S',
      'validatorTrustU16',
      'axons',
      'neurons',
    ] as const)
      assert.deepEqual(mg[k], fresh[k], k);
    assert.deepEqual(mg.info, fresh.info);
  });
});
