import type { EpochInput, EpochParams, EpochTerms, SparseRowU16 } from './types.js';
import { MAX_UIDS } from './validate.js';
import { epochMechanism } from './yuma.js';

/**
 * The engine of `tao sim epoch`: runs a scenario in the canonical shape of
 * test/vectors/yuma/README.md ("Scenarios: one canonical shape") step by step through
 * `epochMechanism`, carrying bonds and validator permits from one step to the next, and returns
 * the per-step outputs in the vectors' `expected` shape.
 */

/** One step's outputs (field names as in the vectors; u16 as numbers, u64 as bigint). */
export interface ScenarioStepOutput {
  epoch_block: bigint;
  dividends_u16: number[];
  incentive_u16: number[];
  consensus_u16: number[];
  validator_trust_u16: number[];
  stake_weight_u16: number[];
  active: boolean[];
  validator_permit: boolean[];
  emission: bigint[];
  server_emission: bigint[];
  validator_emission: bigint[];
  /** Non-empty stored bond rows: `{ "i": { "j": u16 } }`. */
  bonds_u16: Record<string, Record<string, number>>;
}

/** Options of `simulateScenario`. */
export interface ScenarioOptions {
  /** The epoch implementation to run (default `epochMechanism`; tests pass the reference). */
  epoch?: (input: EpochInput) => EpochTerms;
}

/** What `simulateScenario` returns. */
export interface ScenarioOutput {
  steps: ScenarioStepOutput[];
}

/** A malformed scenario; the message is one line naming the field path. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

/** Most steps a scenario may have. */
export const MAX_STEPS = 10_000;
/** Most uid-steps (n × steps) plus weight entries a scenario may carry. */
export const MAX_SCENARIO_CELLS = 1 << 24;

const U64_MAX = (1n << 64n) - 1n;

type Json = Record<string, unknown>;

const describe = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'bigint') return `${v}`;
  return String(v);
};

const own = (o: Json, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);

function object(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new ScenarioError(path, `expected an object, got ${describe(v)}`);
  }
  return v as Json;
}

/** `path.key` for plain names, else `path["key"]` (escaped, shortened: messages stay one line). */
function keyPath(path: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]{0,40}$/.test(key)) return `${path}.${key}`;
  return `${path}[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`;
}

function onlyKeys(o: Json, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new ScenarioError(keyPath(path, k), 'unknown field');
  }
}

function array(v: unknown, path: string, length?: number): unknown[] {
  if (!Array.isArray(v)) throw new ScenarioError(path, `expected an array, got ${describe(v)}`);
  if (length !== undefined && v.length !== length) {
    throw new ScenarioError(path, `expected ${length} entries, got ${v.length}`);
  }
  return v;
}

function int(v: unknown, min: number, max: number, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ScenarioError(path, `expected an integer in ${min}..${max}, got ${describe(v)}`);
  }
  return v;
}

/** A u64: a safe-integer number, a bigint, or a decimal string (for values above 2^53). */
function u64(v: unknown, path: string): bigint {
  let b: bigint | undefined;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
  else if (typeof v === 'string' && /^(0|[1-9][0-9]{0,19})$/.test(v)) b = BigInt(v);
  if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) {
    throw new ScenarioError(path, `${v} is above 2^53 and lost precision; write it as a string`);
  }
  if (b === undefined || b < 0n || b > U64_MAX) {
    throw new ScenarioError(path, `expected a u64 integer, got ${describe(v)}`);
  }
  return b;
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean')
    throw new ScenarioError(path, `expected true or false, got ${describe(v)}`);
  return v;
}

const u64List = (v: unknown, n: number, path: string): bigint[] =>
  array(v, path, n).map((x, i) => u64(x, `${path}[${i}]`));

/** `{ "i": [[j, u16], ...] }` to one row per uid. */
function sparseMap(v: unknown, n: number, path: string): { rows: SparseRowU16[]; entries: number } {
  const o = object(v, path);
  const rows: SparseRowU16[] = Array.from({ length: n }, () => []);
  let entries = 0;
  for (const key of Object.keys(o)) {
    const at = `${path}[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`;
    if (!/^(0|[1-9][0-9]{0,4})$/.test(key) || Number(key) >= n) {
      throw new ScenarioError(at, `key is not a uid below n (${n})`);
    }
    const i = Number(key);
    const seen = new Set<number>();
    const row = array(o[key], at).map((pair, k): [number, number] => {
      const pairPath = `${at}[${k}]`;
      const pr = array(pair, pairPath, 2);
      const j = pr[0];
      if (typeof j !== 'number' || !Number.isInteger(j) || j < 0) {
        throw new ScenarioError(`${pairPath}[0]`, `expected a uid, got ${describe(j)}`);
      }
      if (j >= n) throw new ScenarioError(`${pairPath}[0]`, `uid ${j} is not below n (${n})`);
      if (seen.has(j))
        throw new ScenarioError(`${pairPath}[0]`, `uid ${j} appears twice in the row`);
      seen.add(j);
      return [j, int(pr[1], 0, 65535, `${pairPath}[1]`)];
    });
    entries += row.length;
    rows[i] = row;
  }
  return { rows, entries };
}

const HYPER_KEYS = [
  'kappa_u16',
  'bonds_moving_average',
  'bonds_penalty_u16',
  'tempo',
  'activity_cutoff_blocks',
  'activity_cutoff_factor_milli',
  'yuma3_enabled',
  'liquid_alpha_enabled',
  'alpha_values_u16',
  'alpha_sigmoid_steepness',
  'commit_reveal_enabled',
  'stake_threshold',
  'tao_weight',
  'subnet_owner_uid',
  'last_mechanism_step_block',
  'rao_emission',
  'max_allowed_validators',
] as const;

const INPUT_KEYS = [
  'n',
  'alpha_stake',
  'tao_stake',
  'block_at_registration',
  'validator_permits',
  'hyperparameters',
  'initial_bonds',
  'steps',
] as const;

const STEP_KEYS = [
  'epoch_block',
  'last_update',
  'weights',
  'commit_blocks',
  'block_at_registration',
  'alpha_stake',
  'tao_stake',
  'last_mechanism_step_block',
  'rao_emission',
  'record',
] as const;

const FILE_KEYS = ['source', 'description', 'inputs', 'expected', 'tolerance', 'notes'] as const;

interface Hyper {
  params: Omit<EpochParams, 'lastMechanismStepBlock'>;
  lastMechanismStepBlock: bigint;
  raoEmission: bigint;
}

function hyperparameters(v: unknown, n: number, path: string): Hyper {
  const h = v === undefined ? {} : object(v, path);
  onlyKeys(h, HYPER_KEYS, path);
  const get = (k: (typeof HYPER_KEYS)[number]): unknown => own(h, k);
  const at = (k: string): string => `${path}.${k}`;
  const opt = <T>(k: (typeof HYPER_KEYS)[number], fallback: T, parse: (x: unknown) => T): T => {
    const x = get(k);
    return x === undefined ? fallback : parse(x);
  };
  const tempo = opt('tempo', 360, (x) => int(x, 0, 65535, at('tempo')));
  const factor = opt('activity_cutoff_factor_milli', 13_889, (x) =>
    int(x, 0, 4_294_967_295, at('activity_cutoff_factor_milli')),
  );
  const derived = BigInt(Math.max(1, Math.floor((factor * tempo) / 1000)));
  const av = opt('alpha_values_u16', [45_875, 58_982] as [number, number], (x) => {
    const pair = array(x, at('alpha_values_u16'), 2);
    return [
      int(pair[0], 0, 65535, `${at('alpha_values_u16')}[0]`),
      int(pair[1], 0, 65535, `${at('alpha_values_u16')}[1]`),
    ] as [number, number];
  });
  const owner = get('subnet_owner_uid');
  return {
    params: {
      kappaU16: opt('kappa_u16', 32_767, (x) => int(x, 0, 65535, at('kappa_u16'))),
      bondsMovingAverage: opt('bonds_moving_average', 900_000n, (x) =>
        u64(x, at('bonds_moving_average')),
      ),
      bondsPenaltyU16: opt('bonds_penalty_u16', 65_535, (x) =>
        int(x, 0, 65535, at('bonds_penalty_u16')),
      ),
      activityCutoffBlocks: opt('activity_cutoff_blocks', derived, (x) =>
        u64(x, at('activity_cutoff_blocks')),
      ),
      yuma3Enabled: opt('yuma3_enabled', false, (x) => bool(x, at('yuma3_enabled'))),
      liquidAlphaEnabled: opt('liquid_alpha_enabled', false, (x) =>
        bool(x, at('liquid_alpha_enabled')),
      ),
      alphaValuesU16: av,
      alphaSigmoidSteepness: opt('alpha_sigmoid_steepness', 1000, (x) =>
        int(x, -32768, 32767, at('alpha_sigmoid_steepness')),
      ),
      commitRevealEnabled: opt('commit_reveal_enabled', false, (x) =>
        bool(x, at('commit_reveal_enabled')),
      ),
      stakeThreshold: opt('stake_threshold', 0n, (x) => u64(x, at('stake_threshold'))),
      taoWeight: opt('tao_weight', 0n, (x) => u64(x, at('tao_weight'))),
      subnetOwnerUid:
        owner === undefined || owner === null
          ? null
          : n === 0
            ? (() => {
                throw new ScenarioError(at('subnet_owner_uid'), 'no uids (n is 0)');
              })()
            : int(owner, 0, n - 1, at('subnet_owner_uid')),
      tempo,
      maxAllowedValidators: opt('max_allowed_validators', 128, (x) =>
        int(x, 0, 65535, at('max_allowed_validators')),
      ),
    },
    lastMechanismStepBlock: opt('last_mechanism_step_block', 0n, (x) =>
      u64(x, at('last_mechanism_step_block')),
    ),
    raoEmission: opt('rao_emission', 1_000_000_000n, (x) => u64(x, at('rao_emission'))),
  };
}

interface Step {
  epochBlock: bigint;
  lastUpdate: bigint[];
  weights: SparseRowU16[];
  commitBlocks: Array<bigint | null>;
  blockAtRegistration?: bigint[];
  alphaStake?: bigint[];
  taoStake?: bigint[];
  lastMechanismStepBlock?: bigint;
  raoEmission?: bigint;
}

function step(v: unknown, n: number, path: string): { step: Step; entries: number } {
  const s = object(v, path);
  onlyKeys(s, STEP_KEYS, path);
  const at = (k: string): string => `${path}.${k}`;
  if (own(s, 'epoch_block') === undefined) throw new ScenarioError(at('epoch_block'), 'missing');
  if (own(s, 'last_update') === undefined) throw new ScenarioError(at('last_update'), 'missing');
  const weights =
    own(s, 'weights') === undefined
      ? { rows: Array.from({ length: n }, (): SparseRowU16 => []), entries: 0 }
      : sparseMap(own(s, 'weights'), n, at('weights'));
  const cb = own(s, 'commit_blocks');
  const out: Step = {
    epochBlock: u64(own(s, 'epoch_block'), at('epoch_block')),
    lastUpdate: u64List(own(s, 'last_update'), n, at('last_update')),
    weights: weights.rows,
    commitBlocks:
      cb === undefined
        ? new Array<bigint | null>(n).fill(null)
        : array(cb, at('commit_blocks'), n).map((x, i) =>
            x === null ? null : u64(x, `${at('commit_blocks')}[${i}]`),
          ),
  };
  for (const [key, field] of [
    ['block_at_registration', 'blockAtRegistration'],
    ['alpha_stake', 'alphaStake'],
    ['tao_stake', 'taoStake'],
  ] as const) {
    const x = own(s, key);
    if (x !== undefined) out[field] = u64List(x, n, at(key));
  }
  const lms = own(s, 'last_mechanism_step_block');
  if (lms !== undefined) out.lastMechanismStepBlock = u64(lms, at('last_mechanism_step_block'));
  const rao = own(s, 'rao_emission');
  if (rao !== undefined) out.raoEmission = u64(rao, at('rao_emission'));
  const record = own(s, 'record');
  if (record !== undefined) bool(record, at('record'));
  return { step: out, entries: weights.entries };
}

/**
 * Runs a scenario (a whole vector file with `inputs`, or a bare inputs object) and returns every
 * step's outputs. Throws ScenarioError naming the offending field for malformed input.
 * @example
 * import { simulateScenario, scenarioOutputToJson } from './scenario.js';
 * const out = simulateScenario({ n: 2, alpha_stake: [1, 0], steps: [{ epoch_block: 1, last_update: [1, 1] }] });
 * scenarioOutputToJson(out);
 */
export function simulateScenario(doc: unknown, options: ScenarioOptions = {}): ScenarioOutput {
  const run = options.epoch ?? epochMechanism;
  const root = object(doc, 'scenario');
  let inputs: Json;
  if (own(root, 'inputs') !== undefined) {
    onlyKeys(root, FILE_KEYS, 'scenario');
    inputs = object(own(root, 'inputs'), 'inputs');
  } else inputs = root;
  onlyKeys(inputs, INPUT_KEYS, 'inputs');
  const nRaw = own(inputs, 'n');
  if (nRaw === undefined) throw new ScenarioError('inputs.n', 'missing');
  const n = int(nRaw, 0, MAX_UIDS, 'inputs.n');
  const alphaRaw = own(inputs, 'alpha_stake');
  if (alphaRaw === undefined) throw new ScenarioError('inputs.alpha_stake', 'missing');
  let alphaStake = u64List(alphaRaw, n, 'inputs.alpha_stake');
  const zeros = (): bigint[] => new Array<bigint>(n).fill(0n);
  const optList = (k: string): bigint[] => {
    const x = own(inputs, k);
    return x === undefined ? zeros() : u64List(x, n, `inputs.${k}`);
  };
  let taoStake = optList('tao_stake');
  let blockAtRegistration = optList('block_at_registration');
  const vpRaw = own(inputs, 'validator_permits');
  let permits =
    vpRaw === undefined
      ? new Array<boolean>(n).fill(false)
      : array(vpRaw, 'inputs.validator_permits', n).map((x, i) =>
          bool(x, `inputs.validator_permits[${i}]`),
        );
  const hyper = hyperparameters(own(inputs, 'hyperparameters'), n, 'inputs.hyperparameters');
  const ib = own(inputs, 'initial_bonds');
  const initial =
    ib === undefined
      ? { rows: Array.from({ length: n }, (): SparseRowU16 => []), entries: 0 }
      : sparseMap(ib, n, 'inputs.initial_bonds');
  let bonds = initial.rows;
  const stepsRaw = own(inputs, 'steps');
  if (stepsRaw === undefined) throw new ScenarioError('inputs.steps', 'missing');
  const list = array(stepsRaw, 'inputs.steps');
  if (list.length > MAX_STEPS) {
    throw new ScenarioError('inputs.steps', `${list.length} steps, at most ${MAX_STEPS} allowed`);
  }
  const tooLarge = (): ScenarioError =>
    new ScenarioError(
      'inputs.steps',
      `scenario too large (n × steps + weight entries above ${MAX_SCENARIO_CELLS})`,
    );
  if (n * list.length > MAX_SCENARIO_CELLS) throw tooLarge();
  let cells = initial.entries;
  const steps = list.map((s, k) => {
    const parsed = step(s, n, `inputs.steps[${k}]`);
    cells += n + parsed.entries;
    if (cells > MAX_SCENARIO_CELLS) throw tooLarge();
    return parsed.step;
  });

  let lastMechanismStepBlock = hyper.lastMechanismStepBlock;
  let raoEmission = hyper.raoEmission;
  const outputs: ScenarioStepOutput[] = [];
  for (const s of steps) {
    if (s.blockAtRegistration) blockAtRegistration = s.blockAtRegistration;
    if (s.alphaStake) alphaStake = s.alphaStake;
    if (s.taoStake) taoStake = s.taoStake;
    if (s.lastMechanismStepBlock !== undefined) lastMechanismStepBlock = s.lastMechanismStepBlock;
    if (s.raoEmission !== undefined) raoEmission = s.raoEmission;
    const input: EpochInput = {
      n,
      currentBlock: s.epochBlock,
      alphaStake,
      taoStake,
      blockAtRegistration,
      lastUpdate: s.lastUpdate,
      validatorPermits: permits,
      weights: s.weights,
      bonds,
      commitBlocks: s.commitBlocks,
      params: { ...hyper.params, lastMechanismStepBlock },
      raoEmission,
    };
    const t = run(input);
    permits = t.newValidatorPermit;
    bonds = t.bonds;
    const bondsU16: Record<string, Record<string, number>> = {};
    t.bonds.forEach((row, i) => {
      if (row.length === 0) return;
      const r: Record<string, number> = {};
      for (const [j, u] of row) r[String(j)] = u;
      bondsU16[String(i)] = r;
    });
    outputs.push({
      epoch_block: s.epochBlock,
      dividends_u16: t.dividendU16,
      incentive_u16: t.incentiveU16,
      consensus_u16: t.consensusU16,
      validator_trust_u16: t.validatorTrustU16,
      stake_weight_u16: t.stakeWeightU16,
      active: t.active,
      validator_permit: t.newValidatorPermit,
      emission: t.emission,
      server_emission: t.serverEmission,
      validator_emission: t.validatorEmission,
      bonds_u16: bondsU16,
    });
  }
  return { steps: outputs };
}

/**
 * JSON text of a scenario output (2-space indent) with bigints as plain JSON integers.
 * @example
 * import { scenarioOutputToJson } from './scenario.js';
 * scenarioOutputToJson({ steps: [] }); // '{\n  "steps": []\n}'
 */
export function scenarioOutputToJson(out: ScenarioOutput): string {
  const mark = '\u0000bigint:';
  const text = JSON.stringify(
    out,
    (_k, v: unknown) => (typeof v === 'bigint' ? `${mark}${v}` : v),
    2,
  );
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}
