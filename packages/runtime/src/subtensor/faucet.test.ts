import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Balances, type RuntimeCall, SubtensorStorage as S, System } from '@taoscript/chain-types';
import { fromHex } from '@taoscript/codec';
import { devKeypair, runtimeHarness } from '@taoscript/testkit';
import { describeDispatchError } from '../dispatch.js';
import { FAUCET_AMOUNT, hashMeetsDifficulty } from './faucet.js';

const alice = devKeypair('Alice');
// Mined offline: with BlockHash = 0x11…11 and Alice's account, nonce 123599 gives this seal, which
// meets difficulty 1,000,000 (its top 20 bits are zero read little-endian).
const NONCE = 123_599n;
const SEAL = fromHex('0xd8aa4d1017219d25723f4abe4b982150d22d62ba4ca491492ee6bc1a59050000');

const faucet = (block_number: bigint, nonce: bigint, work: Uint8Array): RuntimeCall => ({
  type: 'SubtensorModule',
  value: { type: 'faucet', value: { block_number, nonce, work } },
});

/** A harness whose block `n` (two before the next one) has the fixed hash the seal was mined on. */
function setup() {
  const h = runtimeHarness();
  h.block();
  h.block();
  const target = h.number - 1; // the next block is h.number + 1: target is two behind it
  h.edit((ov) => System.BlockHash.set(ov, target, new Uint8Array(32).fill(0x11)));
  return { h, target: BigInt(target) };
}

function outcome(h: ReturnType<typeof runtimeHarness>, call: RuntimeCall): string {
  const { result } = h.run(alice, call);
  assert.ok(result.ok);
  return result.outcome.ok ? 'ok' : describeDispatchError(result.outcome.error);
}

describe('faucet (pow-faucet builds)', () => {
  it('mints 1,000 TAO for a valid seal and records the work', () => {
    const { h, target } = setup();
    const before = h.free(alice.publicKey);
    const issuance = Balances.TotalIssuance.get(h.state);
    const { result, events } = h.run(alice, faucet(target, NONCE, SEAL));
    assert.ok(result.ok && result.outcome.ok);
    // The fee goes to Alice as the author, so her balance rises by exactly the minted amount.
    assert.equal(h.free(alice.publicKey), before + FAUCET_AMOUNT);
    assert.equal(Balances.TotalIssuance.get(h.state), issuance + FAUCET_AMOUNT);
    assert.equal(S.TotalIssuance.get(h.state), Balances.TotalIssuance.get(h.state));
    assert.ok(S.UsedWork.tryGet(h.state, SEAL) !== undefined);
    assert.ok(
      events.some((e) => e.event.type === 'SubtensorModule' && e.event.value.type === 'Faucet'),
    );
  });

  it('refuses stale or future work, weak work and a seal that is not ours', () => {
    const { h, target } = setup();
    const issuance = Balances.TotalIssuance.get(h.state);
    assert.equal(
      outcome(h, faucet(target + 100n, NONCE, SEAL)),
      'SubtensorModule.InvalidWorkBlock',
    );
    assert.equal(outcome(h, faucet(0n, NONCE, SEAL)), 'SubtensorModule.InvalidWorkBlock');
    const weak = new Uint8Array(32).fill(0xff);
    assert.equal(
      outcome(h, faucet(BigInt(h.number - 1), NONCE, weak)),
      'SubtensorModule.InvalidDifficulty',
    );
    const short = SEAL.slice(0, 31);
    assert.equal(
      outcome(h, faucet(BigInt(h.number - 1), NONCE, short)),
      'SubtensorModule.InvalidSeal',
    );
    // Right difficulty, wrong nonce for this block/account.
    assert.equal(
      outcome(h, faucet(BigInt(h.number - 1), NONCE + 1n, SEAL)),
      'SubtensorModule.InvalidSeal',
    );
    assert.equal(Balances.TotalIssuance.get(h.state), issuance);
    assert.ok(hashMeetsDifficulty(SEAL, 1_000_000n));
    assert.ok(!hashMeetsDifficulty(weak, 1_000_000n));
  });
});
