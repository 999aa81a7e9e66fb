/**
 * Property test across the SubtensorModule calls: random sequences of subnet, registration,
 * staking, weight and serving calls from several coldkeys keep TAO conserved, keep
 * SubtensorModule.TotalIssuance equal to Balances', and keep each subnet account holding its pool.
 * (That a failed call leaves no writes is checked call by call in each module's tests, against a
 * scratch block; here every block also runs the per-block hooks, so whole-state equality does not
 * isolate the call.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Balances, type RuntimeCall, SubtensorStorage as S, System } from '@taoscript/chain-types';
import { keypairFromUri } from '@taoscript/crypto';
import { devKeypair, runtimeHarness } from '@taoscript/testkit';
import fc from 'fast-check';
import { subnetAccount } from './pool.js';

const TAO = 1_000_000_000n;
const seed = Number(process.env.FC_SEED ?? 1);
const coldkeys = [devKeypair('Alice'), devKeypair('Bob'), devKeypair('Charlie')];
const hotkeys = coldkeys.flatMap((_c, i) => [
  keypairFromUri(`//Inv${i}//hot0`),
  keypairFromUri(`//Inv${i}//hot1`),
]);
const ACCOUNT_PREFIX = System.Account.prefix;

/** Σ free + reserved over every account, straight from storage. */
function sumBalances(state: { map: Map<string, Uint8Array> }): bigint {
  const prefixHex = Buffer.from(ACCOUNT_PREFIX).toString('hex');
  let total = 0n;
  for (const [k, v] of state.map) {
    if (!k.startsWith(`0x${prefixHex}`)) continue;
    const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
    total += dv.getBigUint64(16, true) + dv.getBigUint64(24, true);
  }
  return total;
}

type Op = { signer: number; call: RuntimeCall };
type Kp = (typeof coldkeys)[0];

const netuidArb = fc.integer({ min: 0, max: 3 });
const hotArb = fc.integer({ min: 0, max: hotkeys.length - 1 });
const amountArb = fc.bigInt({ min: 0n, max: 50n * TAO });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ signer: fc.integer({ min: 0, max: 2 }), h: hotArb }).map(({ signer, h }) => ({
    signer,
    call: {
      type: 'SubtensorModule',
      value: {
        type: 'register_network',
        value: { hotkey: (hotkeys[h] as (typeof coldkeys)[0]).publicKey },
      },
    } as RuntimeCall,
  })),
  fc
    .record({ signer: fc.integer({ min: 0, max: 2 }), netuid: netuidArb })
    .map(({ signer, netuid }) => ({
      signer,
      call: {
        type: 'SubtensorModule',
        value: { type: 'start_call', value: { netuid } },
      } as RuntimeCall,
    })),
  fc
    .record({ signer: fc.integer({ min: 0, max: 2 }), netuid: netuidArb, h: hotArb })
    .map(({ signer, netuid, h }) => ({
      signer,
      call: {
        type: 'SubtensorModule',
        value: {
          type: 'burned_register',
          value: { netuid, hotkey: (hotkeys[h] as (typeof coldkeys)[0]).publicKey },
        },
      } as RuntimeCall,
    })),
  fc
    .record({
      signer: fc.integer({ min: 0, max: 2 }),
      netuid: netuidArb,
      h: hotArb,
      amount: amountArb,
    })
    .map(({ signer, netuid, h, amount }) => ({
      signer,
      call: {
        type: 'SubtensorModule',
        value: {
          type: 'add_stake',
          value: {
            hotkey: (hotkeys[h] as (typeof coldkeys)[0]).publicKey,
            netuid,
            amount_staked: amount,
          },
        },
      } as RuntimeCall,
    })),
  fc
    .record({
      signer: fc.integer({ min: 0, max: 2 }),
      netuid: netuidArb,
      h: hotArb,
      amount: amountArb,
    })
    .map(({ signer, netuid, h, amount }) => ({
      signer,
      call: {
        type: 'SubtensorModule',
        value: {
          type: 'remove_stake',
          value: {
            hotkey: (hotkeys[h] as (typeof coldkeys)[0]).publicKey,
            netuid,
            amount_unstaked: amount,
          },
        },
      } as RuntimeCall,
    })),
  fc
    .record({
      signer: fc.integer({ min: 0, max: 2 }),
      from: netuidArb,
      to: netuidArb,
      h1: hotArb,
      h2: hotArb,
      amount: amountArb,
    })
    .map(({ signer, from, to, h1, h2, amount }) => ({
      signer,
      call: {
        type: 'SubtensorModule',
        value: {
          type: 'move_stake',
          value: {
            origin_hotkey: (hotkeys[h1] as (typeof coldkeys)[0]).publicKey,
            destination_hotkey: (hotkeys[h2] as (typeof coldkeys)[0]).publicKey,
            origin_netuid: from,
            destination_netuid: to,
            alpha_amount: amount,
          },
        },
      } as RuntimeCall,
    })),
  fc
    .record({
      signer: fc.integer({ min: 0, max: 2 }),
      to: fc.integer({ min: 0, max: 2 }),
      netuid: netuidArb,
      h: hotArb,
      amount: amountArb,
    })
    .map(({ signer, to, netuid, h, amount }) => ({
      signer,
      call: {
        type: 'SubtensorModule',
        value: {
          type: 'transfer_stake',
          value: {
            destination_coldkey: (coldkeys[to] as (typeof coldkeys)[0]).publicKey,
            hotkey: (hotkeys[h] as (typeof coldkeys)[0]).publicKey,
            origin_netuid: netuid,
            destination_netuid: netuid,
            alpha_amount: amount,
          },
        },
      } as RuntimeCall,
    })),
  fc
    .record({
      netuid: netuidArb,
      h: hotArb,
      w: fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 3 }),
    })
    .map(({ netuid, h, w }) => ({
      signer: -1 - h, // signed by a hotkey
      call: {
        type: 'SubtensorModule',
        value: {
          type: 'set_weights',
          value: { netuid, dests: w.map((_, i) => i), weights: w, version_key: 0n },
        },
      } as RuntimeCall,
    })),
);

describe('SubtensorModule invariants over random call sequences', () => {
  it('conserve TAO and keep issuances and pools consistent', () => {
    let succeeded = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 5, maxLength: 25 }), (ops) => {
        const h = runtimeHarness({
          balances: [
            ...coldkeys.map((c) => [c.publicKey, 1_000_000n * TAO] as [Uint8Array, bigint]),
            ...hotkeys.map((k) => [k.publicKey, 10n * TAO] as [Uint8Array, bigint]),
          ],
          // Two started subnets, so the random calls have somewhere to land.
          genesis: {
            subtensor: {
              subnets: [
                { coldkey: (coldkeys[0] as Kp).publicKey, hotkey: (hotkeys[0] as Kp).publicKey },
                { coldkey: (coldkeys[1] as Kp).publicKey, hotkey: (hotkeys[2] as Kp).publicKey },
              ],
            },
          },
        });
        for (const op of ops) {
          const signer =
            op.signer >= 0
              ? (coldkeys[op.signer] as (typeof coldkeys)[0])
              : (hotkeys[-1 - op.signer] as (typeof coldkeys)[0]);
          const { result } = h.run(signer, op.call);
          assert.ok(result.ok, 'every generated call is a valid transaction');
          if (result.outcome.ok) succeeded++;
          const issuance = Balances.TotalIssuance.get(h.state);
          assert.equal(sumBalances(h.state), issuance, 'free balances sum to total issuance');
          assert.equal(S.TotalIssuance.get(h.state), issuance, 'SubtensorModule.TotalIssuance');
          for (let netuid = 1; netuid <= 3; netuid++) {
            if (!S.NetworksAdded.get(h.state, netuid)) continue;
            const account = System.Account.get(h.state, subnetAccount(netuid)).data.free;
            assert.ok(
              account >= S.SubnetTAO.get(h.state, netuid),
              `subnet ${netuid} account holds its pool`,
            );
          }
        }
      }),
      { seed, numRuns: 30 },
    );
    // The sequences must exercise real state changes, not only refusals.
    assert.ok(succeeded > 20, `only ${succeeded} calls succeeded`);
  });
});
