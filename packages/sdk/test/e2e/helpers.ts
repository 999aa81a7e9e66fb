/** Shared set-up of the SDK's end-to-end tests: a spawned tao-node and a connected client. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RuntimeCall, SubtensorStorage } from '@taoscript/chain-types';
import type { HexString } from '@taoscript/codec';
import { devKeypair, rpcCall, type SpawnedNode, spawnDevNode } from '@taoscript/testkit';
import { connect, type ExtrinsicResult, type SubtensorClient } from '../../src/client/index.js';

export const TAO = 1_000_000_000n;
export const alice = devKeypair('Alice');

/** A dev node with instant sealing and `subnets` started genesis subnets, plus a client. */
export interface Env {
  node: SpawnedNode;
  client: SubtensorClient;
  commitsDir: string;
  close(): Promise<void>;
}

export async function startEnv(subnets = 1, extra: string[] = []): Promise<Env> {
  const node = await spawnDevNode({ subnets, extra });
  const commitsDir = await mkdtemp(join(tmpdir(), 'sdk-e2e-commits-'));
  let client: SubtensorClient;
  try {
    client = await connect({ network: node.wsUrl, commits: commitsDir, env: {} });
  } catch (err) {
    await node.stop();
    throw err;
  }
  return {
    node,
    client,
    commitsDir,
    async close() {
      await client.close();
      await node.stop();
      await rm(commitsDir, { recursive: true, force: true });
    },
  };
}

/** Fails with the decoded error when an extrinsic did not succeed. */
export function assertOk(
  name: string,
  r: ExtrinsicResult,
): asserts r is ExtrinsicResult & {
  ok: true;
} {
  assert.equal(r.ok, true, `${name} failed: ${r.ok ? '' : r.error.qualifiedName}`);
}

/** `Sudo.sudo(call)` signed by Alice (the dev chain's sudo key). */
export async function sudo(client: SubtensorClient, call: RuntimeCall): Promise<void> {
  const r = await client.submit({
    signer: alice,
    call: { type: 'Sudo', value: { type: 'sudo', value: { call } } },
  });
  assertOk('sudo', r);
  const sudid = r.events.find((e) => e.pallet === 'Sudo' && e.name === 'Sudid')?.event;
  assert.ok(sudid?.type === 'Sudo' && sudid.value.type === 'Sudid', 'Sudid event');
  const result = sudid.value.value.sudo_result;
  assert.equal(result.type, 'Ok', `sudo call failed: ${JSON.stringify(result, replacer)}`);
}

/** An AdminUtils call value. */
export function admin(name: string, value: Record<string, unknown>): RuntimeCall {
  return { type: 'AdminUtils', value: { type: name, value } } as unknown as RuntimeCall;
}

/** Authors one block (engine_createBlock) and returns its hash. */
export async function produceBlock(node: SpawnedNode): Promise<HexString> {
  const r = await rpcCall(node.httpUrl, 'engine_createBlock', [true, true]);
  assert.equal(r.error, undefined, JSON.stringify(r.error));
  return (r.result as { hash: HexString }).hash;
}

/** Produces blocks until `done()` holds (at most `max` blocks). */
export async function produceUntil(
  node: SpawnedNode,
  done: () => Promise<boolean>,
  what: string,
  max = 400,
): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await done()) return;
    await produceBlock(node);
  }
  assert.fail(`${what}: not reached within ${max} blocks`);
}

/** Produces blocks until the subnet's epoch has run once more. */
export async function runEpoch(env: Env, netuid: number): Promise<void> {
  const before = await env.client.query(SubtensorStorage.SubnetEpochIndex, [netuid]);
  await produceUntil(
    env.node,
    async () => (await env.client.query(SubtensorStorage.SubnetEpochIndex, [netuid])) > before,
    `epoch of subnet ${netuid}`,
  );
}

/** JSON with bigints and bytes readable. */
export function replacer(_: string, v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return `0x${Buffer.from(v).toString('hex')}`;
  return v;
}
