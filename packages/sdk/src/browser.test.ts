/**
 * The browser entry (`@taoscript/sdk/browser`): bundled for the browser with esbuild (the build
 * fails on any Node builtin or `ws` import), evaluated in a bare `node:vm` context (no `process`,
 * `require` or `Buffer`; only browser-like globals), then used against a spawned node and compared
 * with the Node entry's answers.
 */
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { type RuntimeCall, SubtensorStorage } from '@taoscript/chain-types';
import { toHex } from '@taoscript/codec';
import { keypairFromMnemonic as nodeKeypairFromMnemonic } from '@taoscript/crypto';
import { rpcCall, type SpawnedNode, spawnDevNode } from '@taoscript/testkit';
import { build, type Plugin, transform } from 'esbuild';
import { WebSocket } from 'ws';
import type * as BrowserEntry from './browser.js';
import {
  connect as nodeConnect,
  resolveNetwork as nodeResolveNetwork,
  type SubtensorClient,
} from './client/index.js';
import {
  Metagraph as NodeMetagraph,
  syncMetagraph as nodeSyncMetagraph,
} from './metagraph/index.js';
import { defineSynapse as nodeDefineSynapse } from './synapse/define.js';
import {
  commitHash as nodeCommitHash,
  convertWeightsAndUidsForEmit as nodeConvertWeights,
  storageIndex,
} from './weights/index.js';

type Sdk = typeof BrowserEntry;

const ENTRY = fileURLToPath(new URL('./browser.ts', import.meta.url));
const SRC = fileURLToPath(new URL('.', import.meta.url));
const VECTORS = new URL('../test/vectors/', import.meta.url);
const GLOBAL_NAME = '__taoscriptSdk';

// ---- the import guard ------------------------------------------------------------------------

const NODE_BUILTINS = new Set(builtinModules);
/** Packages that only work on Node (or would pull Node builtins in). */
const NODE_ONLY_PACKAGES = ['ws', 'hono', '@hono/node-server', 'undici'];

function nodeOnly(path: string): boolean {
  if (path.startsWith('node:')) return true;
  if (NODE_BUILTINS.has(path) || NODE_BUILTINS.has(path.split('/')[0] ?? '')) return true;
  return NODE_ONLY_PACKAGES.some((p) => path === p || path.startsWith(`${p}/`));
}

/** Fails the build on any Node builtin (`node:x` or bare `x`) or Node-only package import. */
const noNodeImports: Plugin = {
  name: 'no-node-imports',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) =>
      nodeOnly(args.path)
        ? {
            errors: [
              {
                text: `Node-only import "${args.path}" in the browser graph (from ${args.importer})`,
              },
            ],
          }
        : undefined,
    );
  },
};

/** The browser build: ESM for the platform `browser`, every import bundled. */
async function bundleForBrowser(entry: { file: string } | { code: string }): Promise<string> {
  const r = await build({
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.code, resolveDir: SRC, loader: 'ts' as const } }),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [noNodeImports],
  });
  const [out] = r.outputFiles;
  assert.ok(out);
  return out.text;
}

// ---- a browser-like realm ----------------------------------------------------------------------

/**
 * A fresh V8 context with a browser's globals and nothing of Node's. Its intrinsics (Uint8Array,
 * errors, promises) are its own, as a page's are, so `TextEncoder` returns this realm's arrays.
 */
function browserRealm(extra: Record<string, unknown> = {}): vm.Context {
  const ctx = vm.createContext({
    console,
    URL,
    URLSearchParams,
    TextDecoder,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    performance,
    AbortController,
    AbortSignal,
    Event,
    EventTarget,
    atob,
    btoa,
    crypto: { getRandomValues: (a: Uint8Array) => webcrypto.getRandomValues(a) },
    ...extra,
  });
  const RealmU8 = vm.runInContext('Uint8Array', ctx) as Uint8ArrayConstructor;
  const encoder = new TextEncoder();
  ctx.TextEncoder = class TextEncoder {
    readonly encoding = 'utf-8';
    encode(input = ''): Uint8Array {
      return RealmU8.from(encoder.encode(input));
    }
  };
  return ctx;
}

/** Runs the bundle (as a classic script exposing its exports) in `ctx`. */
function load(iife: string, ctx: vm.Context): Sdk {
  vm.runInContext(iife, ctx, { filename: 'taoscript-sdk-browser.js' });
  return ctx[GLOBAL_NAME] as Sdk;
}

/** What an error looks like from outside its realm. */
async function failure(work: () => unknown): Promise<Record<string, unknown>> {
  try {
    await work();
  } catch (err) {
    const e = err as Error & { code?: unknown };
    return { type: e.constructor.name, name: e.name, message: e.message, code: e.code };
  }
  assert.fail('expected a failure');
}

let esm: string;
let iife: string;

before(async () => {
  esm = await bundleForBrowser({ file: ENTRY });
  iife = (await transform(esm, { format: 'iife', globalName: GLOBAL_NAME, target: 'es2022' })).code;
});

// ---- 1. the bundle ----------------------------------------------------------------------------

describe('browser bundle', () => {
  it('bundles with no Node builtin, ws, hono or undici import', async () => {
    const raw = new TextEncoder().encode(esm).length;
    const min = (await transform(esm, { minify: true, target: 'es2022' })).code;
    const gz = gzipSync(min).length;
    console.log(
      `@taoscript/sdk/browser bundle: ${raw} bytes ESM, ${min.length} minified, ${gz} minified+gzip`,
    );
    assert.ok(raw > 100_000, 'the bundle holds the client');
    // A budget, so a stray dependency shows up here (today ~1.8 MB raw, ~0.27 MB minified+gzip).
    assert.ok(gz < 400_000, `minified+gzip ${gz} bytes`);
    assert.doesNotMatch(esm, /Dynamic require of|\brequire\(["']/);
  });

  it('the guard fails the build on node:*, bare builtins, ws and Node-only sdk modules', async () => {
    const cases = [
      ["import { readFile } from 'node:fs/promises'; export { readFile };", 'node:fs/promises'],
      ["import { Worker } from 'worker_threads'; export { Worker };", 'worker_threads'],
      ["import { join } from 'path'; export { join };", 'path'],
      ["export const ws = () => import('ws');", 'ws'],
      ["export { SaltStore } from './weights/salt-store.js';", 'node:crypto'],
      ["export { connect } from './client/connect.js';", 'ws'],
      ["export { Keyfile } from './wallet/keyfile.js';", 'node:'],
    ] as const;
    for (const [code, culprit] of cases)
      await assert.rejects(
        bundleForBrowser({ code }),
        (err: { errors?: { text: string }[] }) =>
          err.errors?.some((e) => e.text.includes(`Node-only import "${culprit}`)) === true,
        code,
      );
  });
});

// ---- 2. evaluation without Node ---------------------------------------------------------------

describe('browser entry in a bare realm', () => {
  let ctx: vm.Context;
  let sdk: Sdk;
  before(() => {
    ctx = browserRealm();
    sdk = load(iife, ctx);
  });

  it('loads with no process, require, Buffer, module or global WebSocket', () => {
    for (const name of ['process', 'require', 'Buffer', 'module', 'global', 'WebSocket'])
      assert.equal(vm.runInContext(`typeof ${name}`, ctx), 'undefined', name);
    assert.equal(typeof sdk, 'object');
  });

  it('exports exactly what browser.ts exports, and nothing Node-only', async () => {
    const fromSource = Object.keys(await import('./browser.js')).sort();
    assert.deepEqual(Object.keys(sdk).sort(), fromSource);
    const expected: Record<string, 'function' | 'object' | 'number' | 'string'> = {
      connect: 'function',
      SubtensorClient: 'function',
      MetadataCompat: 'function',
      resolveNetwork: 'function',
      validateEndpoint: 'function',
      NETWORKS: 'object',
      describeDispatchError: 'function',
      PreconditionError: 'function',
      Metagraph: 'function',
      syncMetagraph: 'function',
      convertWeightsAndUidsForEmit: 'function',
      convertMaybeSplitToU16: 'function',
      commitHash: 'function',
      randomSalt: 'function',
      MemoryCommitStore: 'function',
      MAX_MEMORY_COMMITS: 'number',
      ss58Encode: 'function',
      ss58Decode: 'function',
      keypairFromMnemonic: 'function',
      keypairFromUri: 'function',
      mnemonicGenerate: 'function',
      WalletKey: 'function',
      deserializeKeyfileData: 'function',
      serializeKeyfileData: 'function',
      keyfileEncryption: 'function',
      decryptKeyfileData: 'function',
      decryptNacl: 'function',
      encryptNacl: 'function',
      deriveNaclKey: 'function',
      defineSynapse: 'function',
      BaseSynapse: 'object',
      dumpPyJson: 'function',
      parsePyJson: 'function',
      requestSignatureMessage: 'function',
      verifyMessage: 'function',
      VERSION_AS_INT: 'number',
    };
    for (const [name, type] of Object.entries(expected))
      assert.equal(typeof (sdk as Record<string, unknown>)[name], type, name);
    for (const name of [
      'SaltStore',
      'Wallet',
      'Keyfile',
      'Axon',
      'Dendrite',
      'bodyHash',
      'toHeaders',
      'nextNonce',
      'setArgon2CostForTesting',
      'decryptAnsibleVault',
    ])
      assert.ok(!(name in sdk), `${name} must not be in the browser entry`);
  });

  it('derives keys and SS58 addresses as the vectors say', async () => {
    const v = JSON.parse(await readFile(new URL('ss58_and_derivation.json', VECTORS), 'utf8')) as {
      mnemonics: { mnemonic: string; public_key: string; ss58: string }[];
      derivations: { uri: string; public_key: string; ss58: string }[];
    };
    for (const m of v.mnemonics) {
      const kp = sdk.keypairFromMnemonic(m.mnemonic);
      assert.equal(sdk.toHex(kp.publicKey), m.public_key);
      assert.equal(sdk.ss58Encode(kp.publicKey), m.ss58);
    }
    for (const d of v.derivations) {
      assert.equal(sdk.toHex(sdk.keypairFromUri(d.uri).publicKey), d.public_key, d.uri);
      const decoded = sdk.ss58Decode(d.ss58);
      assert.ok(decoded.valid);
      assert.equal(sdk.toHex(decoded.publicKey), d.public_key);
    }
    // Synapse signatures: btwallet's vector signatures verify, a tampered message does not.
    const sig = JSON.parse(await readFile(new URL('signature_message.json', VECTORS), 'utf8')) as {
      cases: {
        message: string;
        signer_ss58: string;
        signature: string;
        tampered_message: string;
        tampered_must_verify: boolean;
      }[];
    };
    for (const c of sig.cases) {
      assert.equal(await sdk.verifyMessage(c.signature, c.message, c.signer_ss58), true);
      assert.equal(
        await sdk.verifyMessage(c.signature, c.tampered_message, c.signer_ss58),
        c.tampered_must_verify,
      );
    }
    const alice = sdk.keypairFromUri('//Alice');
    const signed = await sdk.signMessage(alice, 'hi');
    assert.equal(await sdk.verifyMessage(signed, 'hi', sdk.ss58Encode(alice.publicKey)), true);
  });

  it('converts weights and hashes commits as the vectors and the Node entry do', async () => {
    const w = JSON.parse(await readFile(new URL('weights_u16.json', VECTORS), 'utf8')) as {
      cases: {
        dtype: 'float32' | 'float64';
        uids: number[];
        weights: number[];
        uids_out?: number[];
        values_out?: number[];
        error?: string;
        message_prefix?: string[];
      }[];
    };
    for (const c of w.cases) {
      const convert = () => sdk.convertWeightsAndUidsForEmit(c.uids, c.weights, { dtype: c.dtype });
      if (c.error === undefined) {
        assert.deepEqual(structuredClone(convert()), { uids: c.uids_out, weights: c.values_out });
        continue;
      }
      const e = await failure(convert);
      assert.equal(e.type, 'RangeError');
      assert.ok(
        String(e.message).startsWith((c.message_prefix ?? []).join(' ')),
        String(e.message),
      );
    }
    const h = JSON.parse(await readFile(new URL('commit_hash.json', VECTORS), 'utf8')) as {
      cases: {
        hotkey_ss58: string;
        netuid: number;
        mechid: number;
        uids: number[];
        values: number[];
        salt: number[];
        version_key_decimal: string;
        commit_hash: string;
      }[];
    };
    for (const c of h.cases) {
      const p = {
        hotkey: c.hotkey_ss58,
        netuid: c.netuid,
        mechid: c.mechid,
        uids: c.uids,
        values: c.values,
        salt: c.salt,
        versionKey: BigInt(c.version_key_decimal),
      };
      assert.equal(sdk.commitHash(p), c.commit_hash);
      assert.equal(nodeCommitHash(p), c.commit_hash);
    }
  });

  it('opens a btwallet $NACL keyfile with the real Argon2i (512 MiB) and parses its JSON', async () => {
    const v = JSON.parse(await readFile(new URL('keyfile_nacl.json', VECTORS), 'utf8')) as {
      plaintext: string;
      key_source: { ss58: string; public_key: string };
      cases: { id: string; password: string; file_hex: string }[];
    };
    const c = v.cases.find((x) => x.id === 'unicode_password');
    assert.ok(c);
    const file = sdk.fromHex(c.file_hex);
    assert.equal(sdk.keyfileEncryption(file), 'nacl');
    const phases: string[] = [];
    const started = performance.now();
    const plain = await sdk.decryptKeyfileData(file, c.password, {
      onProgress: (e) => phases.push(e.phase),
    });
    console.log(
      `argon2i in the browser bundle (512 MiB, t=8): ${Math.round(performance.now() - started)} ms`,
    );
    assert.equal(new TextDecoder().decode(plain), v.plaintext);
    assert.equal(phases[0], 'start');
    assert.equal(phases.at(-1), 'done');
    const key = sdk.deserializeKeyfileData(plain);
    assert.equal(key.ss58Address, v.key_source.ss58);
    assert.equal(sdk.toHex(key.publicKey), v.key_source.public_key);
    // Legacy formats need Node's crypto: a clear refusal, not a crash.
    await assert.rejects(
      sdk.decryptKeyfileData(new (vm.runInContext('TextEncoder', ctx))().encode('gAAAAAxyz'), 'pw'),
      (e: { name?: string; code?: string }) =>
        e.name === 'WalletError' && e.code === 'KEYFILE_UNSUPPORTED',
    );
  });
});

// ---- 3 + 4. against a node, beside the Node entry ---------------------------------------------

const NETUID = 1;

describe('browser entry against tao-node', () => {
  let node: SpawnedNode;
  let ctx: vm.Context;
  let sdk: Sdk;
  let nodeClient: SubtensorClient;
  let client: BrowserEntry.SubtensorClient;
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    node = await spawnDevNode();
    closers.push(() => node.stop());
    // Node 20 has no global WebSocket: the page's WebSocket is played by the `ws` package's.
    ctx = browserRealm({ WebSocket });
    sdk = load(iife, ctx);
    nodeClient = await nodeConnect({ network: node.wsUrl, env: {} });
    closers.push(() => nodeClient.close());
    client = await sdk.connect({ network: node.wsUrl });
    closers.push(() => client.close());
  });
  after(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('reads the block number and a balance as the Node entry does', async () => {
    assert.equal(client.url, node.wsUrl);
    assert.equal(client.network, 'local');
    assert.equal(client.genesisHash, nodeClient.genesisHash);
    assert.equal(client.ss58Prefix, nodeClient.ss58Prefix);
    assert.ok(client.compatibility().every((c) => c.ok));
    const head = await nodeClient.block();
    assert.equal(await client.getCurrentBlock(), head.number);
    assert.deepEqual({ ...(await client.block(head.hash)) }, head);
    const alice = sdk.ss58Encode(sdk.keypairFromUri('//Alice').publicKey);
    const balance = await client.getBalance(alice, { at: head.hash });
    assert.equal(typeof balance, 'bigint');
    assert.ok(balance > 0n);
    assert.equal(balance, await nodeClient.getBalance(alice, { at: head.hash }));
  });

  it('submits through the browser client, then syncs the subnet-1 metagraph as the Node entry does', async () => {
    // A second neuron, registered and served through the browser client.
    const alice = sdk.keypairFromUri('//Alice');
    const hot = sdk.keypairFromUri('//BrowserE2eHot');
    const funded = await client.transfer({
      signer: alice,
      dest: hot.address(),
      amount: 10n ** 10n,
    });
    assert.ok(funded.ok, funded.ok ? '' : funded.error.qualifiedName);
    assert.equal(await nodeClient.getBalance(hot.address()), 10n ** 10n);
    const reg = await client.burnedRegister({
      signer: alice,
      netuid: NETUID,
      hotkey: hot.address(),
    });
    assert.ok(reg.ok, reg.ok ? '' : reg.error.qualifiedName);
    assert.ok(reg.events.some((e) => e.name === 'NeuronRegistered'));
    const served = await client.serveAxon({
      signer: hot,
      netuid: NETUID,
      ip: '1.2.3.4',
      port: 8091,
    });
    assert.ok(!('skipped' in served) && served.ok);
    const head = await nodeClient.block();
    const mine = await sdk.syncMetagraph(client, NETUID, { at: head.hash, lite: false });
    const theirs = await nodeSyncMetagraph(nodeClient, NETUID, { at: head.hash, lite: false });
    assert.ok(mine instanceof sdk.Metagraph);
    assert.notEqual(Object.getPrototypeOf(mine), NodeMetagraph.prototype);
    assert.equal(mine.block, head.number);
    assert.equal(mine.n, 2);
    const owner = sdk.ss58Encode(sdk.keypairFromUri('//Alice//subnet1').publicKey);
    assert.deepEqual([...mine.hotkeys], [owner, hot.address()]);
    assert.equal(mine.axons[1]?.ip, '1.2.3.4');
    assert.equal(mine.axons[1]?.isServing, true);
    assert.deepEqual(structuredClone({ ...mine }), structuredClone({ ...theirs }));
    assert.equal(mine.name, theirs.name);
    assert.equal(mine.tempo, theirs.tempo);
    // A resync at an unchanged head fetches nothing.
    const report = await mine.resync();
    assert.equal(report.unchanged, true);
  });

  it('refuses commit-reveal without a commit store, and commits and reveals with a MemoryCommitStore', async () => {
    const alice = sdk.keypairFromUri('//Alice');
    const owner = sdk.keypairFromUri('//Alice//subnet1');
    const admin = (name: string, value: Record<string, unknown>) =>
      ({ type: 'AdminUtils', value: { type: name, value } }) as unknown as RuntimeCall;
    // Sudo calls submitted through the browser client.
    for (const call of [
      admin('sudo_set_admin_freeze_window', { window: 0 }),
      admin('sudo_set_weights_set_rate_limit', { netuid: NETUID, weights_set_rate_limit: 0n }),
      admin('sudo_set_commit_reveal_weights_enabled', { netuid: NETUID, enabled: true }),
      admin('sudo_set_tempo', { netuid: NETUID, tempo: 20 }),
    ]) {
      const r = await client.submit({
        signer: alice,
        call: { type: 'Sudo', value: { type: 'sudo', value: { call } } } as RuntimeCall,
      });
      assert.ok(r.ok, r.ok ? '' : r.error.qualifiedName);
      const sudid = r.events.find((e) => e.name === 'Sudid')?.event as unknown as {
        value: { value: { sudo_result: { type: string } } };
      };
      assert.equal(sudid.value.value.sudo_result.type, 'Ok');
    }
    assert.equal(await nodeClient.commitRevealEnabled(NETUID), true);
    const fee = await client.transfer({ signer: alice, dest: owner.address(), amount: 10n ** 10n });
    assert.ok(fee.ok, fee.ok ? '' : fee.error.qualifiedName);
    const weights = {
      signer: owner,
      netuid: NETUID,
      uids: [0, 1],
      weights: [0.2, 0.8],
      versionKey: 0n,
    };
    assert.deepEqual(await failure(() => client.commitWeights(weights)), {
      type: 'PreconditionError',
      name: 'PreconditionError',
      message:
        'commit-reveal needs a commit store: pass `commits` (e.g. a MemoryCommitStore) to connect',
      code: 'NO_COMMIT_STORE',
    });

    const store = new sdk.MemoryCommitStore();
    const withStore = await sdk.connect({ network: node.wsUrl, commits: store });
    closers.push(() => withStore.close());
    const c = await withStore.commitWeights(weights);
    assert.ok(c.ok, c.ok ? '' : c.error.qualifiedName);
    assert.deepEqual([...c.values], [16_384, 65_535]);
    assert.equal(
      c.commitHash,
      nodeCommitHash({
        hotkey: sdk.ss58Encode(owner.publicKey),
        netuid: NETUID,
        uids: [0, 1],
        values: [16_384, 65_535],
        salt: [...c.salt],
        versionKey: 0n,
      }),
    );
    const pending = store.all();
    assert.equal(pending.length, 1);
    assert.equal(pending[0]?.commitHash, c.commitHash);
    assert.equal(pending[0]?.block, c.blockNumber);
    assert.equal(pending[0]?.genesisHash, nodeClient.genesisHash);

    // Produce blocks until the reveal epoch (commit epoch + RevealPeriodEpochs, with lookahead).
    const commits = await nodeClient.query(SubtensorStorage.WeightCommits, [
      storageIndex(NETUID),
      Uint8Array.from(owner.publicKey),
    ]);
    const first = commits?.[0];
    assert.ok(first, 'the commit is on chain');
    assert.equal(toHex(first[0]), c.commitHash);
    const commitEpoch = first[1];
    const target =
      commitEpoch + (await nodeClient.query(SubtensorStorage.RevealPeriodEpochs, [NETUID]));
    for (let i = 0; ; i++) {
      assert.ok(i < 400, 'reveal epoch not reached within 400 blocks');
      const head = await nodeClient.block();
      const at = { at: head.hash };
      const [index, last, tempo] = await Promise.all([
        nodeClient.query(SubtensorStorage.SubnetEpochIndex, [NETUID], at),
        nodeClient.query(SubtensorStorage.LastEpochBlock, [NETUID], at),
        nodeClient.query(SubtensorStorage.Tempo, [NETUID], at),
      ]);
      const next = BigInt(head.number + 1);
      const epoch = index + (tempo > 0 && next - last >= BigInt(tempo) ? 1n : 0n);
      assert.ok(epoch <= target, `missed the reveal epoch ${target} (now ${epoch})`);
      if (epoch === target) break;
      const r = await rpcCall(node.httpUrl, 'engine_createBlock', [true, true]);
      assert.equal(r.error, undefined, JSON.stringify(r.error));
    }
    const rv = await withStore.revealWeights({ signer: owner, netuid: NETUID });
    assert.ok(rv.ok, rv.ok ? '' : rv.error.qualifiedName);
    assert.ok(rv.events.some((e) => e.name === 'WeightsRevealed'));
    assert.deepEqual(await nodeClient.query(SubtensorStorage.Weights, [NETUID, 0]), [
      [0, 16_384],
      [1, 65_535],
    ]);
    assert.equal(store.all().length, 0);
    assert.equal(
      (await failure(() => withStore.revealWeights({ signer: owner, netuid: NETUID }))).code,
      'NO_PENDING_COMMIT',
    );
  });

  it('rejects a malformed endpoint or options with the same error as the Node entry', async () => {
    const bad: unknown[] = [
      { network: 'http://127.0.0.1:9944' },
      { network: 'nowhere' },
      { network: 'ws://user:secret@127.0.0.1:9944' },
      { network: 'ws://127.0.0.1:9944/#x' },
      { network: 'ws://' },
      { network: `ws://${'a'.repeat(2100)}` },
      { network: 7 },
      { chainEndpoint: 'ws://127.0.0.1:9944\n' },
      { chainEndpoint: 'wss://exa mple.com' },
      { network: 'local', timeoutMs: 0 },
      { network: 'local', timeoutMs: Number.NaN },
      { network: 'local', provider: 5 },
      { network: 'local', commits: {} },
      null,
      'ws://127.0.0.1:9944',
    ];
    for (const opts of bad) {
      const nodeOpts = typeof opts === 'object' && opts !== null ? { env: {}, ...opts } : opts;
      const theirs = await failure(() => nodeConnect(nodeOpts as never));
      const mine = await failure(() => sdk.connect(opts as never));
      assert.deepEqual(mine, theirs, JSON.stringify(opts)?.slice(0, 80));
      assert.match(String(mine.type), /^(TypeError|RangeError)$/);
    }
    // resolveNetwork itself, straight from the entry.
    assert.deepEqual(
      await failure(() => sdk.resolveNetwork({ network: 'ftp://x', env: {} })),
      await failure(() => nodeResolveNetwork({ network: 'ftp://x', env: {} })),
    );
    // The browser has no directory to keep commits in.
    assert.deepEqual(
      await failure(() => sdk.connect({ network: 'local', commits: '/tmp' as never })),
      {
        type: 'TypeError',
        name: 'TypeError',
        message: 'commits must be a commit store here (a browser has no directory to use)',
        code: undefined,
      },
    );
  });

  it('rejects bad input to the metagraph, weights and synapses as the Node entry does', async () => {
    const fake = { runtimeApi: () => undefined } as never;
    const pairs: [() => unknown, () => unknown][] = [
      [() => new sdk.Metagraph(fake, 70_000), () => new NodeMetagraph(fake, 70_000)],
      [() => new sdk.Metagraph({} as never, 1), () => new NodeMetagraph({} as never, 1)],
      [
        () => sdk.syncMetagraph(client, 1, { mechid: 300 }),
        () => nodeSyncMetagraph(nodeClient, 1, { mechid: 300 }),
      ],
      [() => sdk.convertWeightsAndUidsForEmit([0, 1], [1]), () => nodeConvertWeights([0, 1], [1])],
      [() => sdk.convertWeightsAndUidsForEmit([0], [-1]), () => nodeConvertWeights([0], [-1])],
      [
        () =>
          sdk.commitHash({
            hotkey: 'nope',
            netuid: 1,
            uids: [],
            values: [],
            salt: [],
            versionKey: 0n,
          }),
        () =>
          nodeCommitHash({
            hotkey: 'nope',
            netuid: 1,
            uids: [],
            values: [],
            salt: [],
            versionKey: 0n,
          }),
      ],
      [
        () => sdk.keypairFromMnemonic('not a mnemonic'),
        () => nodeKeypairFromMnemonic('not a mnemonic'),
      ],
      [() => sdk.defineSynapse(null as never), () => nodeDefineSynapse(null as never)],
      [() => client.getBalance('5Nope'), () => nodeClient.getBalance('5Nope')],
      [() => client.getStake({} as never), () => nodeClient.getStake({} as never)],
    ];
    for (const [mine, theirs] of pairs) {
      const a = await failure(mine);
      assert.deepEqual(a, await failure(theirs));
      assert.match(String(a.type), /^(TypeError|RangeError)$/, String(a.message));
    }
  });

  it('fails like the Node entry when nothing listens, and needs a WebSocket to connect', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise<void>((r) => server.close(() => r()));
    const url = `ws://127.0.0.1:${port}`;
    const mine = await failure(() => sdk.connect({ network: url, timeoutMs: 300 }));
    assert.deepEqual(
      mine,
      await failure(() => nodeConnect({ network: url, env: {}, timeoutMs: 300 })),
    );
    assert.equal(
      mine.code,
      'UNREACHABLE',
      'a refused connection fails at once, not at the timeout',
    );
    // A realm without WebSocket: a clear TypeError, never a fallback to the `ws` package.
    const bare = load(iife, browserRealm());
    assert.deepEqual(await failure(() => bare.connect({ network: node.wsUrl })), {
      type: 'TypeError',
      name: 'TypeError',
      message: 'this environment has no WebSocket; pass a JSON-RPC `provider` instead',
      code: undefined,
    });
  });
});
