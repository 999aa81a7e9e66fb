/**
 * The subtensor pallets' calls. Each module below registers its call handlers in `handlers`
 * (see dispatch.ts) when imported.
 */
export { blockHooks, dispatchSubtensorPallet, handlers, isAdmitted } from './dispatch.js';

import './weights.js';
import './admin-utils.js';
import './commitments.js';
import './subnets.js';
import './delegation.js'; // and staking.js, which it imports
import './alpha-ops.js';
import './tempo.js';
import './locks.js';
import './key-swap.js';
import './coldkey-swap.js';
import './misc-calls.js';
import './root-claims.js';
import './swap-calls.js';
import './evm.js';
import './faucet.js';
import './coinbase/block-step.js';
