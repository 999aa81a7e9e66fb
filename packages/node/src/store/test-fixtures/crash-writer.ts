// Child process for the crash test: commits blocks forever, printing each number once its
// commit promise has resolved (i.e. once the store says it is durable). Usage: crash-writer.ts <path>
import { openLmdbStore } from '../lmdb-store.js';
import { CRASH_COUNTER_KEY, crashKey, crashValue, makeBlock } from './blocks.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: crash-writer.ts <path>');
const store = openLmdbStore({ path });
let head = store.head();
if (head === undefined) {
  await store.commitGenesis(
    makeBlock(0, undefined, { [crashKey(0)]: crashValue(0), [CRASH_COUNTER_KEY]: crashValue(0) }),
  );
  head = store.head();
}
process.stdout.write(`ready ${head?.number}\n`);
for (;;) {
  const n = (head?.number ?? 0) + 1;
  const changes = new Map<string, Uint8Array | null>();
  changes.set(crashKey(n), crashValue(n));
  changes.set(CRASH_COUNTER_KEY, crashValue(n));
  // Some bulk so a commit spans several pages.
  for (let i = 0; i < 200; i++) {
    changes.set(
      `0x${'ee'.repeat(30)}${(n * 1000 + i).toString(16).padStart(12, '0')}`,
      crashValue(n + i),
    );
  }
  await store.commitBlock(makeBlock(n, head?.hash, changes));
  head = store.head();
  process.stdout.write(`${n}\n`);
}
