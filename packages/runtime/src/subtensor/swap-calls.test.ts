import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_FEE_RATE, type RuntimeCall, Swap } from '@taoscript/chain-types';
import { devKeypair, runtimeHarness } from '@taoscript/testkit';
import { describeDispatchError } from '../dispatch.js';

const alice = devKeypair('Alice');

const setFeeRate = (netuid: number, rate: number): RuntimeCall => ({
  type: 'Swap',
  value: { type: 'set_fee_rate', value: { netuid, rate } },
});

/** The dispatch error of the call inside a sudo, or of a signed call. */
function errorOf(
  r: { result: { ok: boolean } },
  events: { event: { type: string; value: unknown } }[],
) {
  const sudid = events.find((e) => e.event.type === 'Sudo');
  if (sudid) {
    const res = (sudid.event.value as { value: { sudo_result: { type: string; value: unknown } } })
      .value.sudo_result;
    return res.type === 'Ok' ? 'ok' : describeDispatchError(res.value as never);
  }
  const a = r.result as { ok: true; outcome: { ok: boolean; error?: unknown } };
  return a.outcome.ok ? 'ok' : describeDispatchError(a.outcome.error as never);
}

describe('Swap pallet calls', () => {
  it('set_fee_rate: root only, existing subnet, bounded rate; stores and emits', () => {
    const h = runtimeHarness();
    const signed = h.run(alice, setFeeRate(0, 100));
    assert.equal(errorOf(signed, signed.events), 'BadOrigin');
    const unknown = h.sudo(setFeeRate(77, 100));
    assert.equal(errorOf(unknown, unknown.events), 'Swap.MechanismDoesNotExist');
    const high = h.sudo(setFeeRate(0, MAX_FEE_RATE + 1));
    assert.equal(errorOf(high, high.events), 'Swap.FeeRateTooHigh');
    assert.equal(Swap.FeeRate.get(h.state, 0), 33);
    const ok = h.sudo(setFeeRate(0, MAX_FEE_RATE));
    assert.equal(errorOf(ok, ok.events), 'ok');
    assert.equal(Swap.FeeRate.get(h.state, 0), MAX_FEE_RATE);
    assert.ok(
      ok.events.some((e) => e.event.type === 'Swap' && e.event.value.type === 'FeeRateSet'),
    );
  });

  it('the retired liquidity calls answer Deprecated', () => {
    const h = runtimeHarness();
    const r = h.run(alice, { type: 'Swap', value: { type: 'disable_lp' } });
    assert.equal(errorOf(r, r.events), 'Swap.Deprecated');
    const t = h.run(alice, {
      type: 'Swap',
      value: { type: 'toggle_user_liquidity', value: { netuid: 0, enable: true } },
    });
    assert.equal(errorOf(t, t.events), 'Swap.Deprecated');
  });
});
