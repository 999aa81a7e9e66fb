import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ed25519PairFromSeed,
  ed25519Sign,
  sr25519PairFromSeed,
  sr25519Sign,
} from '@polkadot/util-crypto';
import fc from 'fast-check';
import {
  createVerifier,
  MAX_MESSAGE_BYTES,
  type SigType,
  type Verifier,
  type VerifyJob,
} from './index.js';
import { createVerifierWithWorker } from './verifier.js';

const seed = process.env.FC_SEED === undefined ? Date.now() : Number(process.env.FC_SEED);
const enc = new TextEncoder();
const hex = (h: string): Uint8Array =>
  new Uint8Array(Buffer.from(h.startsWith('0x') ? h.slice(2) : h, 'hex'));
const flip = (bytes: Uint8Array, index: number): Uint8Array => {
  const copy = bytes.slice();
  copy[index % copy.length]! ^= 0x01;
  return copy;
};

// Signatures made by @polkadot/util-crypto 13.5.9 (schnorrkel), copied from the shared vectors.
const sigVectors = JSON.parse(
  readFileSync(new URL('./vectors/signature_message.json', import.meta.url), 'utf8'),
) as {
  cases: Array<{
    id: string;
    message: string;
    public_key: string;
    signature: string;
    signature_alt: string;
    signature_over_bytes_wrapped_message: string;
    tampered_message: string;
  }>;
};

// RFC 8032 section 7.1, tests 1 and 2.
const rfc8032 = [
  {
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

interface Case {
  job: VerifyJob;
  expected: boolean;
}

/** Signs with the JS implementations (@scure/sr25519, @noble/curves), independent of the wasm. */
function signedJob(type: SigType, keySeed: number, message: Uint8Array): VerifyJob {
  const seedBytes = new Uint8Array(32).fill(keySeed);
  if (type === 'sr25519') {
    const pair = sr25519PairFromSeed(seedBytes);
    return { type, message, publicKey: pair.publicKey, signature: sr25519Sign(message, pair) };
  }
  const pair = ed25519PairFromSeed(seedBytes, true);
  return { type, message, publicKey: pair.publicKey, signature: ed25519Sign(message, pair, true) };
}

/** A fixed set of valid jobs plus, for each, variants that must fail. */
function buildCorpus(): { valid: VerifyJob[]; invalid: VerifyJob[] } {
  const valid: VerifyJob[] = [];
  const invalid: VerifyJob[] = [];
  for (let k = 0; k < 12; k++) {
    const type: SigType = k % 2 === 0 ? 'sr25519' : 'ed25519';
    const message = enc.encode(`taoscript transfer #${k} ${'x'.repeat(k * 23)}`);
    const job = signedJob(type, k + 1, message);
    valid.push(job);
    invalid.push(
      { ...job, message: flip(job.message, k) },
      { ...job, signature: flip(job.signature, 7 * k) },
      { ...job, publicKey: flip(job.publicKey, 3 * k) },
      { ...job, type: type === 'sr25519' ? 'ed25519' : 'sr25519' },
      { ...job, signature: job.signature.subarray(0, 63) },
      { ...job, publicKey: new Uint8Array(33) },
    );
  }
  return { valid, invalid };
}

const corpus = buildCorpus();

/** Deterministic pseudo-random mix of valid and invalid jobs with the expected answers. */
function mixedCases(count: number, salt: number): Case[] {
  const cases: Case[] = [];
  let x = salt >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const pickValid = x % 3 === 0;
    const pool = pickValid ? corpus.valid : corpus.invalid;
    cases.push({ job: pool[(x >>> 2) % pool.length]!, expected: pickValid });
  }
  return cases;
}

describe('known answers', () => {
  let pool: Verifier;
  before(async () => {
    pool = await createVerifier({ threads: 1 });
  });
  after(() => pool.close());

  test('sr25519 vectors from @polkadot/util-crypto verify; tampered and wrapped ones do not', async () => {
    assert.ok(sigVectors.cases.length >= 3);
    for (const c of sigVectors.cases) {
      const publicKey = hex(c.public_key);
      const message = enc.encode(c.message);
      const job = (signature: string, msg = message): VerifyJob => ({
        type: 'sr25519',
        signature: hex(signature),
        message: msg,
        publicKey,
      });
      const wrapped = enc.encode(`<Bytes>${c.message}</Bytes>`);
      const cases: Case[] = [
        { job: job(c.signature), expected: true },
        { job: job(c.signature_alt), expected: true },
        { job: job(c.signature, enc.encode(c.tampered_message)), expected: false },
        { job: job(c.signature_over_bytes_wrapped_message), expected: false },
        { job: job(c.signature_over_bytes_wrapped_message, wrapped), expected: true },
        { job: { ...job(c.signature), type: 'ed25519' }, expected: false },
      ];
      for (const { job: j, expected } of cases) {
        assert.equal(pool.verifySync(j), expected, `${c.id} sync`);
        assert.equal(await pool.verify(j), expected, `${c.id} pool`);
      }
      assert.deepEqual(
        await pool.verifyMany(cases.map((x) => x.job)),
        cases.map((x) => x.expected),
      );
    }
  });

  test('ed25519 RFC 8032 vectors verify; any flipped bit fails', async () => {
    for (const v of rfc8032) {
      const job: VerifyJob = {
        type: 'ed25519',
        signature: hex(v.signature),
        message: hex(v.message),
        publicKey: hex(v.publicKey),
      };
      assert.equal(pool.verifySync(job), true);
      assert.equal(await pool.verify(job), true);
      assert.equal(await pool.verify({ ...job, type: 'sr25519' }), false);
      for (const i of [0, 31, 32, 63]) {
        assert.equal(await pool.verify({ ...job, signature: flip(job.signature, i) }), false);
      }
      assert.equal(await pool.verify({ ...job, publicKey: flip(job.publicKey, 5) }), false);
      assert.equal(await pool.verify({ ...job, message: enc.encode('other') }), false);
    }
  });

  test('signatures from the JS implementations verify, their mutations do not', async () => {
    for (const job of corpus.valid) {
      assert.equal(pool.verifySync(job), true);
      assert.equal(await pool.verify(job), true);
    }
    for (const job of corpus.invalid) {
      assert.equal(pool.verifySync(job), false);
      assert.equal(await pool.verify(job), false);
    }
  });
});

describe('worker pool', () => {
  let pool: Verifier;
  before(async () => {
    pool = await createVerifier({ threads: 2 });
  });
  after(() => pool.close());

  test('reports its thread count', () => {
    assert.equal(pool.threads, 2);
  });

  test('verifyMany preserves order over 1,000 mixed jobs', async () => {
    const cases = mixedCases(1000, 0x5eed);
    const expected = cases.map((c) => c.expected);
    assert.ok(expected.includes(true) && expected.includes(false));
    const got = await pool.verifyMany(cases.map((c) => c.job));
    assert.equal(got.length, 1000);
    assert.deepEqual(got, expected);
  });

  test('concurrent verify() calls all resolve to the right answer', async () => {
    const cases = mixedCases(300, 0xc0ffee);
    const pending = cases.map((c) => pool.verify(c.job));
    // A verifyMany interleaved with single calls must not disturb either.
    const many = pool.verifyMany(cases.slice(0, 50).map((c) => c.job));
    assert.deepEqual(
      await Promise.all(pending),
      cases.map((c) => c.expected),
    );
    assert.deepEqual(
      await many,
      cases.slice(0, 50).map((c) => c.expected),
    );
  });

  test('verifyMany of nothing, or of only garbage, resolves without touching workers', async () => {
    assert.deepEqual(await pool.verifyMany([]), []);
    const junk: VerifyJob = {
      type: 'sr25519',
      signature: new Uint8Array(1),
      message: new Uint8Array(0),
      publicKey: new Uint8Array(1),
    };
    assert.deepEqual(await pool.verifyMany([junk, junk]), [false, false]);
  });

  test('bytes are captured at call time: mutating them afterwards changes nothing', async () => {
    const job = corpus.valid[0]!;
    const message = job.message.slice();
    const signature = job.signature.slice();
    const pending = pool.verify({ ...job, message, signature });
    const pendingMany = pool.verifyMany([{ ...job, message, signature }]);
    message.fill(0);
    signature.fill(0);
    assert.equal(await pending, true);
    assert.deepEqual(await pendingMany, [true]);
  });

  test('a long message crosses the batch size and still verifies', async () => {
    const message = new Uint8Array(5 * 1024 * 1024).fill(0x61);
    const job = signedJob('ed25519', 99, message);
    const results = await pool.verifyMany([
      job,
      corpus.valid[1]!,
      { ...job, message: flip(message, 9) },
    ]);
    assert.deepEqual(results, [true, true, false]);
  });
});

describe('garbage and hostile input', () => {
  let pool: Verifier;
  before(async () => {
    pool = await createVerifier({ threads: 1 });
  });
  after(() => pool.close());

  test('wrong-sized signatures and keys give false, never throw', async () => {
    const good = corpus.valid[0]!;
    const sizes = [0, 1, 31, 33, 63, 65, 96, 128];
    for (const n of sizes) {
      for (const job of [
        { ...good, signature: new Uint8Array(n) },
        { ...good, publicKey: new Uint8Array(n === 32 ? 0 : n) },
      ]) {
        assert.equal(pool.verifySync(job), false);
        assert.equal(await pool.verify(job), false);
      }
    }
    const tooLong = { ...good, message: new Uint8Array(MAX_MESSAGE_BYTES + 1) };
    assert.equal(pool.verifySync(tooLong), false);
    assert.equal(await pool.verify(tooLong), false);
    assert.deepEqual(await pool.verifyMany([tooLong, good]), [false, true]);
  });

  test('property: random bytes of any size verify as false on every path', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<SigType>('sr25519', 'ed25519'),
        fc.oneof(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.uint8Array({ maxLength: 80 })),
        fc.uint8Array({ maxLength: 64 }),
        fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 40 })),
        async (type, signature, message, publicKey) => {
          const job = { type, signature, message, publicKey };
          assert.equal(pool.verifySync(job), false);
          assert.equal(await pool.verify(job), false);
          assert.deepEqual(await pool.verifyMany([job]), [false]);
        },
      ),
      { seed, numRuns: 150 },
    );
  });

  test('values that are not jobs are a TypeError on every path', async () => {
    const good = corpus.valid[0]!;
    const bad: unknown[] = [
      null,
      undefined,
      42,
      'job',
      { ...good, type: 'ecdsa' },
      { ...good, type: undefined },
      { ...good, signature: Array.from(good.signature) },
      { ...good, signature: good.signature.buffer },
      { ...good, message: 'hello' },
      { ...good, publicKey: null },
      { ...good, publicKey: new Uint16Array(16) },
    ];
    for (const value of bad) {
      const job = value as VerifyJob;
      assert.throws(() => pool.verifySync(job), TypeError);
      await assert.rejects(pool.verify(job), TypeError);
      await assert.rejects(pool.verifyMany([good, job]), /jobs\[1\]/);
    }
    await assert.rejects(pool.verifyMany('nope' as unknown as VerifyJob[]), TypeError);
    // Holes in a sparse array are not jobs either.
    await assert.rejects(pool.verifyMany(new Array<VerifyJob>(3)), TypeError);
  });

  test('bad options are rejected before any worker starts', async () => {
    await assert.rejects(createVerifier({ threads: -1 }), RangeError);
    await assert.rejects(createVerifier({ threads: 65 }), RangeError);
    await assert.rejects(createVerifier({ threads: 1.5 }), TypeError);
    await assert.rejects(createVerifier({ threads: '2' as unknown as number }), TypeError);
    await assert.rejects(createVerifier('fast' as unknown as { threads: number }), TypeError);
  });
});

describe('lifecycle', () => {
  test('threads: 0 verifies on the calling thread', async (t) => {
    const v = await createVerifier({ threads: 0 });
    t.after(() => v.close());
    assert.equal(v.threads, 0);
    const cases = mixedCases(60, 7);
    assert.deepEqual(
      await v.verifyMany(cases.map((c) => c.job)),
      cases.map((c) => c.expected),
    );
    assert.equal(await v.verify(corpus.valid[2]!), true);
    assert.equal(await v.verify(corpus.invalid[2]!), false);
    await v.close();
  });

  test('close() finishes queued work, then refuses new async work; verifySync still works', async (t) => {
    const v = await createVerifier({ threads: 2 });
    t.after(() => v.close());
    const cases = mixedCases(200, 99);
    const pending = v.verifyMany(cases.map((c) => c.job));
    const single = v.verify(corpus.valid[3]!);
    const closed = v.close();
    assert.equal(v.close(), closed, 'close() is idempotent');
    await closed;
    assert.deepEqual(
      await pending,
      cases.map((c) => c.expected),
    );
    assert.equal(await single, true);
    assert.equal(v.threads, 0);
    await assert.rejects(v.verify(corpus.valid[0]!), /closed/);
    await assert.rejects(v.verifyMany([corpus.valid[0]!]), /closed/);
    assert.equal(v.verifySync(corpus.valid[0]!), true);
  });

  test('after close() the process exits on its own', async () => {
    const script = fileURLToPath(new URL('./test-fixtures/close-then-exit.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('exit', (c, s) => resolve([c, s])),
    );
    clearTimeout(deadline);
    assert.equal(signal, null, `child hung and was killed; stderr: ${stderr}`);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^closed threads=0 valid=(true|false)\n$/);
  });

  test('a worker that dies mid-batch hands its jobs to the surviving worker', async (t) => {
    const v = await createVerifierWithWorker(
      { threads: 2 },
      new URL('./test-fixtures/crash-even-worker.mjs', import.meta.url),
    );
    t.after(() => v.close());
    assert.equal(v.threads, 2);
    const cases = mixedCases(400, 1234);
    assert.deepEqual(
      await v.verifyMany(cases.map((c) => c.job)),
      cases.map((c) => c.expected),
    );
    assert.equal(v.threads, 1);
    assert.equal(await v.verify(corpus.valid[4]!), true);
    await v.close();
  });

  test('when every worker dies, the work finishes on the calling thread', async (t) => {
    const v = await createVerifierWithWorker(
      { threads: 2 },
      new URL('./test-fixtures/crash-worker.mjs', import.meta.url),
    );
    t.after(() => v.close());
    const cases = mixedCases(120, 4321);
    const pending = cases.map((c) => v.verify(c.job));
    assert.deepEqual(
      await Promise.all(pending),
      cases.map((c) => c.expected),
    );
    assert.equal(v.threads, 0);
    assert.equal(await v.verify(corpus.invalid[0]!), false);
    await v.close();
  });

  test('a worker that fails to start makes createVerifier reject', async () => {
    await assert.rejects(
      createVerifierWithWorker(
        { threads: 2 },
        new URL('./test-fixtures/broken-worker.mjs', import.meta.url),
      ),
      (err: unknown) => {
        assert.ok(err instanceof Error);
        assert.match(err.message, /failed to start/);
        assert.match(String((err.cause as Error).message), /broken on purpose/);
        return true;
      },
    );
  });
});
