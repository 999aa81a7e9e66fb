// Child-process script for verifier.test.ts: starts a pool, verifies, closes, and must then
// exit on its own (no live worker may keep the event loop running).
import { createVerifier } from '../index.js';

const verifier = await createVerifier({ threads: 2 });
const valid = await verifier.verify({
  type: 'ed25519',
  signature: new Uint8Array(64),
  message: new Uint8Array(0),
  publicKey: new Uint8Array(32),
});
await verifier.close();
process.stdout.write(`closed threads=${verifier.threads} valid=${valid}\n`);
