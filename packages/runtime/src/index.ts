export * from './apis.js';
export * from './dispatch.js';
export * from './executive.js';
export * from './fees.js';
export { lookup } from './pallets/balances.js';
export { CODE_KEY } from './pallets/system.js';
export * from './state.js';
export { handlers as subtensorHandlers, isAdmitted } from './subtensor/index.js';
export * from './subtensor/math/index.js';
