// Test worker: of two workers spawned one after the other (consecutive thread ids) exactly one
// has an even id; that one dies on its first batch, the other is the real verification worker.
import { parentPort, threadId } from 'node:worker_threads';

if (threadId % 2 === 0) {
  parentPort.once('message', () => process.exit(3));
  parentPort.postMessage({ kind: 'ready' });
} else {
  await import('../worker.mjs');
}
