// The worker-thread verifier: same answers as the JS verifier (including btwallet's <Bytes>
// form), batching, and verification on the calling thread when workers are absent or die.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sr25519Verify as jsVerify, keypairFromUri } from '@taoscript/crypto';
import {
  defaultVerifyThreads,
  MAX_VERIFY_THREADS,
  sharedVerifyPool,
  VerifyPool,
} from './verify-pool.js';

const encode = (s: string) => new TextEncoder().encode(s);
const bob = keypairFromUri('//Bob');
const eve = keypairFromUri('//Eve');

/** Signed messages, some tampered, some signed by another key, some <Bytes>-wrapped. */
function cases(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const message = encode(`${1763900000123456789n + BigInt(i)}.request.${i}`);
    const kind = i % 4;
    const signer = kind === 2 ? eve : bob;
    const signed =
      kind === 3 ? encode(`<Bytes>${new TextDecoder().decode(message)}</Bytes>`) : message;
    const signature = signer.sign(signed);
    const sent = kind === 1 ? encode(`tampered ${i}`) : message;
    return { signature, message: sent, publicKey: bob.publicKey, valid: kind === 0 || kind === 3 };
  });
}

const pools: VerifyPool[] = [];
after(async () => {
  for (const p of pools) await p.close();
});

describe('VerifyPool', () => {
  it('verifies on a worker thread: the same answers as the JS verifier, in order', async () => {
    const pool = new VerifyPool({ threads: 1 });
    pools.push(pool);
    assert.equal(await pool.start(), 1);
    assert.equal(pool.threads, 1);
    const list = cases(40);
    // Submitted in one turn, so they travel in batches; answers come back to the right caller.
    const answers = await Promise.all(
      list.map((c) => pool.verify(c.signature, c.message, c.publicKey)),
    );
    assert.deepEqual(
      answers,
      list.map((c) => c.valid),
    );
    for (const c of list.slice(0, 8)) {
      const wrappedOk = jsVerify(c.signature, c.message, c.publicKey);
      assert.ok(!wrappedOk || c.valid);
    }
    // A promise while workers run.
    const c = list[0]!;
    assert.ok(pool.verify(c.signature, c.message, c.publicKey) instanceof Promise);
  });

  it('0 threads verifies on the calling thread, synchronously', async () => {
    const pool = new VerifyPool({ threads: 0 });
    assert.equal(await pool.start(), 0);
    for (const c of cases(8))
      assert.equal(pool.verify(c.signature, c.message, c.publicKey), c.valid);
  });

  it('a worker that cannot start or fails its self-check leaves verification on this thread', async () => {
    const broken = [
      new URL('data:text/javascript,throw new Error("no worker")'),
      new URL(
        "data:text/javascript,import{parentPort}from'node:worker_threads';parentPort.postMessage({kind:'ready',ok:false})",
      ),
      // Answers "valid" to everything: the known-answer check catches it.
      new URL(
        "data:text/javascript,import{parentPort as p}from'node:worker_threads';p.on('message',({id,offsets})=>{const r=new Uint8Array(offsets.length-1).fill(1);p.postMessage({kind:'result',id,results:r})});p.postMessage({kind:'ready',ok:true})",
      ),
    ];
    for (const workerUrl of broken) {
      const pool = new VerifyPool({ threads: 1, workerUrl });
      pools.push(pool);
      // Asked before start() settles: answered once the start attempt has failed.
      const early = cases(4).map((c) => pool.verify(c.signature, c.message, c.publicKey));
      assert.equal(await pool.start(), 0, workerUrl.href.slice(0, 60));
      assert.deepEqual(await Promise.all(early), [true, false, false, true]);
      for (const c of cases(4)) {
        assert.equal(pool.verify(c.signature, c.message, c.publicKey), c.valid);
      }
    }
  });

  it('jobs in flight when a worker dies are verified here; later ones too', async () => {
    // Answers nothing, then exits on the second batch.
    const workerUrl = new URL(
      "data:text/javascript,import{parentPort as p}from'node:worker_threads';let n=0;p.on('message',({id,offsets})=>{n++;if(n<=1){p.postMessage({kind:'result',id,results:new Uint8Array([1,0])});return}process.exit(3)});p.postMessage({kind:'ready',ok:true})",
    );
    const pool = new VerifyPool({ threads: 1, workerUrl });
    pools.push(pool);
    assert.equal(await pool.start(), 1);
    const list = cases(12);
    const answers = await Promise.all(
      list.map((c) => pool.verify(c.signature, c.message, c.publicKey)),
    );
    assert.deepEqual(
      answers,
      list.map((c) => c.valid),
    );
    assert.equal(pool.threads, 0);
  });

  it('close() answers what is queued, then verifies here', async () => {
    const pool = new VerifyPool({ threads: 1 });
    await pool.start();
    const list = cases(6);
    const pending = list.map((c) => pool.verify(c.signature, c.message, c.publicKey));
    await pool.close();
    assert.deepEqual(
      await Promise.all(pending),
      list.map((c) => c.valid),
    );
    assert.equal(pool.threads, 0);
    const c = list[0]!;
    assert.equal(pool.verify(c.signature, c.message, c.publicKey), true);
  });

  it('shares one pool per thread count; refuses bad options and inputs', () => {
    assert.equal(sharedVerifyPool(1), sharedVerifyPool(1));
    assert.notEqual(sharedVerifyPool(1), sharedVerifyPool(0));
    assert.ok(defaultVerifyThreads() >= 0 && defaultVerifyThreads() <= 4);
    for (const threads of [-1, 1.5, MAX_VERIFY_THREADS + 1, Number.NaN]) {
      assert.throws(() => new VerifyPool({ threads }), RangeError);
    }
    assert.throws(() => new VerifyPool(null as never), TypeError);
    const pool = new VerifyPool({ threads: 0 });
    const sig = bob.sign(encode('x'));
    assert.throws(() => pool.verify(sig.subarray(1), encode('x'), bob.publicKey), RangeError);
    assert.throws(() => pool.verify(sig, 'x' as never, bob.publicKey), TypeError);
    assert.throws(() => pool.verify(sig, encode('x'), new Uint8Array(31)), RangeError);
  });
});
