/**
 * The subtensor pallets' calls. Each module below registers its call handlers in `handlers`
 * (see dispatch.ts) when imported.
 */
export { dispatchSubtensorPallet, handlers, isAdmitted } from './dispatch.js';
