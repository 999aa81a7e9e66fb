/**
 * How failures reach the user: one line on stderr (`error: …`), exit 2 for usage mistakes (flags,
 * values, wallet files, passwords) and 1 for everything the chain or the network answers (failed
 * extrinsics with their pallet error's name, an unreachable node, a subnet that does not exist).
 * No stack traces; `--verbose` adds the details and cause chain.
 */
import { UsageError } from '../io.js';

/** Exit code of a chain, network or runtime failure. */
export const EXIT_FAILURE = 1;
/** Exit code of a usage mistake. */
export const EXIT_USAGE = 2;

/** A failure reported by the chain or the network (exit 1). */
export class CliError extends Error {
  override name = 'CliError';
  readonly code: string;
  readonly details: readonly string[];
  constructor(code: string, message: string, details: readonly string[] = [], cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.details = details;
  }
}

/** The user answered no to a confirmation (exit 1, nothing was submitted). */
export class CancelledError extends CliError {
  override name = 'CancelledError';
  constructor() {
    super('CANCELLED', 'cancelled: nothing was submitted');
  }
}

/** One sentence for the pallet errors people meet most, keyed by `Pallet.Error` or the name. */
const SENTENCES: Record<string, string> = {
  'Balances.InsufficientBalance': 'the account does not have enough free balance',
  'Token.FundsUnavailable': 'the account does not have enough free balance',
  'Balances.FundsUnavailable': 'the account does not have enough free balance',
  'Balances.ExistentialDeposit': 'the amount is below the existential deposit',
  'Token.BelowMinimum': 'the destination would hold less than the existential deposit',
  'Balances.Expendability':
    'the transfer would leave the sender below the existential deposit (pass --allow-death)',
  'Balances.KeepAlive':
    'the transfer would leave the sender below the existential deposit (pass --allow-death)',
  'Token.NotExpendable':
    'the transfer would leave the sender below the existential deposit (pass --allow-death)',
  NotEnoughBalanceToStake: "the coldkey's free balance is less than the amount to stake",
  NotEnoughStakeToWithdraw: 'there is less stake than the amount to unstake or move',
  NotEnoughStake: 'there is not enough stake for this operation',
  BalanceWithdrawalError: 'the balance could not be withdrawn',
  SubnetNotExists: 'the subnet does not exist',
  MechanismDoesNotExist: 'the subnet does not exist',
  SubnetDoesNotExist: 'the subnet does not exist',
  HotKeyNotRegisteredInSubNet: 'the hotkey is not registered on this subnet',
  HotKeyNotRegisteredInNetwork: 'the hotkey is not registered on any subnet',
  HotKeyAccountNotExists: 'the hotkey is not registered on any subnet',
  HotKeyAlreadyRegisteredInSubNet: 'the hotkey is already registered on this subnet',
  NonAssociatedColdKey: 'the hotkey belongs to another coldkey',
  NotSubnetOwner: "the wallet's coldkey does not own this subnet",
  CannotAffordLockCost: 'the coldkey cannot pay the subnet lock cost',
  AmountTooLow: 'the amount is below the minimum the chain accepts',
  SlippageTooHigh:
    'the price would move past the limit; raise --tolerance, pass --partial, or use --unsafe',
  InsufficientLiquidity: 'the subnet pool has too little liquidity for this amount',
  SettingWeightsTooFast: 'weights were set too recently (weights rate limit)',
  CommittingWeightsTooFast: 'weights were committed too recently (weights rate limit)',
  CommitRevealEnabled: 'the subnet uses commit-reveal: use tao weights commit / reveal',
  CommitRevealDisabled: 'the subnet does not use commit-reveal: use tao weights set',
  NoWeightsCommitFound: 'there is no pending commit for this hotkey on this subnet',
  InvalidRevealCommitHashNotMatch:
    'the revealed uids, weights and salt do not match the commit (they must be the same as committed)',
  RevealTooEarly: 'the commit cannot be revealed yet: wait for its reveal epoch',
  ExpiredWeightCommit: 'the commit expired before it was revealed',
  IncorrectWeightVersionKey: "the weights' version key is below the subnet's weights_version",
  UidVecContainInvalidOne: 'a uid is not on the subnet',
  WeightVecLengthIsLow: 'fewer weights than the subnet minimum (min_allowed_weights)',
  MaxWeightExceeded: 'a weight exceeds the subnet maximum (max_weights_limit)',
  NeuronNoValidatorPermit: 'the hotkey has no validator permit on this subnet',
  TxRateLimitExceeded: 'rate limit: try again after a few blocks',
  NetworkTxRateLimitExceeded: 'subnet registration rate limit: try again later',
  DelegateTxRateLimitExceeded: 'take change rate limit: try again later',
  StakingRateLimitExceeded: 'staking rate limit: try again in the next block',
  DelegateTakeTooHigh: 'the take is above the maximum the chain allows',
  DelegateTakeTooLow: 'the take is below the minimum the chain allows',
  AdminActionProhibitedDuringWeightsWindow:
    'hyperparameters cannot change this close to the end of an epoch; try after the epoch',
  FirstEmissionBlockNumberAlreadySet: 'the subnet is already started',
  NeedWaitingMoreBlocksToStarCall: 'the subnet cannot be started yet (start-call delay)',
  SubtokenDisabled: 'the subnet is not started yet (tao subnets start)',
  TooManyRegistrationsThisBlock: 'too many registrations in this block: try the next block',
  TooManyRegistrationsThisInterval: 'registration limit of this interval reached: try later',
  SubNetRegistrationDisabled: 'registration is disabled on this subnet',
  TransferDisallowed: 'stake transfers are disabled on this subnet',
  SameNetuid: 'origin and destination subnet are the same',
  SubnetLimitReached: 'the chain already has the most subnets it allows',
  BadOrigin: 'the signer is not allowed to make this call',
  'Sudo.RequireSudo': "the wallet's coldkey is not the sudo key",
  ValueNotInBounds: 'the value is outside the bounds the chain allows',
  InvalidValue: 'the value is not allowed',
  InvalidIdentity: 'the subnet identity is invalid (a field is too long)',
};

/** A human sentence for a decoded dispatch error (`Balances.InsufficientBalance`), if known. */
export function dispatchSentence(qualifiedName: string, code: string): string | undefined {
  return SENTENCES[qualifiedName] ?? SENTENCES[code];
}

/** The user-facing line of a transaction-pool rejection reason (`Invalid.Payment`). */
function invalidSentence(reason: string): string {
  if (/Payment/.test(reason))
    return 'the signing account cannot pay the fee or holds no balance at all (fund it first)';
  if (/Stale/.test(reason)) return 'the nonce is stale (another transaction was sent first)';
  if (/BadProof/.test(reason)) return 'the signature was refused';
  return 'the node refused the transaction';
}

interface Reported {
  exit: number;
  code: string;
  message: string;
  details: string[];
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  shortMessage?: unknown;
  metaMessages?: unknown;
  details?: unknown;
  qualifiedName?: unknown;
  path?: unknown;
  viaSudo?: unknown;
  cause?: unknown;
}

const WALLET_USAGE_CODES = new Set([
  'KEYFILE_NOT_FOUND',
  'KEYFILE_NOT_READABLE',
  'KEYFILE_NOT_REGULAR',
  'KEYFILE_TOO_LARGE',
  'KEYFILE_CORRUPT',
  'KEYFILE_UNSUPPORTED',
  'KEYFILE_DECRYPT_FAILED',
  'KEYFILE_EXISTS',
  'KEY_PUBLIC_ONLY',
  'PASSWORD_REQUIRED',
  'PASSWORD_ENV_INVALID',
  'PASSWORD_FILE_INVALID',
  'PASSWORD_TOO_WEAK',
  'PASSWORD_MISMATCH',
  'PASSWORD_PROMPT_CANCELLED',
]);

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

/** Classifies any thrown value into exit code, code and one line. */
export function reportError(err: unknown): Reported {
  if (err instanceof UsageError)
    return { exit: EXIT_USAGE, code: 'USAGE', message: err.message, details: [] };
  if (err instanceof CliError)
    return { exit: EXIT_FAILURE, code: err.code, message: err.message, details: [...err.details] };
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  const name = str(e.name) ?? '';
  const code = str(e.code) ?? '';
  const short = str(e.shortMessage) ?? str(e.message) ?? String(err);
  const meta = Array.isArray(e.metaMessages) ? (e.metaMessages as string[]) : [];
  const details = [...meta, ...(str(e.details) ? [`Details: ${e.details}`] : [])];
  switch (name) {
    case 'WalletError': {
      const path = str(e.path);
      const where = path ? ` (${path})` : '';
      let message = `${short}${where}`;
      if (code === 'KEYFILE_DECRYPT_FAILED') message = `wrong password for the key${where}`;
      if (code === 'KEYFILE_EXISTS')
        message = `${path ?? 'the keyfile'} already exists; pass --overwrite to replace it`;
      if (code === 'PASSWORD_REQUIRED')
        message = `the key${where} needs a password: pass --password-file, set its BT_PW_ variable, or run on a terminal`;
      return {
        exit: WALLET_USAGE_CODES.has(code) ? EXIT_USAGE : EXIT_FAILURE,
        code,
        message,
        details,
      };
    }
    case 'ExtrinsicFailedError': {
      const q = str(e.qualifiedName) ?? code;
      const sentence =
        dispatchSentence(q, code) ??
        (e.viaSudo === true ? 'the call inside Sudo.sudo failed' : 'the extrinsic failed');
      return { exit: EXIT_FAILURE, code, message: `${q}: ${sentence}`, details };
    }
    case 'TransactionInvalidError': {
      const reason = short.replace(/^the node rejected the transaction: /, '');
      return {
        exit: EXIT_FAILURE,
        code: code || 'TX_INVALID',
        message: `${invalidSentence(reason)} (${reason})`,
        details,
      };
    }
    case 'ClientTimeoutError':
    case 'NodeUnreachableError':
    case 'RpcFailedError':
    case 'ChainTypeMismatchError':
    case 'PreconditionError':
    case 'CommitStoreError':
      return { exit: EXIT_FAILURE, code: code || name, message: short, details };
    case 'RangeError':
    case 'TypeError':
      // The SDK's argument checks: a value the flags let through but the chain client refuses.
      return { exit: EXIT_USAGE, code: 'INVALID_ARGUMENT', message: short, details };
    default:
      return { exit: EXIT_FAILURE, code: code || 'ERROR', message: short, details };
  }
}

/** The cause chain of an error, one line per cause (for --verbose). */
export function causeChain(err: unknown): string[] {
  const lines: string[] = [];
  let c = (err as ErrorLike | undefined)?.cause;
  for (let i = 0; i < 6 && c !== undefined && c !== null; i++) {
    const x = c as ErrorLike;
    lines.push(`caused by: ${str(x.name) ?? 'Error'}: ${str(x.message) ?? String(c)}`);
    c = typeof c === 'object' ? x.cause : undefined;
  }
  return lines;
}
