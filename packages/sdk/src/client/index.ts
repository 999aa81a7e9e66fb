/** The chain client: network resolution, connection, typed reads and extrinsics, errors. */
export * from './api.js';
export { connect } from './connect.js';
