/** Pure numeric cores of SubtensorModule and Swap: pool, registration, locks, emission. */
export * from './emission.js';
export * from './lock.js';
export * from './registration.js';
export * from './swap.js';
