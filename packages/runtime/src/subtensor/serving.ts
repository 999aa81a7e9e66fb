/**
 * Serving endpoints, as subtensor 14bc6f9f (subnets/serving.rs): `serve_axon`, `serve_axon_tls`
 * (with the neuron's TLS certificate) and `serve_prometheus`, each with upstream's check order.
 */
import {
  type AxonInfo,
  type NeuronCertificate,
  type PrometheusInfo,
  SubtensorStorage as S,
  type StateGet,
} from '@taoscript/chain-types';
import { BAD_ORIGIN, type DispatchContext, type DispatchOutcome, fail, OK } from '../dispatch.js';
import { handlers } from './dispatch.js';
import { assertNetuid, subtensorError } from './pool.js';

const U32_MAX = 0xffff_ffffn;
const U128_MAX = (1n << 128n) - 1n;
/** Longest certificate accepted: one algorithm byte and a 64-byte public key. */
export const MAX_CERTIFICATE_BYTES = 65;

const err = (name: string): DispatchOutcome => fail(subtensorError(name));

/** `is_valid_ip_type`: 4 or 6. */
export function isValidIpType(ipType: number): boolean {
  return ipType === 4 || ipType === 6;
}

/**
 * `is_valid_ip_address`: IPv4 below 255.255.255.255 and not 127.0.0.1; IPv6 not ::1 nor all
 * ones; zero only when `allowZero` (axons may serve 0 for testing).
 */
export function isValidIpAddress(ipType: number, ip: bigint, allowZero: boolean): boolean {
  if (!allowZero && ip === 0n) return false;
  if (ipType === 4 && (ip >= U32_MAX || ip === 0x7f00_0001n)) return false;
  if (ipType === 6 && (ip === U128_MAX || ip === 1n)) return false;
  return true;
}

/** Serving rate limit: passes when the limit is 0, nothing was served yet, or enough blocks passed. */
function passesRateLimit(state: StateGet, netuid: number, last: bigint, now: bigint): boolean {
  const limit = S.ServingRateLimit.get(state, netuid);
  return limit === 0n || last === 0n || (now > last ? now - last : 0n) >= limit;
}

/**
 * `NeuronCertificate::try_from`: `[algorithm, key…]` of 1–65 bytes, else `undefined` (upstream
 * then silently keeps the old certificate).
 */
export function parseCertificate(bytes: Uint8Array): NeuronCertificate | undefined {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('certificate: expected a Uint8Array');
  if (bytes.length === 0 || bytes.length > MAX_CERTIFICATE_BYTES) return undefined;
  return { public_key: bytes.slice(1), algorithm: bytes[0] as number };
}

type AxonArgs = {
  netuid: number;
  version: number;
  ip: bigint;
  port: number;
  ip_type: number;
  protocol: number;
  placeholder1: number;
  placeholder2: number;
};

function checkArgs(a: { netuid: number; version: number; ip: bigint; port: number }): void {
  assertNetuid(a.netuid);
  if (!Number.isInteger(a.version) || a.version < 0 || a.version > 0xffff_ffff)
    throw new RangeError('version: expected a u32');
  if (typeof a.ip !== 'bigint') throw new TypeError('ip: expected a bigint');
  if (a.ip < 0n || a.ip > U128_MAX) throw new RangeError('ip: expected a u128');
  if (!Number.isInteger(a.port) || a.port < 0 || a.port > 0xffff)
    throw new RangeError('port: expected a u16');
}

/** `do_serve_axon`: records the hotkey's axon (and certificate, if one parses) on `netuid`. */
export function doServeAxon(
  ctx: DispatchContext,
  hotkey: Uint8Array,
  a: AxonArgs,
  certificate?: Uint8Array,
): DispatchOutcome {
  const st = ctx.state;
  const now = BigInt(ctx.blockNumber);
  if (S.Uids.tryGet(st, a.netuid, hotkey) === undefined) return err('HotKeyNotRegisteredInNetwork');
  if (!isValidIpType(a.ip_type)) return err('InvalidIpType');
  if (!isValidIpAddress(a.ip_type, a.ip, true)) return err('InvalidIpAddress');
  const prev = S.Axons.tryGet(st, a.netuid, hotkey);
  if (!passesRateLimit(st, a.netuid, prev?.block ?? 0n, now))
    return err('ServingRateLimitExceeded');
  if (a.port === 0) return err('InvalidPort');
  if (certificate !== undefined) {
    const cert = parseCertificate(certificate);
    if (cert) S.NeuronCertificates.set(st, a.netuid, hotkey, cert);
  }
  const axon: AxonInfo = {
    block: now,
    version: a.version,
    ip: a.ip,
    port: a.port,
    ip_type: a.ip_type,
    protocol: a.protocol,
    placeholder1: a.placeholder1,
    placeholder2: a.placeholder2,
  };
  S.Axons.set(st, a.netuid, hotkey, axon);
  ctx.deposit({
    type: 'SubtensorModule',
    value: { type: 'AxonServed', value: [a.netuid, hotkey] },
  });
  return OK;
}

/**
 * `do_serve_prometheus`: records the hotkey's Prometheus endpoint; unlike axons the ip is checked
 * before registration and may not be zero.
 */
export function doServePrometheus(
  ctx: DispatchContext,
  hotkey: Uint8Array,
  a: { netuid: number; version: number; ip: bigint; port: number; ip_type: number },
): DispatchOutcome {
  const st = ctx.state;
  const now = BigInt(ctx.blockNumber);
  if (!isValidIpType(a.ip_type)) return err('InvalidIpType');
  if (!isValidIpAddress(a.ip_type, a.ip, false)) return err('InvalidIpAddress');
  if (S.Uids.tryGet(st, a.netuid, hotkey) === undefined) return err('HotKeyNotRegisteredInNetwork');
  const prev = S.Prometheus.tryGet(st, a.netuid, hotkey);
  if (!passesRateLimit(st, a.netuid, prev?.block ?? 0n, now))
    return err('ServingRateLimitExceeded');
  if (a.port === 0) return err('InvalidPort');
  const info: PrometheusInfo = {
    block: now,
    version: a.version,
    ip: a.ip,
    port: a.port,
    ip_type: a.ip_type,
  };
  S.Prometheus.set(st, a.netuid, hotkey, info);
  ctx.deposit({
    type: 'SubtensorModule',
    value: { type: 'PrometheusServed', value: [a.netuid, hotkey] },
  });
  return OK;
}

handlers.SubtensorModule.serve_axon = (ctx, origin, call) => {
  checkArgs(call.value);
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  return doServeAxon(ctx, origin.who, call.value);
};

handlers.SubtensorModule.serve_axon_tls = (ctx, origin, call) => {
  const { certificate, ...axon } = call.value;
  checkArgs(axon);
  if (!(certificate instanceof Uint8Array))
    throw new TypeError('certificate: expected a Uint8Array');
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  return doServeAxon(ctx, origin.who, axon, certificate);
};

handlers.SubtensorModule.serve_prometheus = (ctx, origin, call) => {
  checkArgs(call.value);
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  return doServePrometheus(ctx, origin.who, call.value);
};
