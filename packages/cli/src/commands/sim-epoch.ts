/** `tao sim epoch <input.json>`: Yuma epochs on a scenario file, offline, with the chain's code. */
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ScenarioError, scenarioOutputToJson, simulateScenario } from '@taoscript/runtime/epoch';
import { type Io, UsageError } from '../io.js';
import type { Command } from '../main.js';

/** Scenario files larger than this are refused before reading (a 4096-uid dense one is ~200 MiB). */
export const MAX_SCENARIO_BYTES = 256 * 1024 * 1024;

const USAGE = `Usage: tao sim epoch <input.json | -> [options]

Runs one Yuma epoch, or a sequence of them, on a scenario in the canonical shape
(inputs: n, stakes, registration blocks, hyperparameters, initial bonds, steps)
and prints every step's outputs as one JSON document on stdout: dividends,
incentive, consensus, validator trust, stake weight (u16), active and permit
flags, emissions (rao) and the stored bonds. The chain runs the same code.

  -                Read the scenario from standard input
  --compact        Print the JSON on one line
  -h, --help       Show this text
`;

async function readInput(path: string, io: Io): Promise<string> {
  if (path === '-') {
    if (!io.stdin) throw new UsageError('no standard input to read the scenario from');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of io.stdin) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
      size += buf.length;
      if (size > MAX_SCENARIO_BYTES) {
        throw new UsageError(`standard input: scenario is larger than ${MAX_SCENARIO_BYTES} bytes`);
      }
      chunks.push(buf);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code})`}`,
    );
  }
  if (!info.isFile()) throw new UsageError(`${path}: not a regular file`);
  if (info.size > MAX_SCENARIO_BYTES) {
    throw new UsageError(`${path}: scenario is larger than ${MAX_SCENARIO_BYTES} bytes`);
  }
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code})`);
  }
}

/** The `tao sim epoch` command. */
export const simEpoch: Command = {
  async run(args, io) {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        strict: true,
        options: { help: { type: 'boolean', short: 'h' }, compact: { type: 'boolean' } },
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (parsed.values.help) {
      io.stdout(USAGE);
      return 0;
    }
    const [path, ...extra] = parsed.positionals;
    if (path === undefined)
      throw new UsageError('missing the scenario file (tao sim epoch <input.json>)');
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const text = await readInput(path, io);
    const name = path === '-' ? 'standard input' : path;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new UsageError(`${name}: not valid JSON (${(err as Error).message})`);
    }
    let output: ReturnType<typeof simulateScenario>;
    try {
      output = simulateScenario(doc);
    } catch (err) {
      if (err instanceof ScenarioError) throw new UsageError(err.message);
      throw err;
    }
    const json = scenarioOutputToJson(output);
    // Keys and values hold no spaces, so dropping whitespace keeps u64 values intact.
    io.stdout(parsed.values.compact ? `${json.replace(/\s+/g, '')}\n` : `${json}\n`);
    return 0;
  },
};
