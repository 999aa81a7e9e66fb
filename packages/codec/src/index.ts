export * from './branded.js';
export * from './errors.js';
export * from './fixed.js';
export * from './hashers.js';
export * from './hex.js';
export * from './scale.js';
export * from './ss58.js';
