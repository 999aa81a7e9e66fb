// One block's coinbase with 128 emitting subnets, against an empty block in the same run.
// Run: node --import tsx packages/runtime/src/subtensor/coinbase/coinbase.bench.ts
import { SubtensorStorage as S } from '@taoscript/chain-types';
import { Bench } from 'tinybench';
import type { DispatchContext } from '../../dispatch.js';
import { MapState, Overlay } from '../../state.js';
import '../index.js';
import { subnetAccount } from '../pool.js';
import { addedNetuids } from '../subnets.js';
import { blockStep } from './block-step.js';
import { runCoinbase } from './run-coinbase.js';
import { mintTao } from './tao.js';
import { endow, seedSubnet } from './test-fixtures.js';

const SUBNETS = 128;
const BLOCK = 1_000;
const TAO = 1_000_000_000n;

/**
 * Root plus `subnets` dynamic subnets with spread-out prices and issuances; two epochs are due at
 * BLOCK. With a small root stake the older subnets' injection is capped (chain buys); with a large
 * one it never is.
 */
function world(subnets: number, rootTao: bigint): { state: MapState; netuids: number[] } {
  const state = new MapState();
  const ov = new Overlay(state);
  S.NetworksAdded.set(ov, 0, true);
  S.Tempo.set(ov, 0, 100);
  S.SubnetTAO.set(ov, 0, rootTao);
  endow(ov, subnetAccount(0), rootTao);
  for (let n = 1; n <= subnets; n++)
    seedSubnet(ov, n, {
      tao: BigInt(50 + n) * TAO,
      alphaIn: BigInt(200 + 3 * n) * TAO,
      alphaOut: BigInt(10 * n) * TAO,
      movingPrice: [BigInt(n), 400n],
      lastEpochBlock: BigInt(n <= 2 ? BLOCK - 360 : BLOCK - 1 - (n % 300)),
    });
  state.apply(ov.changes());
  return { state, netuids: addedNetuids(new Overlay(state)) };
}

const ctxOn = (state: MapState): DispatchContext => ({
  state: new Overlay(state),
  blockNumber: BLOCK,
  author: undefined,
  deposit: () => {},
});

const empty = world(0, 1_000n * TAO);
const buys = world(SUBNETS, 1_000n * TAO);
const noBuys = world(SUBNETS, 100_000_000n * TAO);

/** How many subnets chain-buy in one coinbase of `w`. */
function chainBuys(w: { state: MapState; netuids: number[] }): number {
  const ctx = ctxOn(w.state);
  runCoinbase(ctx, mintTao(ctx, TAO), w.netuids);
  return w.netuids.filter((n) => S.SubnetExcessTao.get(ctx.state, n) > 0n).length;
}

const bench = new Bench({ time: 1_000, warmup: true });
const coinbase = (w: { state: MapState; netuids: number[] }) => () => {
  const ctx = ctxOn(w.state);
  runCoinbase(ctx, mintTao(ctx, TAO), w.netuids);
};
bench
  .add('empty block: run_coinbase (root only)', coinbase(empty))
  .add('empty block: block_step (root only)', () => blockStep(ctxOn(empty.state)))
  .add(`run_coinbase, ${SUBNETS} subnets, ${chainBuys(buys)} chain buys`, coinbase(buys))
  .add(`run_coinbase, ${SUBNETS} subnets, ${chainBuys(noBuys)} chain buys`, coinbase(noBuys))
  .add(`block_step, ${SUBNETS} subnets, ${chainBuys(buys)} chain buys`, () =>
    blockStep(ctxOn(buys.state)),
  );
await bench.run();

const rows: string[][] = [['case', 'mean ms', 'p99 ms', 'vs empty run_coinbase']];
const base = bench.tasks[0]?.result;
const baseMean = base && 'latency' in base ? base.latency.mean : Number.NaN;
for (const t of bench.tasks) {
  const r = t.result;
  if (r === undefined || !('latency' in r)) throw new Error(`${t.name} did not complete`);
  rows.push([
    t.name,
    r.latency.mean.toFixed(3),
    (r.latency.p99 ?? r.latency.max).toFixed(3),
    `${(r.latency.mean / baseMean).toFixed(0)}x`,
  ]);
}
const widths = (rows[0] as string[]).map((_, c) =>
  Math.max(...rows.map((r) => (r[c] as string).length)),
);
const line = (r: string[]) =>
  `| ${r.map((cell, c) => cell.padEnd(widths[c] as number)).join(' | ')} |\n`;
process.stdout.write(`\ncoinbase, ${SUBNETS} emitting subnets, 2 epochs due\n\n`);
process.stdout.write(line(rows[0] as string[]));
process.stdout.write(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`);
for (const r of rows.slice(1)) process.stdout.write(line(r));
