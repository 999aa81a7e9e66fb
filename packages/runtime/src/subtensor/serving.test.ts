import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RuntimeCall, SubtensorStorage as S } from '@taoscript/chain-types';
import { keypairFromUri } from '@taoscript/crypto';
import type { RuntimeHarness } from '@taoscript/testkit';
import { type DispatchContext, describeDispatchError } from '../dispatch.js';
import { MapState, Overlay } from '../state.js';
import { handlers } from './dispatch.js';
import {
  isValidIpAddress,
  isValidIpType,
  MAX_CERTIFICATE_BYTES,
  parseCertificate,
} from './serving.js';
import './subnets.js';
import {
  alice,
  fundedHarness,
  registerSubnet,
  sub,
  submitFails,
  submitOk,
  TAO,
} from '../../test/subtensor-fixtures.js';

const U128_MAX = (1n << 128n) - 1n;
const hotA = keypairFromUri('//ServingHotA');
const hotB = keypairFromUri('//ServingHotB');
const IP = 0x0a00_0001n; // 10.0.0.1

type Axon = { netuid?: number; ip?: bigint; port?: number; ip_type?: number; version?: number };
const axonArgs = (a: Axon = {}) => ({
  netuid: a.netuid ?? 1,
  version: a.version ?? 7,
  ip: a.ip ?? IP,
  port: a.port ?? 8091,
  ip_type: a.ip_type ?? 4,
  protocol: 4,
  placeholder1: 1,
  placeholder2: 2,
});
const serveAxon = (a: Axon = {}): RuntimeCall => sub({ type: 'serve_axon', value: axonArgs(a) });
const serveTls = (certificate: Uint8Array, a: Axon = {}): RuntimeCall =>
  sub({ type: 'serve_axon_tls', value: { ...axonArgs(a), certificate } });
const servePrometheus = (a: Axon = {}): RuntimeCall =>
  sub({
    type: 'serve_prometheus',
    value: {
      netuid: a.netuid ?? 1,
      version: a.version ?? 3,
      ip: a.ip ?? IP,
      port: a.port ?? 9090,
      ip_type: a.ip_type ?? 4,
    },
  });

/** Subnet 1 owned by Alice with `hotA` as uid 0; `hotB` funded but unregistered. */
function setup(): RuntimeHarness {
  const h = fundedHarness([
    [hotA.publicKey, TAO],
    [hotB.publicKey, TAO],
  ]);
  registerSubnet(h, alice, hotA.publicKey);
  return h;
}

describe('serve_axon', () => {
  it('records the axon at the current block, free of charge', () => {
    const h = setup();
    const before = h.free(hotA.publicKey);
    const events = submitOk(h, hotA, serveAxon());
    assert.deepEqual(
      events.filter((e) => e.event.type === 'SubtensorModule').map((e) => e.event.value),
      [{ type: 'AxonServed', value: [1, hotA.publicKey] }],
    );
    assert.deepEqual(S.Axons.get(h.state, 1, hotA.publicKey), {
      block: BigInt(h.number),
      version: 7,
      ip: IP,
      port: 8091,
      ip_type: 4,
      protocol: 4,
      placeholder1: 1,
      placeholder2: 2,
    });
    assert.equal(h.free(hotA.publicKey), before, 'Pays::No');
    assert.equal(S.NeuronCertificates.tryGet(h.state, 1, hotA.publicKey), undefined);
  });

  it('accepts a zero ip and IPv6 addresses', () => {
    const h = setup();
    submitOk(h, hotA, serveAxon({ ip: 0n }));
    assert.equal(S.Axons.get(h.state, 1, hotA.publicKey)?.ip, 0n);
    h.edit((ov) => S.ServingRateLimit.set(ov, 1, 0n));
    submitOk(h, hotA, serveAxon({ ip_type: 6, ip: 0x2001_0db8n << 96n }));
    assert.equal(S.Axons.get(h.state, 1, hotA.publicKey)?.ip_type, 6);
  });

  it('checks registration, ip type, ip, rate limit and port, in that order', () => {
    const h = setup();
    submitFails(h, hotB, serveAxon({ ip_type: 5 }), 'SubtensorModule.HotKeyNotRegisteredInNetwork');
    submitFails(h, hotA, serveAxon({ netuid: 2 }), 'SubtensorModule.HotKeyNotRegisteredInNetwork');
    submitFails(h, hotA, serveAxon({ ip_type: 5, port: 0 }), 'SubtensorModule.InvalidIpType');
    for (const [ip_type, ip] of [
      [4, 0x7f00_0001n],
      [4, 0xffff_ffffn],
      [4, 1n << 40n],
      [6, 1n],
      [6, U128_MAX],
    ] as const)
      submitFails(h, hotA, serveAxon({ ip_type, ip, port: 0 }), 'SubtensorModule.InvalidIpAddress');
    submitFails(h, hotA, serveAxon({ port: 0 }), 'SubtensorModule.InvalidPort');
    submitOk(h, hotA, serveAxon());
    submitFails(h, hotA, serveAxon({ port: 0 }), 'SubtensorModule.ServingRateLimitExceeded');
    submitFails(h, hotA, serveAxon({ ip: 0x7f00_0001n }), 'SubtensorModule.InvalidIpAddress');
    // The limit counts blocks since the last serve; 0 disables it.
    h.edit((ov) => S.ServingRateLimit.set(ov, 1, 3n));
    h.block();
    submitFails(h, hotA, serveAxon(), 'SubtensorModule.ServingRateLimitExceeded');
    h.block();
    submitOk(h, hotA, serveAxon({ version: 8 }));
    assert.equal(S.Axons.get(h.state, 1, hotA.publicKey)?.version, 8);
    h.edit((ov) => S.ServingRateLimit.set(ov, 1, 0n));
    submitOk(h, hotA, serveAxon({ version: 9 }));
  });
});

describe('serve_axon_tls', () => {
  it('stores a certificate of at most 65 bytes and silently ignores others', () => {
    const h = setup();
    h.edit((ov) => S.ServingRateLimit.set(ov, 1, 0n));
    const key = new Uint8Array(64).map((_, i) => i);
    submitOk(h, hotA, serveTls(new Uint8Array([1, ...key])));
    assert.deepEqual(S.NeuronCertificates.get(h.state, 1, hotA.publicKey), {
      public_key: key,
      algorithm: 1,
    });
    // Too long or empty: the axon is served, the stored certificate stays.
    submitOk(h, hotA, serveTls(new Uint8Array(66).fill(2), { version: 2 }));
    submitOk(h, hotA, serveTls(new Uint8Array(0), { version: 3 }));
    assert.equal(S.Axons.get(h.state, 1, hotA.publicKey)?.version, 3);
    assert.deepEqual(S.NeuronCertificates.get(h.state, 1, hotA.publicKey)?.algorithm, 1);
    submitOk(h, hotA, serveTls(new Uint8Array([9])));
    assert.deepEqual(S.NeuronCertificates.get(h.state, 1, hotA.publicKey), {
      public_key: new Uint8Array(0),
      algorithm: 9,
    });
    // A failed serve stores no certificate.
    submitFails(
      h,
      hotB,
      serveTls(new Uint8Array([1, 2])),
      'SubtensorModule.HotKeyNotRegisteredInNetwork',
    );
  });

  it('parses certificates as upstream does', () => {
    assert.equal(MAX_CERTIFICATE_BYTES, 65);
    assert.equal(parseCertificate(new Uint8Array(0)), undefined);
    assert.equal(parseCertificate(new Uint8Array(66)), undefined);
    assert.deepEqual(parseCertificate(new Uint8Array([3, 4, 5])), {
      public_key: new Uint8Array([4, 5]),
      algorithm: 3,
    });
    assert.throws(() => parseCertificate([1, 2] as never), TypeError);
  });
});

describe('serve_prometheus', () => {
  it('checks ip type and ip before registration, refuses ip 0, and rate-limits separately', () => {
    const h = setup();
    submitFails(h, hotB, servePrometheus({ ip_type: 5 }), 'SubtensorModule.InvalidIpType');
    submitFails(h, hotB, servePrometheus({ ip: 0n }), 'SubtensorModule.InvalidIpAddress');
    submitFails(h, hotB, servePrometheus(), 'SubtensorModule.HotKeyNotRegisteredInNetwork');
    submitFails(h, hotA, servePrometheus({ ip: 0n }), 'SubtensorModule.InvalidIpAddress');
    submitFails(h, hotA, servePrometheus({ port: 0 }), 'SubtensorModule.InvalidPort');
    submitOk(h, hotA, serveAxon());
    const events = submitOk(h, hotA, servePrometheus());
    assert.deepEqual(
      events.filter((e) => e.event.type === 'SubtensorModule').map((e) => e.event.value),
      [{ type: 'PrometheusServed', value: [1, hotA.publicKey] }],
    );
    assert.deepEqual(S.Prometheus.get(h.state, 1, hotA.publicKey), {
      block: BigInt(h.number),
      version: 3,
      ip: IP,
      port: 9090,
      ip_type: 4,
    });
    submitFails(h, hotA, servePrometheus({ port: 0 }), 'SubtensorModule.ServingRateLimitExceeded');
  });
});

describe('serving entry points', () => {
  it('need a signed origin and well-formed arguments', () => {
    const ctx: DispatchContext = {
      state: new Overlay(new MapState()),
      blockNumber: 3,
      deposit: () => {},
    };
    const axon = handlers.SubtensorModule.serve_axon;
    const prom = handlers.SubtensorModule.serve_prometheus;
    const tls = handlers.SubtensorModule.serve_axon_tls;
    assert.ok(axon && prom && tls, 'handlers registered');
    const out = axon(ctx, { type: 'Root' }, { type: 'serve_axon', value: axonArgs() });
    assert.equal(out.ok, false);
    if (!out.ok) assert.equal(describeDispatchError(out.error), 'BadOrigin');
    assert.throws(
      () => axon(ctx, { type: 'Root' }, { type: 'serve_axon', value: axonArgs({ port: 70_000 }) }),
      RangeError,
    );
    assert.throws(
      () => axon(ctx, { type: 'Root' }, { type: 'serve_axon', value: axonArgs({ ip: -1n }) }),
      RangeError,
    );
    assert.throws(
      () =>
        prom(
          ctx,
          { type: 'Root' },
          { type: 'serve_prometheus', value: { ...axonArgs(), ip: 5 as never } },
        ),
      TypeError,
    );
    assert.throws(
      () =>
        tls(
          ctx,
          { type: 'Root' },
          {
            type: 'serve_axon_tls',
            value: { ...axonArgs(), certificate: 'x' as never },
          },
        ),
      TypeError,
    );
  });

  it('validate ip types and addresses', () => {
    assert.deepEqual([4, 6, 0, 5].map(isValidIpType), [true, true, false, false]);
    assert.equal(isValidIpAddress(4, 0n, true), true);
    assert.equal(isValidIpAddress(4, 0n, false), false);
    assert.equal(isValidIpAddress(4, 0xffff_fffen, false), true);
    assert.equal(isValidIpAddress(4, 0xffff_ffffn, false), false);
    assert.equal(isValidIpAddress(6, U128_MAX - 1n, false), true);
    assert.equal(isValidIpAddress(6, 2n, false), true);
  });
});
