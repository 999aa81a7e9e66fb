// Test worker: reports ready, then dies on its first batch (exercises crash recovery).
import { parentPort } from 'node:worker_threads';

parentPort.once('message', () => process.exit(3));
parentPort.postMessage({ kind: 'ready' });
