import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SubtensorStorage } from '@taoscript/chain-types';
import { toHex } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import { WebSocketServer } from 'ws';
import {
  ClientTimeoutError,
  connect,
  ExtrinsicFailedError,
  NodeUnreachableError,
  PreconditionError,
  TransactionInvalidError,
} from '../../src/client/index.js';
import { syncMetagraph } from '../../src/metagraph/index.js';
import { VERSION_AS_INT } from '../../src/synapse/index.js';
import { commitHash, storageIndex } from '../../src/weights/index.js';
import {
  admin,
  alice,
  assertOk,
  type Env,
  produceBlock,
  produceUntil,
  startEnv,
  sudo,
  TAO,
} from './helpers.js';

const NETUID = 1;
const owner = keypairFromUri('//Alice//subnet1'); // uid 0 of the genesis subnet
const coldkey = keypairFromUri('//SdkE2eCold');
const hotkey = keypairFromUri('//SdkE2eHot');
const other = keypairFromUri('//SdkE2eOther');

describe('connect', () => {
  it('rejects bad options before connecting', async () => {
    await assert.rejects(connect({ network: 'http://127.0.0.1:9944', env: {} }), RangeError);
    await assert.rejects(connect({ network: 'nowhere', env: {} }), RangeError);
    await assert.rejects(connect({ provider: 5 as never }), TypeError);
    await assert.rejects(connect({ commits: '  ', network: 'local', env: {} }), TypeError);
    await assert.rejects(connect({ commits: {} as never, network: 'local', env: {} }), TypeError);
    await assert.rejects(connect({ timeoutMs: 0, network: 'local', env: {} }), RangeError);
    await assert.rejects(connect(null as never), TypeError);
  });
  it('fails at once with NodeUnreachableError when the endpoint refuses the connection', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise<void>((r) => server.close(() => r()));
    const started = performance.now();
    await assert.rejects(
      connect({ network: `ws://127.0.0.1:${port}`, env: {} }),
      (err: unknown) =>
        err instanceof NodeUnreachableError &&
        err.code === 'UNREACHABLE' &&
        err.reason === 'ECONNREFUSED' &&
        err.shortMessage === `cannot reach the node at ws://127.0.0.1:${port}: ECONNREFUSED`,
    );
    const took = performance.now() - started;
    assert.ok(took < 1000, `took ${took} ms (the connect deadline is 30 s)`);
    await assert.rejects(connect({ network: 'local', env: {}, openTimeoutMs: 0 }), RangeError);
  });
  it('gives up when the socket opens no WebSocket, or the node never answers', async () => {
    // Accepts TCP but never completes the handshake.
    const open = new Set<Socket>();
    const silent = createServer((socket) => {
      socket.resume(); // read, so the client's close is seen
      open.add(socket);
      socket.once('close', () => open.delete(socket));
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as { port: number };
    try {
      await assert.rejects(
        connect({ network: `ws://127.0.0.1:${port}`, env: {}, openTimeoutMs: 200 }),
        (err: unknown) =>
          err instanceof NodeUnreachableError &&
          /no WebSocket handshake within 200 ms/.test(err.message),
      );
      // The client closed what it opened (a socket left connecting would keep a process alive).
      await Promise.all([...open].map((socket) => once(socket, 'close')));
      assert.equal(open.size, 0);
    } finally {
      silent.close();
      silent.unref();
    }
    // Completes the handshake, then answers nothing.
    const mute = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => mute.once('listening', () => r()));
    const mutePort = (mute.address() as { port: number }).port;
    try {
      await assert.rejects(
        connect({ network: `ws://127.0.0.1:${mutePort}`, env: {}, timeoutMs: 300 }),
        (err: unknown) => err instanceof ClientTimeoutError && err.code === 'TIMEOUT',
      );
    } finally {
      for (const c of mute.clients) c.terminate();
      await new Promise<void>((r) => mute.close(() => r()));
    }
  });
});

describe('sdk client against tao-node', () => {
  let env: Env;
  before(async () => {
    env = await startEnv(1);
  });
  after(async () => {
    await env?.close();
  });

  it('verified every item it uses against the node metadata at connect time', () => {
    const checks = env.client.compatibility();
    assert.ok(checks.length >= 35);
    assert.deepEqual(
      checks.filter((c) => !c.ok).map((c) => c.key),
      [],
    );
    assert.equal(env.client.network, 'local');
    assert.deepEqual(
      checks.map((c) => c.key),
      env.client.compatibility().map((c) => c.key),
    );
    assert.match(env.client.genesisHash, /^0x[0-9a-f]{64}$/);
  });

  it('transfers TAO and returns the decoded events and fee', async () => {
    const { client } = env;
    const before = await client.getBalance(coldkey.address());
    const r = await client.transfer({
      signer: alice,
      dest: coldkey.address(),
      amount: 1_000n * TAO,
    });
    assertOk('transfer', r);
    assert.ok(r.fee !== undefined && r.fee > 0n, `fee ${r.fee}`);
    const t = r.events.find((e) => e.pallet === 'Balances' && e.name === 'Transfer')?.event;
    assert.ok(t?.type === 'Balances' && t.value.type === 'Transfer');
    assert.deepEqual(t.value.value, {
      from: alice.publicKey,
      to: coldkey.publicKey,
      amount: 1_000n * TAO,
    });
    assert.equal(await client.getBalance(coldkey.publicKey), before + 1_000n * TAO);
    assert.equal(
      await client.getBalance(coldkey.address(), { at: r.blockHash }),
      before + 1_000n * TAO,
    );
    assert.equal(client.getExistentialDeposit(), 500n);
    // Waiting for finality, and an abort before submitting (nothing is sent).
    const fin = await client.transfer(
      { signer: alice, dest: coldkey.address(), amount: TAO },
      { waitFor: 'finalization' },
    );
    assertOk('transfer (finalized)', fin);
    assert.equal(
      (await client.block('finalized')).number >= fin.blockNumber,
      true,
      'the block is final',
    );
    const held = await client.getBalance(coldkey.publicKey);
    await assert.rejects(
      client.transfer(
        { signer: alice, dest: coldkey.address(), amount: TAO },
        { signal: AbortSignal.abort(new Error('stop')) },
      ),
      /stop/,
    );
    await assert.rejects(
      client.transfer(
        { signer: alice, dest: coldkey.address(), amount: TAO },
        { waitFor: 'soon' as never },
      ),
      RangeError,
    );
    assert.equal(await client.getBalance(coldkey.publicKey), held);
    // The hotkeys sign later, so they need an account.
    for (const k of [hotkey, owner, other])
      assertOk(
        'fund',
        await client.transfer({ signer: alice, dest: k.publicKey, amount: 10n * TAO }),
      );
  });

  it('refuses hostile input before touching the chain', async () => {
    const { client } = env;
    await assert.rejects(client.transfer({ signer: alice, dest: 'nope', amount: 1n }), RangeError);
    await assert.rejects(
      client.transfer({ signer: alice, dest: coldkey.address(), amount: 0n }),
      RangeError,
    );
    await assert.rejects(
      client.transfer({ signer: alice, dest: coldkey.address(), amount: 1 as never }),
      TypeError,
    );
    await assert.rejects(
      client.transfer({ signer: {} as never, dest: coldkey.address(), amount: 1n }),
      TypeError,
    );
    await assert.rejects(
      client.burnedRegister({ signer: coldkey, netuid: 70_000, hotkey: hotkey.publicKey }),
      RangeError,
    );
    await assert.rejects(
      client.serveAxon({ signer: owner, netuid: NETUID, ip: '300.1.1.1', port: 8091 }),
      RangeError,
    );
    await assert.rejects(
      client.serveAxon({ signer: owner, netuid: NETUID, ip: '1.2.3.4', port: 0 }),
      RangeError,
    );
    await assert.rejects(
      client.setWeights({ signer: owner, netuid: NETUID, uids: [0], weights: [Number.NaN] }),
      RangeError,
    );
    await assert.rejects(
      client.setWeights({ signer: owner, netuid: NETUID, uids: [0, 1], weights: [-1, 1] }),
      RangeError,
    );
    await assert.rejects(
      client.setWeights({ signer: owner, netuid: NETUID, uids: [0, 99], weights: [1, 1] }),
      /uid 99 is out of range: subnet 1 has 1 uids/,
    );
    await assert.rejects(
      client.addStake({
        signer: coldkey,
        hotkey: owner.publicKey,
        netuid: NETUID,
        amount: TAO,
        limit: { tolerance: Number.POSITIVE_INFINITY },
      }),
      RangeError,
    );
    await assert.rejects(client.block('0x1234' as never), RangeError);
  });

  it('registers a hotkey with burned_register', async () => {
    const { client } = env;
    const r = await client.burnedRegister({
      signer: coldkey,
      netuid: NETUID,
      hotkey: hotkey.address(),
    });
    assertOk('burned_register', r);
    const reg = r.events.find((e) => e.name === 'NeuronRegistered')?.event;
    assert.ok(reg?.type === 'SubtensorModule' && reg.value.type === 'NeuronRegistered');
    assert.deepEqual(reg.value.value, [NETUID, 1, hotkey.publicKey]);
    assert.equal(await client.getUidForHotkey(NETUID, hotkey.publicKey), 1);
    assert.equal(await client.getSubnetworkN(NETUID), 2);
    assert.equal(await client.getUidForHotkey(NETUID, other.publicKey), undefined);
  });

  it('serves an axon, and skips the call when the chain already has it', async () => {
    const { client } = env;
    const r = await client.serveAxon({ signer: hotkey, netuid: NETUID, ip: '1.2.3.4', port: 8091 });
    assert.ok(!('skipped' in r));
    assertOk('serve_axon', r);
    assert.ok(r.events.some((e) => e.name === 'AxonServed'));
    const again = await client.serveAxon({
      signer: hotkey,
      netuid: NETUID,
      ip: '1.2.3.4',
      port: 8091,
    });
    assert.deepEqual(again, { ok: true, skipped: true });
    const mg = await syncMetagraph(client, NETUID);
    assert.equal(mg.axons[1]?.ip, '1.2.3.4');
    assert.equal(mg.axons[1]?.port, 8091);
    assert.equal(mg.axons[1]?.protocol, 4);
    assert.equal(mg.axons[1]?.version, VERSION_AS_INT, 'one SDK version: the synapse terminal one');
    assert.equal(mg.axons[1]?.isServing, true);
    assert.equal(mg.axons[0]?.isServing, false);
  });

  it('decodes a dispatch error to its pallet error name', async () => {
    const { client } = env;
    const balance = await client.getBalance(coldkey.publicKey);
    const r = await client.addStake({
      signer: coldkey,
      hotkey: hotkey.publicKey,
      netuid: NETUID,
      amount: balance + 10n * TAO,
    });
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.ok(r.error instanceof ExtrinsicFailedError);
    assert.equal(r.error.code, 'NotEnoughBalanceToStake');
    assert.equal(r.error.pallet, 'SubtensorModule');
    assert.equal(r.error.qualifiedName, 'SubtensorModule.NotEnoughBalanceToStake');
    assert.equal(r.error.location.blockHash, r.blockHash);
    assert.ok(r.events.some((e) => e.pallet === 'System' && e.name === 'ExtrinsicFailed'));
    await assert.rejects(
      client.addStake(
        { signer: coldkey, hotkey: hotkey.publicKey, netuid: NETUID, amount: balance + TAO },
        { raiseError: true },
      ),
      (err: unknown) =>
        err instanceof ExtrinsicFailedError &&
        err.qualifiedName === 'SubtensorModule.NotEnoughBalanceToStake',
    );
    // A signer that cannot pay the fee is refused by the pool, before any block.
    await assert.rejects(
      client.transfer({
        signer: keypairFromUri('//SdkE2ePoor'),
        dest: alice.publicKey,
        amount: TAO,
      }),
      (err: unknown) => err instanceof TransactionInvalidError && /Payment/.test(err.message),
    );
  });

  it('stakes and unstakes with limit prices, previewed with the Swap runtime API', async () => {
    const { client } = env;
    const amount = 100n * TAO;
    const preview = await client.previewAddStake(NETUID, amount);
    assert.ok(preview.price > 0n && preview.amountOut > 0n);
    assert.equal(preview.amountOut, preview.sim.alpha_amount);
    assert.ok(preview.slippage >= 0 && preview.slippage < 0.5, `slippage ${preview.slippage}`);
    const price = await client.alphaPrice(NETUID);
    const add = await client.addStake({
      signer: coldkey,
      hotkey: hotkey.publicKey,
      netuid: NETUID,
      amount,
      limit: { tolerance: 0.5 },
    });
    assertOk('add_stake_limit', add);
    assert.equal(add.limitPrice, (price * 1_500_000_000n) / 1_000_000_000n);
    const added = add.events.find((e) => e.name === 'StakeAdded')?.event;
    assert.ok(added?.type === 'SubtensorModule' && added.value.type === 'StakeAdded');
    const [ck, hk, taoIn, alphaOut, netuid] = added.value.value as [
      Uint8Array,
      Uint8Array,
      bigint,
      bigint,
      number,
      bigint,
    ];
    assert.deepEqual(
      [ck, hk, taoIn, netuid],
      [coldkey.publicKey, hotkey.publicKey, amount, NETUID],
    );
    const stake = await client.getStake({
      coldkey: coldkey.address(),
      hotkey: hotkey.address(),
      netuid: NETUID,
    });
    assert.equal(stake, alphaOut);
    const rel = Number(alphaOut - preview.amountOut) / Number(preview.amountOut);
    assert.ok(Math.abs(rel) < 0.02, `preview ${preview.amountOut} vs staked ${alphaOut}`);

    // A sell limit above the current price cannot fill.
    const tooHigh = await client.removeStake({
      signer: coldkey,
      hotkey: hotkey.publicKey,
      netuid: NETUID,
      amount: stake / 2n,
      limit: { price: (await client.alphaPrice(NETUID)) * 2n },
    });
    assert.ok(!tooHigh.ok);
    assert.equal(tooHigh.error.qualifiedName, 'Swap.PriceLimitExceeded');
    assert.equal(tooHigh.error.code, 'PriceLimitExceeded');

    const removePreview = await client.previewRemoveStake(NETUID, stake / 2n);
    assert.ok(removePreview.amountOut > 0n);
    assert.equal(removePreview.amountOut, removePreview.sim.tao_amount);
    assert.ok(
      removePreview.slippage > 0 && removePreview.slippage < 0.5,
      `slippage ${removePreview.slippage}`,
    );
    // The default 0.5 % tolerance cannot absorb this sale's price impact ...
    const strict = await client.removeStake({
      signer: coldkey,
      hotkey: hotkey.publicKey,
      netuid: NETUID,
      amount: stake / 2n,
      limit: {},
    });
    assert.ok(!strict.ok);
    assert.equal(strict.error.qualifiedName, 'SubtensorModule.SlippageTooHigh');
    // ... a 30 % one can.
    const spot = await client.alphaPrice(NETUID);
    const rm = await client.removeStake({
      signer: coldkey,
      hotkey: hotkey.publicKey,
      netuid: NETUID,
      amount: stake / 2n,
      limit: { tolerance: 0.3 },
    });
    assertOk('remove_stake_limit', rm);
    assert.equal(rm.limitPrice, (spot * 700_000_000n) / 1_000_000_000n);
    const removed = rm.events.find((e) => e.name === 'StakeRemoved')?.event;
    assert.ok(removed?.type === 'SubtensorModule' && removed.value.type === 'StakeRemoved');
    const taoOut = removed.value.value[2] as bigint;
    const relOut = Number(taoOut - removePreview.amountOut) / Number(removePreview.amountOut);
    assert.ok(Math.abs(relOut) < 0.02, `preview ${removePreview.amountOut} vs paid ${taoOut}`);
    const left = await client.getStake({
      coldkey: coldkey.publicKey,
      hotkey: hotkey.publicKey,
      netuid: NETUID,
    });
    assert.ok(left < stake && left >= stake - stake / 2n - 1n, `${stake} -> ${left}`);

    // Move a quarter to the owner hotkey, then give some to another coldkey.
    const mv = await client.moveStake({
      signer: coldkey,
      originHotkey: hotkey.publicKey,
      destinationHotkey: owner.publicKey,
      originNetuid: NETUID,
      destinationNetuid: NETUID,
      amount: left / 4n,
    });
    assertOk('move_stake', mv);
    assert.ok(
      (await client.getStake({ coldkey: coldkey.publicKey, hotkey: owner.publicKey, netuid: 1 })) >
        0n,
    );
    const tr = await client.transferStake({
      signer: coldkey,
      destinationColdkey: other.publicKey,
      hotkey: hotkey.publicKey,
      originNetuid: NETUID,
      destinationNetuid: NETUID,
      amount: left / 4n,
    });
    assertOk('transfer_stake', tr);
    assert.ok(
      (await client.getStake({ coldkey: other.publicKey, hotkey: hotkey.publicKey, netuid: 1 })) >
        0n,
    );
  });

  it('reads subnets, dynamic info and hyperparameters', async () => {
    const { client } = env;
    assert.deepEqual(await client.getNetuids(), [0, 1]);
    const dyn = await client.getDynamicInfo(NETUID);
    assert.ok(dyn && dyn.netuid === NETUID && dyn.tao_in > 0n);
    assert.equal(await client.getDynamicInfo(999), undefined);
    const hp = await client.getSubnetHyperparameters(NETUID);
    assert.ok(hp);
    assert.equal(hp.commit_reveal_weights_enabled, false);
    assert.equal(await client.getSubnetHyperparameters(999), undefined);
    assert.equal(await client.commitRevealEnabled(NETUID), false);
    assert.equal(await client.weightsRateLimit(NETUID), hp.weights_rate_limit);
  });

  it('sets weights converted from floats (set_mechanism_weights)', async () => {
    const { client } = env;
    await sudo(client, admin('sudo_set_admin_freeze_window', { window: 0 }));
    await sudo(
      client,
      admin('sudo_set_weights_set_rate_limit', { netuid: NETUID, weights_set_rate_limit: 0n }),
    );
    await assert.rejects(
      client.setWeights({ signer: other, netuid: NETUID, uids: [0], weights: [1] }),
      (err: unknown) => err instanceof PreconditionError && err.code === 'HOTKEY_NOT_REGISTERED',
    );
    await assert.rejects(
      client.commitWeights({ signer: owner, netuid: NETUID, uids: [0], weights: [1] }),
      (err: unknown) => err instanceof PreconditionError && err.code === 'COMMIT_REVEAL_DISABLED',
    );
    assert.deepEqual(await (await client.commitStore()).list(owner.publicKey), []);
    // The owner's uid may weight others without a validator permit.
    const r = await client.setWeights({
      signer: owner,
      netuid: NETUID,
      uids: [0, 1],
      weights: [0.25, 0.5],
      versionKey: 0n,
    });
    assertOk('set_weights', r);
    assert.deepEqual(r.values, [32_768, 65_535]);
    const set = r.events.find((e) => e.name === 'WeightsSet')?.event;
    assert.ok(set?.type === 'SubtensorModule' && set.value.type === 'WeightsSet');
    assert.deepEqual(set.value.value, [NETUID, 0]);
    assert.deepEqual(await client.query(SubtensorStorage.Weights, [NETUID, 0]), [
      [0, 32_768],
      [1, 65_535],
    ]);
    assert.equal(await client.blocksSinceLastUpdate(NETUID, 0), 0);
    await produceBlock(env.node);
    assert.equal(await client.blocksSinceLastUpdate(NETUID, 0), 1);
    assert.equal(await client.blocksSinceLastUpdate(NETUID, 200), undefined);
  });

  it('commits weights (salt kept on disk, 0600) and reveals them in the reveal epoch', async () => {
    const { client, node } = env;
    await sudo(
      client,
      admin('sudo_set_commit_reveal_weights_enabled', { netuid: NETUID, enabled: true }),
    );
    await sudo(client, admin('sudo_set_tempo', { netuid: NETUID, tempo: 20 }));
    await assert.rejects(
      client.setWeights({ signer: owner, netuid: NETUID, uids: [0], weights: [1] }),
      (err: unknown) => err instanceof PreconditionError && err.code === 'COMMIT_REVEAL_ENABLED',
    );
    const c = await client.commitWeights({
      signer: owner,
      netuid: NETUID,
      uids: [0, 1],
      weights: [0.2, 0.8],
      versionKey: 0n,
    });
    assertOk('commit_weights', c);
    assert.deepEqual(c.values, [16_384, 65_535]);
    assert.equal(c.salt.length, 8);
    assert.equal(
      c.commitHash,
      commitHash({
        hotkey: owner.publicKey,
        netuid: NETUID,
        uids: [0, 1],
        values: [16_384, 65_535],
        salt: c.salt,
        versionKey: 0n,
      }),
    );
    const committed = c.events.find((e) => e.name === 'WeightsCommitted')?.event;
    assert.ok(committed?.type === 'SubtensorModule' && committed.value.type === 'WeightsCommitted');
    assert.equal(toHex(committed.value.value[2] as Uint8Array), c.commitHash);

    const file = join(env.commitsDir, `${owner.address()}.json`);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const stored = JSON.parse(await readFile(file, 'utf8')) as { commits: { salt: number[] }[] };
    assert.deepEqual(stored.commits[0]?.salt, c.salt);
    const pending = await (await client.commitStore()).list(owner.publicKey);
    assert.equal(pending.length, 1);
    assert.equal(pending[0]?.block, c.blockNumber);

    // Reveal only in epoch commit_epoch + RevealPeriodEpochs (with subtensor's lookahead).
    const commits = await client.query(SubtensorStorage.WeightCommits, [
      storageIndex(NETUID),
      owner.publicKey,
    ]);
    assert.ok(commits && commits.length === 1);
    const [hash, commitEpoch] = commits[0] as [Uint8Array, bigint, bigint, bigint];
    assert.equal(toHex(hash), c.commitHash);
    const period = await client.query(SubtensorStorage.RevealPeriodEpochs, [NETUID]);
    const target = commitEpoch + period;
    await produceUntil(
      node,
      async () => {
        const head = await client.block();
        const at = { at: head.hash };
        const [index, last, tempo] = await Promise.all([
          client.query(SubtensorStorage.SubnetEpochIndex, [NETUID], at),
          client.query(SubtensorStorage.LastEpochBlock, [NETUID], at),
          client.query(SubtensorStorage.Tempo, [NETUID], at),
        ]);
        const next = BigInt(head.number + 1);
        const epoch = index + (tempo > 0 && next - last >= BigInt(tempo) ? 1n : 0n);
        assert.ok(epoch <= target, `missed the reveal epoch ${target} (now ${epoch})`);
        return epoch === target;
      },
      'the reveal epoch',
    );
    const rv = await client.revealWeights({ signer: owner, netuid: NETUID });
    assertOk('reveal_weights', rv);
    assert.ok(rv.events.some((e) => e.name === 'WeightsRevealed'));
    assert.deepEqual(await client.query(SubtensorStorage.Weights, [NETUID, 0]), [
      [0, 16_384],
      [1, 65_535],
    ]);
    assert.deepEqual(await (await client.commitStore()).list(owner.publicKey), []);
    await assert.rejects(stat(file), { code: 'ENOENT' });
    await assert.rejects(
      client.revealWeights({ signer: owner, netuid: NETUID }),
      (err: unknown) => err instanceof PreconditionError && err.code === 'NO_PENDING_COMMIT',
    );
  });

  it('submits any declared call and reads storage generically', async () => {
    const { client } = env;
    const again = await client.refreshMetadata();
    assert.ok(again.length >= 35 && again.every((c) => c.ok));
    const r = await client.submit({
      signer: alice,
      call: {
        type: 'System',
        value: { type: 'remark_with_event', value: { remark: new Uint8Array([1, 2, 3]) } },
      },
    });
    assertOk('remark', r);
    assert.ok(r.events.some((e) => e.pallet === 'System' && e.name === 'Remarked'));
    await assert.rejects(
      client.submit({ signer: alice, call: { type: 'Nope', value: { type: 'x' } } as never }),
      /declares no call Nope\.x/,
    );
    assert.equal(await client.query(SubtensorStorage.NetworksAdded, [NETUID]), true);
    assert.equal(await client.query(SubtensorStorage.NetworksAdded, [77]), false);
    const events = await client.getEvents({ at: r.blockHash });
    assert.ok(events.some((e) => e.name === 'Remarked'));
  });
});
