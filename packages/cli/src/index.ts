export type { Io } from './io.js';
export { EXIT_USAGE, UsageError } from './io.js';
export { type Command, main, usage } from './main.js';
