import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { SubtensorStorage as S, type SubtensorCall } from '@taoscript/chain-types';
import { fromHex, toHex } from '@taoscript/codec';
import type { RuntimeHarness } from '@taoscript/testkit';
import {
  ALICE,
  bob,
  callHandler,
  charlie,
  dave,
  dispatchAt,
  dispatchError,
  dispatchOk,
  genesisSubnets,
  handlerRejects,
  handlerSucceeds,
  ownHotkeys,
  sub,
  submitFails,
} from '../../test/subtensor-fixtures.js';
import { EVM_KEY_ASSOCIATE_RATE_LIMIT, hashMessageEip191 } from './evm.js';

const BOB = bob.publicKey;
const NOW = 10_000;
/** An EVM account: a fixed secp256k1 secret, its address derived independently of the runtime. */
const EVM_SECRET = fromHex('0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318');
const EVM_ADDRESS = keccak_256(secp256k1.getPublicKey(EVM_SECRET, false).subarray(1)).slice(12);

/** The EIP-191 digest of hotkey ‖ keccak256(u64_le(block)), built by hand. */
function digest(hotkey: Uint8Array, block: bigint): Uint8Array {
  const le = new Uint8Array(8);
  new DataView(le.buffer).setBigUint64(0, block, true);
  const message = new Uint8Array([...hotkey, ...keccak_256(le)]);
  const prefix = new TextEncoder().encode(`\x19Ethereum Signed Message:\n${message.length}`);
  return keccak_256(new Uint8Array([...prefix, ...message]));
}

/**
 * r ‖ s ‖ v signature of the association message by `secret`, v offset by `vBase` (0 or 27).
 * Works with noble-curves 1.x (signature object) and 2.x (recovered bytes, v first), whichever the
 * workspace hoists.
 */
function sign(hotkey: Uint8Array, block: bigint, secret = EVM_SECRET, vBase = 0): Uint8Array {
  const out: unknown = secp256k1.sign(digest(hotkey, block), secret, {
    prehash: false,
    format: 'recovered',
  } as Parameters<typeof secp256k1.sign>[2]);
  if (out instanceof Uint8Array)
    return new Uint8Array([...out.subarray(1), (out[0] as number) + vBase]);
  const { r, s, recovery } = out as { r: bigint; s: bigint; recovery: number };
  const be = (x: bigint) => fromHex(x.toString(16).padStart(64, '0'));
  return new Uint8Array([...be(r), ...be(s), recovery + vBase]);
}

function call(o: Partial<Extract<SubtensorCall, { type: 'associate_evm_key' }>['value']> = {}) {
  const block_number = o.block_number ?? 42n;
  return {
    type: 'associate_evm_key' as const,
    value: {
      netuid: 1,
      evm_key: EVM_ADDRESS,
      block_number,
      signature: sign(BOB, block_number),
      ...o,
    },
  };
}

/** Netuid 1 with Bob's hotkey (owned by Alice) as uid 0. */
function setup(): RuntimeHarness {
  const h = genesisSubnets(BOB);
  assert.equal(S.Uids.tryGet(h.state, 1, BOB), 0);
  assert.ok(toHex(S.Owner.get(h.state, BOB)) === toHex(ALICE));
  return h;
}

describe('associate_evm_key', () => {
  it('hashes the message as EIP-191 personal_sign', () => {
    const msg = new TextEncoder().encode('hello');
    // eth_sign("hello") digest, well known.
    assert.equal(
      toHex(hashMessageEip191(msg)),
      '0x50b2c43fd39106bafbba0da34fc430e1f91e3c96ea2acee2bc34119f92b37750',
    );
  });

  it('stores (evm_key, now) against the uid and emits EvmKeyAssociated', () => {
    const h = setup();
    const events = handlerSucceeds(h, BOB, call(), NOW);
    assert.deepEqual(events, [
      {
        type: 'EvmKeyAssociated',
        value: { netuid: 1, hotkey: BOB, evm_key: EVM_ADDRESS, block_associated: BigInt(NOW) },
      },
    ]);
    assert.deepEqual(S.AssociatedEvmAddress.tryGet(h.state, 1, 0), [EVM_ADDRESS, BigInt(NOW)]);
  });

  it('goes through runtime dispatch (signed origin, no other writes)', () => {
    const h = setup();
    const r = dispatchOk(dispatchAt(h, { type: 'Signed', who: BOB }, sub(call()), NOW));
    assert.equal(r.changes.size, 1);
    assert.deepEqual(S.AssociatedEvmAddress.tryGet(h.state, 1, 0), [EVM_ADDRESS, BigInt(NOW)]);
  });

  it('accepts v = 27 / 28 as well as 0 / 1, and any block number in the message', () => {
    for (const [block, vBase] of [
      [0n, 27],
      [1n, 27],
      [(1n << 64n) - 1n, 27],
      [7n, 0],
      [8n, 0],
    ] as const) {
      const h = setup();
      const sig = sign(BOB, block, EVM_SECRET, vBase);
      handlerSucceeds(h, BOB, call({ block_number: block, signature: sig }), NOW);
      assert.deepEqual(S.AssociatedEvmAddress.tryGet(h.state, 1, 0), [EVM_ADDRESS, BigInt(NOW)]);
    }
  });

  it('rejects a hotkey without an owning coldkey: NonAssociatedColdKey', () => {
    const h = setup();
    const c = call({ signature: sign(charlie.publicKey, 42n) });
    handlerRejects(h, charlie.publicKey, c, 'SubtensorModule.NonAssociatedColdKey', NOW);
    // Checked before the uid lookup and everything else.
    handlerRejects(
      h,
      charlie.publicKey,
      call({ netuid: 9, signature: new Uint8Array(65) }),
      'SubtensorModule.NonAssociatedColdKey',
      NOW,
    );
  });

  it('rejects an owned hotkey not registered on the subnet: HotKeyNotRegisteredInSubNet', () => {
    const h = setup();
    ownHotkeys(h, [[dave.publicKey, ALICE]]);
    const c = call({ signature: sign(dave.publicKey, 42n) });
    handlerRejects(h, dave.publicKey, c, 'SubtensorModule.HotKeyNotRegisteredInSubNet', NOW);
    // Unknown netuid: the same error (upstream checks only Uids).
    handlerRejects(h, BOB, call({ netuid: 7 }), 'SubtensorModule.HotKeyNotRegisteredInSubNet', NOW);
  });

  it('rate-limits per uid, counting from block 0 when never associated', () => {
    const h = setup();
    const limit = Number(EVM_KEY_ASSOCIATE_RATE_LIMIT);
    assert.equal(limit, 7200);
    const e = 'SubtensorModule.EvmKeyAssociateRateLimitExceeded';
    handlerRejects(h, BOB, call(), e, limit - 1);
    // The rate limit is checked before the signature.
    handlerRejects(h, BOB, call({ signature: new Uint8Array(65) }), e, limit - 1);
    handlerSucceeds(h, BOB, call(), limit);
    handlerRejects(h, BOB, call(), e, 2 * limit - 1);
    handlerSucceeds(h, BOB, call({ block_number: 5n, signature: sign(BOB, 5n) }), 2 * limit);
    assert.deepEqual(S.AssociatedEvmAddress.tryGet(h.state, 1, 0), [
      EVM_ADDRESS,
      BigInt(2 * limit),
    ]);
  });

  it('rejects unrecoverable signatures: InvalidIdentity', () => {
    const h = setup();
    const good = sign(BOB, 42n);
    const e = 'SubtensorModule.InvalidIdentity';
    handlerRejects(h, BOB, call({ signature: new Uint8Array(65) }), e, NOW);
    for (const v of [2, 4, 26, 31, 255]) {
      const bad = good.slice();
      bad[64] = v;
      handlerRejects(h, BOB, call({ signature: bad }), e, NOW);
    }
    const sOverflow = good.slice();
    sOverflow.fill(0xff, 32, 64);
    handlerRejects(h, BOB, call({ signature: sOverflow }), e, NOW);
  });

  it('rejects a signature by another key or over another message: InvalidRecoveredPublicKey', () => {
    const h = setup();
    const e = 'SubtensorModule.InvalidRecoveredPublicKey';
    // Signed over a different block number than the one passed.
    handlerRejects(h, BOB, call({ block_number: 43n, signature: sign(BOB, 42n) }), e, NOW);
    // Signed for a different hotkey.
    handlerRejects(h, BOB, call({ signature: sign(dave.publicKey, 42n) }), e, NOW);
    // Signed by another EVM key.
    const other = new Uint8Array(32).fill(0x11);
    handlerRejects(h, BOB, call({ signature: sign(BOB, 42n, other) }), e, NOW);
    // Flipped parity recovers another key.
    const flipped = sign(BOB, 42n);
    flipped[64] = (flipped[64] as number) ^ 1;
    handlerRejects(h, BOB, call({ signature: flipped }), e, NOW);
    // Tampered r.
    const tampered = sign(BOB, 42n);
    tampered[3] = (tampered[3] as number) ^ 0x40;
    const r = callHandler(h, BOB, call({ signature: tampered }), NOW);
    assert.ok(
      r.error === e || r.error === 'SubtensorModule.InvalidIdentity',
      `tampered r: ${r.error}`,
    );
  });

  it('rejects a wrong evm_key: InvalidRecoveredPublicKey', () => {
    const h = setup();
    const wrong = EVM_ADDRESS.slice();
    wrong[19] = (wrong[19] as number) ^ 1;
    const e = 'SubtensorModule.InvalidRecoveredPublicKey';
    handlerRejects(h, BOB, call({ evm_key: wrong }), e, NOW);
    handlerRejects(h, BOB, call({ evm_key: new Uint8Array(20) }), e, NOW);
  });

  it('rejects non-signed origins', () => {
    const h = setup();
    handlerRejects(h, 'root', call(), 'BadOrigin', NOW);
    handlerRejects(h, 'none', call(), 'BadOrigin', NOW);
    assert.equal(dispatchError(dispatchAt(h, { type: 'Root' }, sub(call()), NOW)), 'BadOrigin');
  });

  it('fails through a signed extrinsic without touching state (rate limit at a low block)', () => {
    const h = setup();
    submitFails(h, bob, sub(call()), 'SubtensorModule.EvmKeyAssociateRateLimitExceeded');
  });

  it('rejects malformed arguments', () => {
    const h = setup();
    const bad = (o: Record<string, unknown>) =>
      callHandler(h, BOB, { ...call(), value: { ...call().value, ...o } } as SubtensorCall, NOW);
    assert.throws(() => bad({ evm_key: new Uint8Array(19) }), RangeError);
    assert.throws(() => bad({ evm_key: new Uint8Array(32) }), RangeError);
    assert.throws(() => bad({ evm_key: '0x00' }), TypeError);
    assert.throws(() => bad({ signature: new Uint8Array(64) }), RangeError);
    assert.throws(() => bad({ signature: new Uint8Array(66) }), RangeError);
    assert.throws(() => bad({ block_number: 1 }), TypeError);
    assert.throws(() => bad({ block_number: 1n << 64n }), RangeError);
    assert.throws(() => bad({ netuid: 70_000 }), RangeError);
    assert.equal(S.AssociatedEvmAddress.tryGet(h.state, 1, 0), undefined);
  });
});
