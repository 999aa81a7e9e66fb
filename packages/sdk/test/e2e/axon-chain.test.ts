import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect as tcpConnect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { keypairFromUri } from '@taoscript/crypto';
import { z } from 'zod';
import { Axon } from '../../src/axon/index.js';
import {
  Dendrite,
  isBlacklisted,
  isSuccess,
  isTimeout,
  prepareRequest,
} from '../../src/dendrite/index.js';
import { Metagraph } from '../../src/metagraph/index.js';
import { defineSynapse, uuid1 } from '../../src/synapse/index.js';
import { alice, assertOk, type Env, startEnv, TAO } from './helpers.js';

const NETUID = 1;
const Double = defineSynapse({
  name: 'Double',
  request: z.object({ value: z.int() }),
  response: z.object({ doubled: z.int() }),
  hashFields: ['value'],
});
/** A handler that never answers on its own: it waits for the axon to abort it. */
const Stall = defineSynapse({
  name: 'Stall',
  request: z.object({ value: z.int() }),
  response: z.object({ done: z.boolean() }),
  hashFields: ['value'],
});

/**
 * POSTs `headers` with a declared 64 MiB body, writing 16 KiB at a time until the axon answers or
 * closes; returns what it answered and how much was written by then.
 */
async function oversizedPost(port: number, path: string, headers: Record<string, string>) {
  const total = 64 * 1024 * 1024;
  const socket = tcpConnect(port, '127.0.0.1');
  await once(socket, 'connect');
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: axon\r\nContent-Length: ${total}\r\n${lines.join('')}\r\n`,
  );
  let response = '';
  let stop = false;
  socket.on('data', (d: Buffer) => {
    response += d.toString('latin1');
    stop = true;
  });
  socket.on('error', () => {
    stop = true;
  });
  const closed = new Promise((r) => socket.once('close', r));
  const chunk = new Uint8Array(16 * 1024).fill(0x20);
  let written = 0;
  while (!stop && written < total) {
    written += chunk.length;
    if (!socket.write(chunk))
      await Promise.race([
        // `once` rejects when the socket errors (EPIPE after the axon closes): that ends it too.
        once(socket, 'drain').catch(() => undefined),
        closed,
      ]);
  }
  socket.destroy();
  await closed;
  return { response, written, total };
}

/** A miner registered on a dev chain, found through the metagraph, queried by the subnet's owner. */
describe('axon and dendrite on a dev chain', () => {
  let env: Env;
  const miner = keypairFromUri('//SdkAxonMiner');
  const validator = keypairFromUri('//Alice//subnet1'); // registered as uid 0 at genesis
  const stranger = keypairFromUri('//SdkAxonStranger');
  let axon: Axon;
  let dendrite: Dendrite;

  before(async () => {
    env = await startEnv(1);
    // The miner's hotkey pays for its own serve_axon.
    assertOk(
      'transfer',
      await env.client.transfer({ signer: alice, dest: miner.address(), amount: 10n * TAO }),
    );
    assertOk(
      'burned_register',
      await env.client.burnedRegister({ signer: alice, netuid: NETUID, hotkey: miner.address() }),
    );
  });
  after(async () => {
    await dendrite?.close();
    await axon?.stop();
    await env?.close();
  });

  it('serves a registered caller, refuses an unregistered one, and publishes itself on chain', async () => {
    const metagraph = new Metagraph(env.client, NETUID);
    await metagraph.sync();
    const minerUid = metagraph.lookup(miner.address())?.uid;
    assert.equal(minerUid, 1, 'the miner is registered as uid 1');
    assert.equal(metagraph.lookup(validator.address())?.uid, 0, 'the owner hotkey is uid 0');
    assert.equal(metagraph.lookup(stranger.address()), undefined, 'the stranger is not registered');

    axon = new Axon({
      keypair: miner,
      host: '127.0.0.1',
      port: 0,
      externalIp: '1.2.3.4',
      neurons: metagraph,
    });
    axon.attach(Double, (s) => ({ doubled: s.value * 2 }));
    await axon.start();

    // Publish what the axon says about itself; the metagraph then reports it.
    const info = axon.info();
    const served = await env.client.serveAxon({
      signer: miner,
      netuid: NETUID,
      ip: info.ip,
      port: info.port,
      protocol: info.protocol,
      version: info.version,
    });
    assert.ok(!('skipped' in served), 'the chain had no axon for the miner yet');
    assertOk('serve_axon', served);
    await metagraph.sync();
    const published = metagraph.axons[minerUid];
    assert.equal(published?.ip, '1.2.3.4');
    assert.equal(published?.port, axon.port);

    dendrite = new Dendrite({ keypair: validator });
    const target = { ip: '127.0.0.1', port: axon.port, hotkey: miner.address() };
    const ok = await dendrite.query(target, Double.create({ value: 21 }), { timeout: 10 });
    assert.ok(isSuccess(ok), `status ${ok.dendrite.status_code} ${ok.dendrite.status_message}`);
    assert.equal(ok.doubled, 42);

    const outsider = new Dendrite({ keypair: stranger });
    try {
      const refused = await outsider.query(target, Double.create({ value: 1 }), { timeout: 10 });
      assert.ok(isBlacklisted(refused), `status ${refused.dendrite.status_code}`);
      assert.equal(refused.axon.status_code, 403);
      assert.equal(refused.doubled, null);
    } finally {
      await outsider.close();
    }
  });

  it('refuses a replayed nonce, a tampered body, a slow handler (408) and an oversized body', async () => {
    const metagraph = new Metagraph(env.client, NETUID);
    await metagraph.sync();
    const limited = new Axon({
      keypair: miner,
      host: '127.0.0.1',
      port: 0,
      neurons: metagraph,
      maxBodyBytes: 64 * 1024,
    });
    let doubled = 0;
    let stalledAborted = false;
    limited.attach(Double, (s) => {
      doubled++;
      return { doubled: s.value * 2 };
    });
    limited.attach(Stall, (_s, ctx) => {
      return new Promise((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => {
          stalledAborted = true;
          reject(ctx.signal.reason);
        });
      });
    });
    await limited.start();
    try {
      const target = { ip: '127.0.0.1', port: limited.port, hotkey: miner.address() };
      const prep = () =>
        prepareRequest(Double.create({ value: 5 }), {
          keypair: validator,
          hotkey: validator.address(),
          uuid: uuid1(),
          target,
        });
      const post = async (p: Awaited<ReturnType<typeof prep>>) => {
        const res = await fetch(`http://127.0.0.1:${limited.port}/Double`, {
          method: 'POST',
          headers: p.headers,
          body: p.body,
        });
        return { status: res.status, message: ((await res.json()) as { message: string }).message };
      };

      // The same signed request twice: served once, then refused as a replay.
      const signed = await prep();
      assert.equal((await post(signed)).status, 200);
      const replay = await post(signed);
      assert.equal(replay.status, 401);
      assert.match(replay.message, /newer one was last processed/);

      // A body changed after signing no longer matches the signed body hash.
      const tampered = await prep();
      tampered.body = tampered.body.replace('"value": 5', '"value": 6');
      assert.notEqual(tampered.body, signed.body, 'the body was changed');
      const t = await post(tampered);
      assert.equal(t.status, 500, 'Python answers a hash mismatch with 500');
      assert.equal(doubled, 1, 'only the first request reached the handler');

      // A handler that does not finish in time: 408 with terminal info on the dendrite's side.
      const dendrite2 = new Dendrite({ keypair: validator });
      try {
        const slow = await dendrite2.query(target, Stall.create({ value: 1 }), { timeout: 0.5 });
        assert.ok(isTimeout(slow), `status ${slow.dendrite.status_code}`);
        assert.equal(slow.dendrite.status_code, 408);
        assert.equal(slow.done, null);
        // The clock that stamps process_time and the timer that ends the call are not the same
        // clock, so allow a millisecond-scale difference around the 0.5 s timeout.
        const took = Number(slow.dendrite.process_time);
        assert.ok(took >= 0.45 && took < 5, `process_time ${took} covers the timeout`);
      } finally {
        await dendrite2.close();
      }
      const deadline = Date.now() + 10_000;
      while (!stalledAborted && Date.now() < deadline) await new Promise((r) => setImmediate(r));
      assert.ok(stalledAborted, 'the stalled handler was aborted');

      // A declared 64 MiB body is cut off at the limit, long before it is all sent.
      const big = await prep();
      const { response, written, total } = await oversizedPost(
        limited.port,
        '/Double',
        big.headers,
      );
      assert.match(response, /^HTTP\/1\.1 413 /);
      assert.ok(written < total / 4, `the client wrote ${written} of ${total} bytes first`);
      assert.equal(doubled, 1, 'the handler never ran for the oversized body');
    } finally {
      await limited.stop();
    }
  });
});
