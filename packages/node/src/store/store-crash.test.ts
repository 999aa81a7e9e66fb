// Crash test: a child process commits blocks and announces each one after its commit promise
// resolves; we SIGKILL it mid-stream, reopen the store and check nothing announced was lost and
// nothing half-written is visible.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openLmdbStore } from './lmdb-store.js';
import { CRASH_COUNTER_KEY, crashKey, crashValue, hex } from './test-fixtures/blocks.js';

const writer = fileURLToPath(new URL('./test-fixtures/crash-writer.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tao-store-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it has announced `count` blocks, SIGKILLs it, returns what it announced. */
async function runAndKill(path: string, count: number): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, path], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  const announced: number[] = [];
  const lines = createInterface({ input: child.stdout });
  const linesClosed = new Promise<void>((resolve) => lines.once('close', resolve));
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('ready')) return;
      announced.push(Number(line));
      if (announced.length === count) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    exited.then((how) => {
      if (announced.length < count) reject(new Error(`writer exited early (${how}): ${stderr}`));
    });
  });
  assert.equal(await exited, 'SIGKILL');
  // Lines that were already in the pipe when the kill landed were also announced.
  await linesClosed;
  return announced;
}

test('kill -9 never loses an announced block nor exposes a half-written one', async () => {
  const path = join(dir, 'db');
  let previousHead = -1;
  for (let round = 0; round < 3; round++) {
    const announced = await runAndKill(path, 20);
    assert.ok(announced.length >= 20);
    assert.equal(
      announced[0],
      previousHead + 1 === 0 ? 1 : previousHead + 1,
      'resumed after the last head',
    );
    const store = openLmdbStore({ path });
    try {
      const head = store.head();
      assert.ok(head !== undefined);
      const lastAnnounced = announced[announced.length - 1] as number;
      assert.ok(
        head.number >= lastAnnounced,
        `head #${head.number} lost announced #${lastAnnounced}`,
      );
      for (let n = 0; n <= head.number; n++) {
        const hash = store.blockHash(n);
        assert.ok(hash !== undefined, `block #${n} hash missing`);
        const block = store.block(hash);
        assert.equal(block?.number, n);
        if (n > 0) assert.deepEqual(block?.parentHash, store.blockHash(n - 1));
        const state = store.stateAt(n);
        assert.deepEqual(state.get(hex(crashKey(n))), crashValue(n), `state of #${n}`);
        assert.deepEqual(state.get(hex(CRASH_COUNTER_KEY)), crashValue(n), `counter at #${n}`);
        assert.equal(state.get(hex(crashKey(n + 1))), undefined, `#${n + 1} leaked into #${n}`);
      }
      // Nothing beyond the head: no block, and the head's state is exactly the head's.
      assert.equal(store.blockHash(head.number + 1), undefined);
      const atHead = store.stateAt(head.number);
      const bulk = atHead.keys(hex(`0x${'ee'.repeat(30)}`));
      assert.equal(bulk.length, 200 * head.number);
      previousHead = head.number;
    } finally {
      await store.close();
    }
  }
});
