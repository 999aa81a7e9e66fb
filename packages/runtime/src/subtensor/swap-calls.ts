/** The Swap pallet's calls (index 28): the fee-rate setter; its liquidity calls are retired upstream. */
import { MAX_FEE_RATE, SubtensorStorage, Swap } from '@taoscript/chain-types';
import { BAD_ORIGIN, fail, moduleError, OK } from '../dispatch.js';
import { handlers } from './dispatch.js';

const swapError = (name: string) => fail(moduleError(28, name));

/** `set_fee_rate(netuid, rate)`: root only; the subnet must exist and the rate be ≤ MaxFeeRate. */
handlers.Swap.set_fee_rate = (ctx, origin, call) => {
  if (origin.type !== 'Root') return fail(BAD_ORIGIN);
  const { netuid, rate } = call.value;
  if (!SubtensorStorage.NetworksAdded.get(ctx.state, netuid))
    return swapError('MechanismDoesNotExist');
  if (rate > MAX_FEE_RATE) return swapError('FeeRateTooHigh');
  Swap.FeeRate.set(ctx.state, netuid, rate);
  ctx.deposit({ type: 'Swap', value: { type: 'FeeRateSet', value: { netuid, rate } } });
  return OK;
};

// User liquidity was removed upstream; the calls stay in metadata and answer `Deprecated`.
const deprecated = () => swapError('Deprecated');
handlers.Swap.add_liquidity = deprecated;
handlers.Swap.remove_liquidity = deprecated;
handlers.Swap.modify_position = deprecated;
handlers.Swap.toggle_user_liquidity = deprecated;
handlers.Swap.disable_lp = deprecated;
