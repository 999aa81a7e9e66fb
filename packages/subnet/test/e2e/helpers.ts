/** Set-up of the template's end-to-end tests: a dev node, a client, wallets on disk. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeCall } from '@taoscript/chain-types';
import { keypairFromUri } from '@taoscript/crypto';
import { connect, type ExtrinsicResult, type SubtensorClient, Wallet } from '@taoscript/sdk';
import { devKeypair, type SpawnedNode, spawnDevNode } from '@taoscript/testkit';
import type { BaseNeuron, NeuronEvents } from '../../src/index.js';

export const TAO = 1_000_000_000n;
export const NETUID = 1;
export const alice = devKeypair('Alice');
/** The subnet owner's hotkey: uid 0 of subnet 1 on a `--dev-subnets 1` chain. */
export const OWNER_HOTKEY_URI = '//Alice//subnet1';
/** Published by miners and used by the validator's dendrite: dialled on loopback. */
export const EXTERNAL_IP = '10.11.12.13';

/** A dev node sealing every 250 ms with subnet 1, a client, and a scratch directory. */
export interface Env {
  node: SpawnedNode;
  client: SubtensorClient;
  dir: string;
  close(): Promise<void>;
}

export async function startEnv(): Promise<Env> {
  const node = await spawnDevNode({ sealing: 250 });
  const dir = await mkdtemp(join(tmpdir(), 'subnet-e2e-'));
  let client: SubtensorClient;
  try {
    client = await connect({ network: node.wsUrl, env: {}, commits: join(dir, 'setup-commits') });
  } catch (err) {
    await node.stop();
    throw err;
  }
  return {
    node,
    client,
    dir,
    async close() {
      await client.close();
      await node.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Fails with the decoded error when an extrinsic did not succeed. */
export function assertOk(name: string, r: ExtrinsicResult): void {
  assert.equal(r.ok, true, `${name} failed: ${r.ok ? '' : r.error.qualifiedName}`);
}

/** `Sudo.sudo(AdminUtils.<name>(value))` signed by Alice; checks the inner call succeeded. */
export async function adminSudo(
  client: SubtensorClient,
  name: string,
  value: Record<string, unknown>,
): Promise<void> {
  const call = { type: 'AdminUtils', value: { type: name, value } } as unknown as RuntimeCall;
  const r = await client.submit({
    signer: alice,
    call: { type: 'Sudo', value: { type: 'sudo', value: { call } } },
  });
  assertOk(`sudo ${name}`, r);
  const sudid = r.events.find((e) => e.pallet === 'Sudo' && e.name === 'Sudid')?.event;
  assert.ok(sudid?.type === 'Sudo' && sudid.value.type === 'Sudid', 'Sudid event');
  assert.equal(sudid.value.value.sudo_result.type, 'Ok', `${name} was refused`);
}

/** Funds a hotkey (it pays its own serve_axon) and registers it on `netuid`, Alice paying the burn. */
export async function registerHotkey(
  client: SubtensorClient,
  uri: string,
  netuid = NETUID,
): Promise<void> {
  const hotkey = keypairFromUri(uri).address();
  assertOk('transfer', await client.transfer({ signer: alice, dest: hotkey, amount: 10n * TAO }));
  assertOk('burned_register', await client.burnedRegister({ signer: alice, netuid, hotkey }));
}

/** Writes wallet `name` under `root` whose hotkey `default` is the key of `uri`. */
export async function writeWallet(root: string, name: string, uri: string): Promise<void> {
  await new Wallet({ name, hotkey: 'default', path: root, env: {} }).regenerateHotkey({ uri });
}

/** Neuron flags pointing at the dev node, with fast loops. */
export function neuronArgs(env: Env, wallet: string, extra: string[] = []): string[] {
  return [
    '--netuid',
    String(NETUID),
    '--subtensor.chain_endpoint',
    env.node.wsUrl,
    '--wallet.path',
    join(env.dir, 'wallets'),
    '--wallet.name',
    wallet,
    '--logging.logging_dir',
    join(env.dir, 'neurons'),
    '--axon.ip',
    '127.0.0.1',
    '--axon.port',
    '0',
    '--axon.external_ip',
    EXTERNAL_IP,
    '--neuron.step_interval_ms',
    '100',
    '--neuron.block_cache_ms',
    '0',
    '--neuron.epoch_length',
    '2',
    ...extra,
  ];
}

/** Polls `fn` until it returns a truthy value, failing after `timeoutMs`. */
export async function until<T>(
  fn: () => T | Promise<T>,
  what: string,
  timeoutMs = 60_000,
  everyMs = 50,
): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (performance.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Resolves with the first `event` of `neuron` that satisfies `match` (fails after `timeoutMs`). */
export function nextEvent<K extends keyof NeuronEvents>(
  neuron: BaseNeuron,
  event: K,
  match: (e: NeuronEvents[K]) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<NeuronEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const off = neuron.on(event, (e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
    // A neuron that stops first will never report it.
    void neuron
      .wait()
      .then(
        () => reject(new Error(`the neuron stopped before ${what}`)),
        (err: unknown) => reject(err),
      )
      .finally(() => {
        clearTimeout(timer);
        off();
      });
  });
}
