// The wasm sr25519 path against @taoscript/crypto's pure-JS one: same key encoding, signatures
// that verify across both, the Python-SDK signature vectors, and the JS fallback.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { sr25519KeypairFromSeed, sr25519Verify as wasmVerify } from '@polkadot/wasm-crypto';
import { fromHex } from '@taoscript/codec';
import {
  devKeypair,
  sr25519Sign as jsSign,
  sr25519Verify as jsVerify,
  keypairFromMnemonic,
  keypairFromSeed,
  keypairFromUri,
  sr25519SecretToCanonical,
} from '@taoscript/crypto';
import fc from 'fast-check';
import { parsePyJson } from '../synapse/py-json.js';
import {
  defaultVerifier,
  requestSignatureMessage,
  responseSignatureMessage,
  signMessage,
  verifyMessage,
} from '../synapse/signature.js';
import {
  createFastVerifier,
  createSr25519Backend,
  fastSigner,
  fastSr25519,
  fastVerifier,
  type WasmSr25519,
} from './sr25519.js';

type Json = Record<string, unknown>;
const vectors = parsePyJson(
  readFileSync(new URL('../../test/vectors/signature_message.json', import.meta.url), 'utf8'),
) as Json;
const FC_SEED = Number(process.env.FC_SEED ?? Date.now());
const fcRun = (numRuns: number) => ({ seed: FC_SEED, numRuns });
const encode = (s: string) => new TextEncoder().encode(s);
const alice = keypairFromUri('//Alice');

/** Runs a fast-check property, printing the seed when it fails. */
function check(property: fc.IProperty<unknown>, numRuns: number): void {
  try {
    fc.assert(property, fcRun(numRuns));
  } catch (err) {
    process.stderr.write(`fast-check failed with FC_SEED=${FC_SEED}\n`);
    throw err;
  }
}

/** A signer with the pair's key material whose own sign() is counted. */
function counted(pair: ReturnType<typeof keypairFromSeed>) {
  let calls = 0;
  return {
    signer: {
      type: pair.type,
      publicKey: pair.publicKey,
      secretKey: pair.secretKey,
      sign: (m: Uint8Array) => {
        calls++;
        return pair.sign(m);
      },
    },
    calls: () => calls,
  };
}

before(async () => {
  assert.equal(await fastSr25519.load(), 'wasm', String(fastSr25519.failure));
});

describe('fast sr25519 (wasm) and @taoscript/crypto agree', () => {
  it('loads once: later load() calls share the first promise', async () => {
    assert.equal(fastSr25519.load(), fastSr25519.load());
    assert.equal(fastSr25519.kind, 'wasm');
    assert.equal(fastSr25519.failure, undefined);
  });

  it('keeps the secret key in the form wasm-crypto expects (scalar·8 ‖ nonce, then the public key)', () => {
    check(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const pair = keypairFromSeed(seed);
        const wasmPair = sr25519KeypairFromSeed(seed);
        assert.deepEqual(wasmPair.subarray(0, 64), pair.secretKey);
        assert.deepEqual(wasmPair.subarray(64), pair.publicKey);
      }),
      20,
    );
  });

  it('wasm signatures verify in JS and JS signatures verify in wasm; other messages do not', () => {
    check(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 300 }),
        (seed, message) => {
          const pair = keypairFromSeed(seed);
          const fromWasm = fastSr25519.sign(pair.publicKey, pair.secretKey, message);
          const fromJs = jsSign(pair.secretKey, message);
          assert.equal(jsVerify(fromWasm, message, pair.publicKey), true);
          assert.equal(fastSr25519.verify(fromJs, message, pair.publicKey), true);
          assert.equal(fastSr25519.verify(fromWasm, message, pair.publicKey), true);
          const other = new Uint8Array([...message, 0]);
          assert.equal(jsVerify(fromWasm, other, pair.publicKey), false);
          assert.equal(fastSr25519.verify(fromJs, other, pair.publicKey), false);
        },
      ),
      15,
    );
  });

  it('gives the JS verifier’s answer on corrupted signatures, keys and messages', () => {
    const pair = keypairFromUri('//Bob');
    const message = encode('1763900000123456789.a.b.c.d');
    const signature = pair.sign(message);
    check(
      fc.property(
        fc.constantFrom('signature', 'publicKey', 'message'),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (what, at, xor) => {
          const sig = signature.slice();
          const pk = pair.publicKey;
          const msg = message.slice();
          const target = what === 'signature' ? sig : what === 'publicKey' ? pk : msg;
          const i = at % target.length;
          target[i] = target[i]! ^ xor;
          assert.equal(fastSr25519.verify(sig, msg, pk), jsVerify(sig, msg, pk));
          assert.equal(fastSr25519.verify(sig, msg, pk), false);
        },
      ),
      40,
    );
    // Garbage of the right sizes is refused, not thrown.
    assert.equal(fastSr25519.verify(new Uint8Array(64), message, pair.publicKey), false);
    assert.equal(fastSr25519.verify(signature, message, new Uint8Array(32).fill(0xff)), false);
  });

  it('the Python SDK’s signature vectors: both signatures, the <Bytes> form, tampered messages', async () => {
    const t = vectors.terminals as Json;
    const d = t.dendrite as Json;
    const a = t.axon as Json;
    const cases = vectors.cases as Json[];
    assert.equal(cases.length, 3);
    for (const c of cases) {
      const message =
        c.kind === 'request'
          ? requestSignatureMessage({
              nonce: BigInt(d.nonce as string),
              dendriteHotkey: d.hotkey_ss58 as string,
              axonHotkey: a.hotkey_ss58 as string,
              uuid: d.uuid as string,
              bodyHash: c.computed_body_hash as string,
            })
          : responseSignatureMessage({
              nonce: BigInt(a.nonce as string),
              dendriteHotkey: d.hotkey_ss58 as string,
              axonHotkey: a.hotkey_ss58 as string,
              uuid: a.uuid as string,
            });
      assert.equal(message, c.message);
      const signer = c.signer_ss58 as string;
      const publicKey = fromHex(c.public_key as string);
      for (const sig of [c.signature, c.signature_alt] as string[]) {
        assert.equal(fastSr25519.verify(fromHex(sig), encode(message), publicKey), true);
        assert.equal(await verifyMessage(sig, message, signer, fastVerifier), true);
      }
      const wrapped = c.signature_over_bytes_wrapped_message as string;
      assert.equal(fastSr25519.verify(fromHex(wrapped), encode(message), publicKey), false);
      assert.equal(await verifyMessage(wrapped, message, signer, fastVerifier), true);
      const tampered = c.tampered_message as string;
      assert.equal(
        await verifyMessage(c.signature as string, tampered, signer, fastVerifier),
        false,
      );

      // Sign the same message with the vector's key, in wasm: the JS verifier accepts it.
      const keys = vectors.keys as Json;
      const pair =
        c.signer === 'dendrite'
          ? keypairFromMnemonic((keys.dendrite_hotkey as Json).mnemonic as string)
          : keypairFromUri((keys.axon_hotkey as Json).uri as string);
      assert.equal(pair.address(), signer);
      const ours = await signMessage(fastSigner(pair), message);
      assert.equal(await verifyMessage(ours, message, signer, defaultVerifier), true);
      assert.equal(wasmVerify(fromHex(ours), encode(message), publicKey), true);
    }
  });
});

describe('fastSigner', () => {
  it('signs a Keypair’s messages in wasm once loaded (its own sign() is not called)', () => {
    const { signer, calls } = counted(devKeypair('Charlie'));
    const s = fastSigner(signer);
    for (let i = 0; i < 3; i++) {
      const m = encode(`m${i}`);
      const sig = s.sign(m) as Uint8Array;
      assert.equal(jsVerify(sig, m, signer.publicKey), true);
    }
    assert.equal(calls(), 0);
  });

  it('falls back to the keypair’s own sign() for keys it cannot use in wasm', () => {
    const pair = keypairFromUri('//Dave');
    const m = encode('hello');
    const cases = [
      // btwallet's canonical secret (scalar ‖ nonce) instead of the ed25519 form.
      { ...counted(pair).signer, secretKey: sr25519SecretToCanonical(pair.secretKey) },
      // A secret that belongs to another public key.
      { ...counted(pair).signer, publicKey: alice.publicKey },
      // ed25519, no key material, wrong sizes.
      { ...counted(pair).signer, type: 'ed25519' },
      { sign: (x: Uint8Array) => pair.sign(x) },
      { ...counted(pair).signer, secretKey: new Uint8Array(32) },
    ];
    for (const c of cases) {
      let calls = 0;
      const own = c.sign;
      const s = fastSigner({
        ...c,
        sign: (x: Uint8Array) => {
          calls++;
          return own(x);
        },
      });
      const sig = s.sign(m) as Uint8Array;
      assert.equal(calls, 1);
      assert.equal(jsVerify(sig, m, pair.publicKey), true);
    }
    // A getter that refuses the secret.
    let calls = 0;
    const guarded = {
      type: 'sr25519',
      publicKey: pair.publicKey,
      get secretKey(): Uint8Array {
        throw new Error('no');
      },
      sign: (x: Uint8Array) => {
        calls++;
        return pair.sign(x);
      },
    };
    assert.equal(jsVerify(fastSigner(guarded).sign(m) as Uint8Array, m, pair.publicKey), true);
    assert.equal(calls, 1);
  });

  it('rejects a signer without sign()', () => {
    for (const bad of [null, undefined, {}, { sign: 1 }]) {
      assert.throws(() => fastSigner(bad as never), TypeError);
    }
  });
});

describe('input checks', () => {
  it('verify/sign/the verifier refuse wrong types (TypeError) and sizes (RangeError)', () => {
    const pk = alice.publicKey;
    const sig = alice.sign(encode('x'));
    const m = encode('x');
    assert.throws(() => fastSr25519.verify('00' as never, m, pk), TypeError);
    assert.throws(() => fastSr25519.verify(sig, [1] as never, pk), TypeError);
    assert.throws(() => fastSr25519.verify(sig, m, null as never), TypeError);
    assert.throws(() => fastSr25519.verify(sig.subarray(1), m, pk), RangeError);
    assert.throws(() => fastSr25519.verify(sig, m, new Uint8Array(33)), RangeError);
    assert.throws(() => fastSr25519.sign(pk, new Uint8Array(63), m), RangeError);
    assert.throws(() => fastSr25519.sign(new Uint8Array(31), alice.secretKey, m), RangeError);
    assert.throws(() => fastSr25519.sign(pk, alice.secretKey, 'x' as never), TypeError);
    assert.throws(() => fastVerifier(sig, m, new Uint8Array(3)), RangeError);
  });
});

describe('falls back to pure JS when the wasm cannot start', () => {
  const good = () => import('@polkadot/wasm-crypto');
  const broken: [string, () => Promise<WasmSr25519>][] = [
    ['the import fails', () => Promise.reject(new Error('no wasm here'))],
    [
      'waitReady() says no',
      async () => ({ ...(await good()), waitReady: () => Promise.resolve(false) }),
    ],
    ['the self-check fails', async () => ({ ...(await good()), sr25519Verify: () => true })],
  ];
  for (const [what, load] of broken) {
    it(`${what}: load() settles on 'js', and sign/verify still work`, async () => {
      const backend = createSr25519Backend(load);
      assert.equal(backend.kind, 'js');
      assert.equal(await backend.load(), 'js');
      assert.equal(backend.kind, 'js');
      assert.ok(backend.failure instanceof Error);
      const pair = keypairFromUri('//Eve');
      const m = encode('fallback');
      const sig = backend.sign(pair.publicKey, pair.secretKey, m);
      assert.equal(jsVerify(sig, m, pair.publicKey), true);
      assert.equal(backend.verify(sig, m, pair.publicKey), true);
      assert.equal(backend.verify(sig, encode('other'), pair.publicKey), false);
      // A signer on this backend keeps using the keypair's own sign().
      const { signer, calls } = counted(pair);
      assert.equal(
        jsVerify(fastSigner(signer, backend).sign(m) as Uint8Array, m, pair.publicKey),
        true,
      );
      assert.equal(calls(), 1);
      // The <Bytes> fallback of the verifier works on the JS path too.
      const wrapped = pair.sign(encode(`<Bytes>fallback</Bytes>`));
      assert.equal(createFastVerifier(backend)(wrapped, m, pair.publicKey), true);
    });
  }

  it('before load() a backend answers in JS, then switches to wasm', async () => {
    const backend = createSr25519Backend();
    const pair = keypairFromUri('//Ferdie');
    const { signer, calls } = counted(pair);
    const s = fastSigner(signer, backend);
    const m = encode('early');
    assert.equal(backend.kind, 'js');
    assert.equal(backend.verify(pair.sign(m), m, pair.publicKey), true);
    assert.equal(jsVerify(s.sign(m) as Uint8Array, m, pair.publicKey), true);
    assert.equal(calls(), 1);
    assert.equal(await backend.load(), 'wasm');
    assert.equal(jsVerify(s.sign(m) as Uint8Array, m, pair.publicKey), true);
    assert.equal(calls(), 1);
  });
});
