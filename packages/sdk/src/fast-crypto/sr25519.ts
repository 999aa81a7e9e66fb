import { fromHex } from '@taoscript/codec';
import {
  sr25519Sign as jsSign,
  sr25519Verify as jsVerify,
  sr25519PublicFromSecret,
} from '@taoscript/crypto';
import type { MessageSigner, SignatureVerifier } from '../synapse/signature.js';

/** The part of `@polkadot/wasm-crypto` this module uses. */
export interface WasmSr25519 {
  waitReady(): Promise<boolean>;
  sr25519Sign(publicKey: Uint8Array, secretKey: Uint8Array, message: Uint8Array): Uint8Array;
  sr25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

/** Which implementation an {@link Sr25519Backend} currently runs. */
export type Sr25519BackendKind = 'wasm' | 'js';

/**
 * sr25519 sign/verify that runs schnorrkel compiled to wasm once it has loaded, and the pure-JS
 * `@taoscript/crypto` before that or when the wasm cannot be loaded. Both give the same answers.
 */
export interface Sr25519Backend {
  /** `'wasm'` once loaded and self-checked, `'js'` before that or after a failed load. */
  readonly kind: Sr25519BackendKind;
  /** Why the wasm is not in use after {@link Sr25519Backend.load} settled on `'js'`. */
  readonly failure: unknown;
  /** Loads the wasm once (later calls share the first promise); never rejects. */
  load(): Promise<Sr25519BackendKind>;
  /** Verifies `signature` over `message` by `publicKey`; false for any well-typed invalid input. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /** Signs with a 64-byte secret key in the ed25519 form (scalar·8 ‖ nonce, as @taoscript/crypto keeps it). */
  sign(publicKey: Uint8Array, secretKey: Uint8Array, message: Uint8Array): Uint8Array;
}

function assertBytes(value: unknown, length: number | undefined, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${name} must be ${length} bytes, got ${value.length}`);
  }
  return value;
}

/**
 * A Python-SDK request signature (test/vectors/signature_message.json, request_Dummy): a wasm
 * verifier must accept it and reject it over a changed message before it is trusted.
 */
export const CHECK = {
  message: new TextEncoder().encode(
    '1763900000123456789.5EHgWw2Af1pnoc7f1A8bfmM97W3DAYW8xr82RfhLL9oAabAe.5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY.6f1c2a3e-c8b1-11f0-9d2e-0242ac120002.a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a',
  ),
  publicKey: fromHex('0x625e25364c7b68e0a83065ccb40afed43f8fe933e669b24f3d69a57eddb3b715'),
  signature: fromHex(
    '0xea401c2a1d4a11caa2d0d313f198a43934cf8973c6c3461d6d7a104cbe797b7399a013eae64a02bdbb1927a810daadaacbcf7f3140cb7faa238c67ad29e7de84',
  ),
};

function selfCheck(wasm: WasmSr25519): void {
  const { message, publicKey, signature } = CHECK;
  if (!wasm.sr25519Verify(signature, message, publicKey)) {
    throw new Error('wasm sr25519 rejected a known-good signature');
  }
  const changed = message.slice();
  changed[0] = changed[0]! ^ 1;
  if (wasm.sr25519Verify(signature, changed, publicKey)) {
    throw new Error('wasm sr25519 accepted a signature over another message');
  }
}

/**
 * A backend that loads its wasm with `load` (default: `import('@polkadot/wasm-crypto')`).
 * @example
 * import { createSr25519Backend } from '@taoscript/sdk';
 * const backend = createSr25519Backend();
 * await backend.load(); // 'wasm' (or 'js' if the wasm could not start)
 */
export function createSr25519Backend(
  load: () => Promise<WasmSr25519> = () => import('@polkadot/wasm-crypto'),
): Sr25519Backend {
  let wasm: WasmSr25519 | undefined;
  let loading: Promise<Sr25519BackendKind> | undefined;
  let failure: unknown;
  return {
    get kind() {
      return wasm === undefined ? 'js' : 'wasm';
    },
    get failure() {
      return failure;
    },
    load() {
      loading ??= (async () => {
        try {
          const mod = await load();
          if (!(await mod.waitReady())) throw new Error('@polkadot/wasm-crypto did not initialise');
          selfCheck(mod);
          wasm = mod;
          return 'wasm' as const;
        } catch (err) {
          failure = err;
          return 'js' as const;
        }
      })();
      return loading;
    },
    verify(signature, message, publicKey) {
      assertBytes(signature, 64, 'sr25519 signature');
      assertBytes(message, undefined, 'message');
      assertBytes(publicKey, 32, 'sr25519 publicKey');
      if (wasm === undefined) return jsVerify(signature, message, publicKey);
      try {
        return wasm.sr25519Verify(signature, message, publicKey);
      } catch {
        return false;
      }
    },
    sign(publicKey, secretKey, message) {
      assertBytes(publicKey, 32, 'sr25519 publicKey');
      assertBytes(secretKey, 64, 'sr25519 secretKey');
      assertBytes(message, undefined, 'message');
      // The JS signer derives the public half itself; the wasm one trusts `publicKey` (callers
      // check the pair first, see `fastSigner`).
      return wasm === undefined
        ? jsSign(secretKey, message)
        : wasm.sr25519Sign(publicKey, secretKey, message);
    },
  };
}

/**
 * The SDK's shared sr25519 backend: the axon verifies and the dendrite signs with it by default.
 * @example
 * import { fastSr25519 } from '@taoscript/sdk';
 * await fastSr25519.load();
 * fastSr25519.kind; // 'wasm'
 */
export const fastSr25519: Sr25519Backend = createSr25519Backend();

const BYTES_OPEN = new TextEncoder().encode('<Bytes>');
const BYTES_CLOSE = new TextEncoder().encode('</Bytes>');

function wrapBytes(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(BYTES_OPEN.length + message.length + BYTES_CLOSE.length);
  out.set(BYTES_OPEN, 0);
  out.set(message, BYTES_OPEN.length);
  out.set(BYTES_CLOSE, BYTES_OPEN.length + message.length);
  return out;
}

/**
 * btwallet's `Keypair.verify` on `backend`: sr25519 over the raw message, then over
 * `<Bytes>…</Bytes>` (the same answers as the sdk's `defaultVerifier`).
 * @example
 * import { createFastVerifier, fastSr25519 } from '@taoscript/sdk';
 * const verify = createFastVerifier(fastSr25519);
 */
export function createFastVerifier(backend: Sr25519Backend): SignatureVerifier {
  return (signature, message, publicKey) =>
    backend.verify(signature, message, publicKey) ||
    backend.verify(signature, wrapBytes(message), publicKey);
}

/**
 * The axon's default verifier: {@link createFastVerifier} on {@link fastSr25519} (wasm once loaded).
 * @example
 * import { fastVerifier } from '@taoscript/sdk';
 * new Axon({ keypair, verifier: fastVerifier, allowUnregistered: true }); // the default anyway
 */
export const fastVerifier: SignatureVerifier = createFastVerifier(fastSr25519);

/** A signer that may carry its sr25519 key material (a `Keypair` from @taoscript/crypto does). */
export interface KeyedSigner extends MessageSigner {
  type?: string;
  publicKey?: Uint8Array;
  secretKey?: Uint8Array;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const PROBE = new TextEncoder().encode('taoscript fast-crypto probe');

/**
 * Signs with `backend` using the sr25519 key of `keypair` when it exposes one (`type` 'sr25519',
 * a 32-byte `publicKey` and the 64-byte ed25519-form `secretKey` that derives it); otherwise,
 * and until the wasm has loaded, with `keypair.sign`.
 * @example
 * import { keypairFromUri } from '@taoscript/crypto';
 * import { fastSigner, fastSr25519 } from '@taoscript/sdk';
 * await fastSr25519.load();
 * const signer = fastSigner(keypairFromUri('//Bob'));
 * signer.sign(new Uint8Array([1])); // 64 bytes, signed in wasm
 */
export function fastSigner(
  keypair: KeyedSigner,
  backend: Sr25519Backend = fastSr25519,
): MessageSigner {
  if (typeof keypair?.sign !== 'function') throw new TypeError('fastSigner: keypair has no sign()');
  let publicKey: Uint8Array | undefined;
  let secretKey: Uint8Array | undefined;
  try {
    if (keypair.type === 'sr25519') {
      const pk = keypair.publicKey;
      const sk = keypair.secretKey;
      if (
        pk instanceof Uint8Array &&
        pk.length === 32 &&
        sk instanceof Uint8Array &&
        sk.length === 64
      ) {
        publicKey = pk.slice();
        secretKey = sk.slice();
      }
    }
  } catch {
    // A getter that refuses to hand out the secret: sign through the keypair.
  }
  // 'pending' until the backend runs wasm; then the pair is checked once.
  let mode: 'pending' | 'fast' | 'own' = secretKey === undefined ? 'own' : 'pending';
  const check = (): 'fast' | 'own' => {
    try {
      // The public key must be the secret's (so the secret is in the ed25519 form and the wasm,
      // which takes the public key on trust, signs for the right key), and a wasm signature must
      // pass the JS verifier.
      if (!sameBytes(sr25519PublicFromSecret(secretKey!), publicKey!)) return 'own';
      return jsVerify(backend.sign(publicKey!, secretKey!, PROBE), PROBE, publicKey!)
        ? 'fast'
        : 'own';
    } catch {
      return 'own';
    }
  };
  return {
    sign(message) {
      if (mode === 'pending' && backend.kind === 'wasm') mode = check();
      if (mode === 'fast') return backend.sign(publicKey!, secretKey!, message);
      return keypair.sign(message);
    },
  };
}
