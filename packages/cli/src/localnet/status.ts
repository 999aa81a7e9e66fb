/**
 * The localnet status: the chain's best block and, per neuron, its process state and what the
 * metagraph says of it (uid, stake, incentive, dividends, emission). Rendered as a table, as one
 * line (non-TTY refreshes) or as JSON.
 */
import { SubtensorStorage as S } from '@taoscript/chain-types';
import { Metagraph, type SubtensorClient } from '@taoscript/sdk';
import { formatTao } from './config.js';
import type { NeuronRecord, ProcessState, RuntimeState } from './state-dir.js';

/** One neuron in a status report. */
export interface NeuronStatus {
  name: string;
  role: NeuronRecord['role'];
  subnet: string;
  netuid: number | null;
  wallet: string;
  hotkey: string;
  hotkeyAddress: string;
  coldkeyAddress: string;
  process: ProcessState;
  pid: number | null;
  exitCode: number | null;
  signal: string | null;
  log: string | null;
  axonPort: number | null;
  uid: number | null;
  /** Total stake (rao of alpha, as the metagraph's S). */
  stake: string | null;
  incentive: number | null;
  dividends: number | null;
  /** Emission of the last epoch (rao of alpha). */
  emission: string | null;
}

/** One subnet in a status report. */
export interface SubnetStatus {
  name: string;
  netuid: number | null;
  exists: boolean;
  started: boolean;
  tempo: number | null;
  n: number | null;
}

/** A whole status report (`--json-output` prints it as is). */
export interface StatusReport {
  dir: string;
  running: boolean;
  phase: RuntimeState['phase'];
  pid: number | null;
  endpoint: string | null;
  node: { pid: number | null; state: ProcessState };
  block: number | null;
  subnets: SubnetStatus[];
  neurons: NeuronStatus[];
  error: string | null;
}

/** Builds a report from the supervisor's record and (when given) the chain. */
export async function collectStatus(
  dir: string,
  running: boolean,
  state: RuntimeState,
  client: SubtensorClient | undefined,
): Promise<StatusReport> {
  let block: number | null = null;
  const graphs = new Map<number, Metagraph>();
  const subnets: SubnetStatus[] = state.subnets.map((s) => ({
    name: s.name,
    netuid: s.netuid,
    exists: false,
    started: false,
    tempo: null,
    n: null,
  }));
  if (client) {
    const head = await client.block('best');
    block = head.number;
    await Promise.all(
      subnets.map(async (s) => {
        if (s.netuid === null) return;
        const netuid = s.netuid;
        const [added, first] = await Promise.all([
          client.query(S.NetworksAdded, [netuid], { at: head.hash }),
          client.query(S.FirstEmissionBlockNumber, [netuid], { at: head.hash }),
        ]);
        s.exists = added;
        s.started = first !== undefined;
        if (!added) return;
        const mg = await new Metagraph(client, netuid).sync({ at: head.hash });
        graphs.set(netuid, mg);
        s.tempo = mg.tempo ?? null;
        s.n = mg.n;
      }),
    );
  }
  const neurons = state.neurons.map((r): NeuronStatus => {
    const mg = r.netuid === null ? undefined : graphs.get(r.netuid);
    const idx = mg ? mg.hotkeys.indexOf(r.hotkeyAddress) : -1;
    const on = mg !== undefined && idx >= 0;
    return {
      name: r.name,
      role: r.role,
      subnet: r.subnet,
      netuid: r.netuid,
      wallet: r.wallet,
      hotkey: r.hotkey,
      hotkeyAddress: r.hotkeyAddress,
      coldkeyAddress: r.coldkeyAddress,
      process: r.state,
      pid: r.pid,
      exitCode: r.exitCode,
      signal: r.signal,
      log: r.log,
      axonPort: r.axonPort,
      uid: on ? (mg.uids[idx] ?? idx) : null,
      stake: on ? String(mg.totalStakeRao[idx] ?? 0n) : null,
      incentive: on ? (mg.I[idx] ?? 0) : null,
      dividends: on ? (mg.D[idx] ?? 0) : null,
      emission: on ? String(mg.emissionRao[idx] ?? 0n) : null,
    };
  });
  return {
    dir,
    running,
    phase: state.phase,
    pid: state.pid,
    endpoint: state.endpoint,
    node: state.node,
    block,
    subnets,
    neurons,
    error: state.error,
  };
}

/** A process state for people: `running (pid 12)`, `exited 1`, `killed SIGKILL`. */
export function processText(n: NeuronStatus): string {
  switch (n.process) {
    case 'running':
      return `running ${n.pid}`;
    case 'exited':
      return n.signal ? `killed ${n.signal}` : `exited ${n.exitCode ?? '?'}`;
    case 'none':
      return '-';
    default:
      return n.process;
  }
}

const alpha = (rao: string | null, digits: number) =>
  rao === null ? '-' : Number(formatTao(BigInt(rao))).toFixed(digits);
const ratio = (v: number | null) => (v === null ? '-' : v.toFixed(4));

/** The status as a table (header line, then a row per neuron). */
export function renderTable(r: StatusReport): string {
  const head = `localnet ${r.running ? r.phase : 'stopped'}  ${r.endpoint ?? '-'}  block ${
    r.block ?? '-'
  }  (dir ${r.dir})`;
  const cols = [
    'NEURON',
    'ROLE',
    'NETUID',
    'PROCESS',
    'UID',
    'STAKE',
    'INCENTIVE',
    'DIVIDENDS',
    'EMISSION',
  ];
  const rows = r.neurons.map((n) => [
    n.name,
    n.role,
    n.netuid === null ? '-' : String(n.netuid),
    processText(n),
    n.uid === null ? '-' : String(n.uid),
    alpha(n.stake, 2),
    ratio(n.incentive),
    ratio(n.dividends),
    alpha(n.emission, 4),
  ]);
  const widths = cols.map((c, i) =>
    Math.max(c.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 4 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const subnets = r.subnets
    .map(
      (s) =>
        `subnet ${s.name}: netuid ${s.netuid ?? '-'}${s.exists ? '' : ' (missing)'}${
          s.started ? ', started' : s.exists ? ', not started' : ''
        }${s.tempo !== null ? `, tempo ${s.tempo}` : ''}${s.n !== null ? `, ${s.n} uids` : ''}`,
    )
    .join('\n');
  return `${[head, subnets, line(cols), ...rows.map(line)].filter((x) => x !== '').join('\n')}\n`;
}

/** The status as one line (non-TTY refreshes). */
export function renderLine(r: StatusReport): string {
  const parts = r.neurons.map(
    (n) =>
      `${n.name} ${processText(n).replace(' ', ':')} uid=${n.uid ?? '-'} S=${alpha(n.stake, 2)} I=${ratio(
        n.incentive,
      )} D=${ratio(n.dividends)} E=${alpha(n.emission, 4)}`,
  );
  return `[${new Date().toISOString().slice(11, 19)}] block ${r.block ?? '-'} | ${parts.join(' | ')}\n`;
}
