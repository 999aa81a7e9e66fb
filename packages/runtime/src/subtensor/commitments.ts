/**
 * Commitments (pallet index 18): `set_commitment`, a registered hotkey's per-subnet metadata
 * (subtensor 14bc6f9f: pallets/commitments/src/lib.rs with the runtime's `AllowCommitments`,
 * `ResetBondsOnCommit` and `TempoInterface`), and root's `set_max_space`.
 *
 * The only throttle is the space budget: each commit costs at least 100 "bytes" and a hotkey may
 * spend `MaxSpace` per subnet epoch (`SubnetEpochIndex`); there is no block-based rate limit in
 * this version. Deposits are free in subtensor's runtime (`InitialDeposit = FieldDeposit = 0`).
 * Timelocked fields are stored and indexed, but revealing them needs drand pulses, which our
 * chain does not have, so they stay sealed.
 */
import {
  type COMMITMENTS_ERRORS,
  type CommitmentData,
  type CommitmentInfo,
  Commitments,
  type CommitmentsEvent,
  MAX_COMMIT_FIELDS,
  type RuntimeEvent,
  SubtensorStorage as S,
  type StateRW,
} from '@taoscript/chain-types';
import { bytesEqual } from '@taoscript/codec';
import {
  BAD_ORIGIN,
  type DispatchContext,
  type DispatchOutcome,
  fail,
  moduleError,
  OK,
  type Origin,
} from '../dispatch.js';
import { handlers } from './dispatch.js';
import { atomic } from './rate-limits.js';
import { mechanismStorageIndex } from './weights.js';

/** Commitments' pallet index. */
export const COMMITMENTS_PALLET = 18;
/** Every commit is charged at least this much space. */
export const MIN_USED_SPACE = 100n;
/** `CommitmentInitialDeposit` (rao): free. */
export const COMMITMENT_INITIAL_DEPOSIT = 0n;
/** `CommitmentFieldDeposit` (rao per field): free. */
export const COMMITMENT_FIELD_DEPOSIT = 0n;

type CommitmentsErrorName = (typeof COMMITMENTS_ERRORS)[number];
const commitmentsError = (name: CommitmentsErrorName) => moduleError(COMMITMENTS_PALLET, name);
const commitmentsEvent = (value: CommitmentsEvent): RuntimeEvent => ({
  type: 'Commitments',
  value,
});

/**
 * `Data::len_for_rate_limit`: the payload length (raw, big-raw, hash or ciphertext bytes); 0 for
 * `None` and `ResetBondsFlag`.
 * @example
 * import { commitmentSpace } from './commitments.js';
 * commitmentSpace({ type: 'Raw3', value: new Uint8Array(3) }); // 3n
 */
export function commitmentSpace(field: CommitmentData): bigint {
  if (typeof field !== 'object' || field === null || typeof field.type !== 'string')
    throw new TypeError('commitmentSpace: expected a Data value');
  switch (field.type) {
    case 'None':
    case 'ResetBondsFlag':
      return 0n;
    case 'TimelockEncrypted':
      return BigInt(field.value.encrypted.length);
    default:
      if (!(field.value instanceof Uint8Array))
        throw new TypeError(`commitmentSpace: ${field.type} carries no bytes`);
      return BigInt(field.value.length);
  }
}

/** `ResetBondsOnCommit`: with `BondsResetOn`, drops every bond held in the hotkey's uid. */
export function resetBondsForHotkey(
  state: StateRW & { keys(prefix: Uint8Array): Uint8Array[] },
  netuid: number,
  hotkey: Uint8Array,
): void {
  if (!S.BondsResetOn.get(state, netuid)) return;
  const uid = S.Uids.tryGet(state, netuid, hotkey);
  if (uid === undefined) return;
  const mechanisms = S.MechanismCountCurrent.get(state, netuid);
  for (let mecid = 0; mecid < mechanisms; mecid++) {
    const idx = mechanismStorageIndex(netuid, mecid);
    for (const key of state.keys(S.Bonds.partialKey(idx))) {
      const [, i] = S.Bonds.decodeKey(key);
      const bonds = S.Bonds.get(state, idx, i);
      S.Bonds.set(
        state,
        idx,
        i,
        bonds.filter(([j]) => j !== uid),
      );
    }
  }
}

const compareIndexEntry = (a: [number, Uint8Array], b: [number, Uint8Array]): number => {
  if (a[0] !== b[0]) return a[0] - b[0];
  for (let i = 0; i < 32; i++) if (a[1][i] !== b[1][i]) return (a[1][i] ?? 0) - (b[1][i] ?? 0);
  return 0;
};

/** Adds or removes (netuid, who) in `TimelockedIndex` (a BTreeSet, kept sorted). */
function updateTimelockedIndex(
  state: StateRW,
  netuid: number,
  who: Uint8Array,
  present: boolean,
): void {
  const index = Commitments.TimelockedIndex.get(state);
  const at = index.findIndex(([n, a]) => n === netuid && bytesEqual(a, who));
  if (present === at >= 0) return;
  if (present) {
    index.push([netuid, who]);
    index.sort(compareIndexEntry);
  } else index.splice(at, 1);
  Commitments.TimelockedIndex.set(state, index);
}

/** `set_commitment`'s body: checks, space accounting, bond reset, storage and event. */
function setCommitment(
  ctx: DispatchContext,
  origin: Origin,
  netuid: number,
  info: CommitmentInfo,
): DispatchOutcome {
  const state = ctx.state;
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const who = origin.who;
  if (S.Uids.tryGet(state, netuid, who) === undefined)
    return fail(commitmentsError('AccountNotAllowedCommit'));
  const fields = info.fields;
  if (fields.length > MAX_COMMIT_FIELDS)
    return fail(commitmentsError('TooManyFieldsInCommitmentInfo'));
  const now = ctx.blockNumber;
  let required = 0n;
  for (const f of fields) required += commitmentSpace(f);
  if (required < MIN_USED_SPACE) required = MIN_USED_SPACE;
  const usage = Commitments.UsedSpaceOf.tryGet(state, netuid, who) ?? {
    last_epoch: 0n,
    used_space: 0n,
  };
  const epoch = S.SubnetEpochIndex.get(state, netuid);
  if (usage.last_epoch !== epoch) {
    usage.last_epoch = epoch;
    usage.used_space = 0n;
  }
  if (fields.some((f) => f.type === 'ResetBondsFlag')) {
    Commitments.LastBondsReset.set(state, netuid, who, now);
    resetBondsForHotkey(state, netuid, who);
  }
  if (usage.used_space + required > BigInt(Commitments.MaxSpace.get(state)))
    return fail(commitmentsError('SpaceLimitExceeded'));
  usage.used_space += required;
  Commitments.UsedSpaceOf.set(state, netuid, who, usage);
  // Both deposits are zero, so nothing is ever reserved or unreserved.
  const deposit = COMMITMENT_INITIAL_DEPOSIT + BigInt(fields.length) * COMMITMENT_FIELD_DEPOSIT;
  Commitments.CommitmentOf.set(state, netuid, who, { deposit, block: now, info });
  Commitments.LastCommitment.set(state, netuid, who, now);
  const timelock = fields.find((f) => f.type === 'TimelockEncrypted');
  if (timelock?.type === 'TimelockEncrypted') {
    const reveal_round = timelock.value.reveal_round;
    ctx.deposit(
      commitmentsEvent({ type: 'TimelockCommitment', value: { netuid, who, reveal_round } }),
    );
    updateTimelockedIndex(state, netuid, who, true);
  } else {
    ctx.deposit(commitmentsEvent({ type: 'Commitment', value: { netuid, who } }));
    updateTimelockedIndex(state, netuid, who, false);
  }
  return OK;
}

handlers.Commitments.set_commitment = (ctx, origin, { value: c }) =>
  atomic(ctx, (x) => setCommitment(x, origin, c.netuid, c.info));

handlers.Commitments.set_max_space = (ctx, origin, { value: c }) => {
  if (origin.type !== 'Root') return fail(BAD_ORIGIN);
  Commitments.MaxSpace.set(ctx.state, c.new_limit);
  return OK;
};
