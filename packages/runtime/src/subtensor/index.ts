/**
 * The subtensor pallets' calls. Each module below registers its call handlers in `handlers`
 * (see dispatch.ts) when imported.
 */
export { blockHooks, dispatchSubtensorPallet, handlers, isAdmitted } from './dispatch.js';
