import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import type { Io } from './io.js';
import { main } from './main.js';

const SCENARIOS = new URL('../../runtime/test/vectors/yuma/scenarios/', import.meta.url).pathname;
const BIN = new URL('../bin/tao.mjs', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'tao-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Captured {
  code: number;
  out: string;
  err: string;
}

async function tao(args: string[], stdin?: string): Promise<Captured> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    ...(stdin !== undefined ? { stdin: Readable.from([Buffer.from(stdin)]) } : {}),
  };
  const code = await main(args, io);
  return { code, out, err };
}

function scratchFile(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

/** A bad-input run: exit 2, exactly one line on stderr, nothing on stdout, no stack trace. */
function assertRefused(r: Captured, mentions: RegExp): void {
  assert.equal(r.code, 2, r.err);
  assert.equal(r.out, '');
  assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
  assert.match(r.err, mentions);
  assert.doesNotMatch(r.err, /\n\s+at /);
}

const scenarioFiles = readdirSync(SCENARIOS).filter((f) => f.endsWith('.json'));

describe('tao', () => {
  test('--help lists sim epoch and exits 0', async () => {
    const r = await tao(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /sim epoch/);
  });

  test('unknown command and verb exit 2 with one line', async () => {
    assertRefused(await tao(['frobnicate']), /unknown command 'frobnicate'/);
    assertRefused(await tao(['sim', 'nope']), /unknown verb 'nope'/);
    assertRefused(await tao(['__proto__', 'x']), /unknown command/);
    assertRefused(await tao(['sim', 'constructor']), /unknown verb/);
  });
});

describe('tao sim epoch', () => {
  test('the scenario vectors are present', () => {
    assert.ok(scenarioFiles.length >= 6, `found ${scenarioFiles.length}`);
  });

  for (const file of scenarioFiles) {
    test(`${file}: every step's outputs equal the expected ones`, async () => {
      const doc = JSON.parse(readFileSync(join(SCENARIOS, file), 'utf8')) as {
        inputs: unknown;
        expected: { steps: Record<string, unknown>[] };
      };
      const r = await tao(['sim', 'epoch', join(SCENARIOS, file)]);
      assert.equal(r.code, 0, r.err);
      const got = JSON.parse(r.out) as { steps: Record<string, unknown>[] };
      assert.equal(got.steps.length, doc.expected.steps.length);
      doc.expected.steps.forEach((want, k) => {
        const have = got.steps[k];
        assert.ok(have, `step ${k} missing`);
        for (const field of Object.keys(want)) {
          assert.deepStrictEqual(have[field], want[field], `step ${k} field ${field}`);
        }
      });
    });
  }

  test('reads a bare inputs object from standard input, --compact prints one line', async () => {
    const file = scenarioFiles[0];
    assert.ok(file);
    const doc = JSON.parse(readFileSync(join(SCENARIOS, file), 'utf8')) as {
      inputs: unknown;
      expected: { steps: unknown[] };
    };
    const r = await tao(['sim', 'epoch', '-', '--compact'], JSON.stringify(doc.inputs));
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.trimEnd().split('\n').length, 1);
    const got = JSON.parse(r.out) as { steps: unknown[] };
    assert.equal(got.steps.length, doc.expected.steps.length);
  });

  test('bad files and bad JSON are refused with one line naming the problem', async () => {
    assertRefused(await tao(['sim', 'epoch']), /missing the scenario file/);
    assertRefused(await tao(['sim', 'epoch', join(scratch, 'absent.json')]), /no such file/);
    assertRefused(await tao(['sim', 'epoch', scratch]), /not a regular file/);
    assertRefused(
      await tao(['sim', 'epoch', scratchFile('broken.json', '{"n": 3,')]),
      /broken\.json: not valid JSON/,
    );
    assertRefused(await tao(['sim', 'epoch', 'a.json', 'b.json']), /unexpected argument 'b\.json'/);
    assertRefused(await tao(['sim', 'epoch', '--frob', 'a.json']), /--frob/);
  });

  test('a wrong field is named by its path', async () => {
    const file = scenarioFiles[0];
    assert.ok(file);
    const doc = JSON.parse(readFileSync(join(SCENARIOS, file), 'utf8')) as {
      inputs: { hyperparameters: Record<string, unknown>; n: number; alpha_stake: unknown[] };
    };
    const badKappa = structuredClone(doc);
    badKappa.inputs.hyperparameters.kappa_u16 = 'x';
    assertRefused(
      await tao(['sim', 'epoch', scratchFile('kappa.json', JSON.stringify(badKappa))]),
      /kappa_u16/,
    );
    const shortStake = structuredClone(doc);
    shortStake.inputs.alpha_stake = shortStake.inputs.alpha_stake.slice(1);
    assertRefused(
      await tao(['sim', 'epoch', scratchFile('stake.json', JSON.stringify(shortStake))]),
      /alpha_stake/,
    );
    assertRefused(
      await tao(['sim', 'epoch', scratchFile('array.json', '[1,2,3]')]),
      /inputs|object/,
    );
    assertRefused(
      await tao(['sim', 'epoch', scratchFile('proto.json', '{"__proto__": {"n": 1}}')]),
      /./,
    );
    assertRefused(
      await tao(['sim', 'epoch', scratchFile('huge.json', '{"n": 1000000000, "steps": []}')]),
      /\bn\b/,
    );
  });

  test('the installed bin prints JSON and exits 2 without a stack trace on bad input', () => {
    const file = scenarioFiles[0];
    assert.ok(file);
    const ok = spawnSync(process.execPath, [BIN, 'sim', 'epoch', join(SCENARIOS, file)], {
      encoding: 'utf8',
    });
    assert.equal(ok.status, 0, ok.stderr);
    assert.ok(Array.isArray((JSON.parse(ok.stdout) as { steps: unknown }).steps));
    const bad = spawnSync(process.execPath, [BIN, 'sim', 'epoch', scratchFile('b.json', '{')], {
      encoding: 'utf8',
    });
    assert.equal(bad.status, 2);
    assert.equal(bad.stdout, '');
    assert.equal(bad.stderr.trimEnd().split('\n').length, 1, bad.stderr);
  });
});
