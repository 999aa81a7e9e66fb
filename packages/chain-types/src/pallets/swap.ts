/**
 * pallet_subtensor_swap (index 28): each subnet's TAO/alpha balancer pool: fee rate, reserve
 * weights and the protocol's scrap alpha. The liquidity-position calls survive only as deprecated
 * stubs that fail with `Deprecated`.
 */
import {
  bool,
  Enum,
  FixedBytes,
  i32,
  i64,
  Newtype,
  type ShapeType,
  Struct,
  typed,
  u16,
  u64,
  u128,
} from '../dsl.js';
import { type ConstantDef, constant, errorEnum, map } from '../pallet.js';
import { AccountId32 } from '../primitives.js';
import { CheckedBoundedBytes } from './commitments.js';
import { AlphaBalance, NetUid } from './subtensor/common.js';

const P = 'Swap';
const CRATE = ['pallet_subtensor_swap', 'pallet'];

/** `DefaultFeeRate`: 33 / 65535 ≈ 0.05 %. */
export const DEFAULT_FEE_RATE = 33;
/** `MaxFeeRate` in subtensor's runtime (10_000 / 65535 ≈ 15.26 %). */
export const MAX_FEE_RATE = 10_000;
/** `MinimumLiquidity`. */
export const MINIMUM_LIQUIDITY = 1_000n;
/** `MinimumReserve` (rao / alpha units). */
export const MINIMUM_RESERVE = 1_000_000n;
/** `ProtocolId`: the pallet id `ten/swap`. */
export const SWAP_PROTOCOL_ID = new TextEncoder().encode('ten/swap');
/** 1.0 as a `Perquintill`. */
export const PERQUINTILL_ONE = 1_000_000_000_000_000_000n;
/** Longest `HasMigrationRun` key (`MigrationKeyMaxLen`). */
export const MIGRATION_KEY_MAX_LEN = 128;

/** `sp_arithmetic::per_things::Perquintill`: parts per 10^18, a plain (non-compact) u64. */
export const Perquintill = Newtype(
  { path: ['sp_arithmetic', 'per_things', 'Perquintill'] },
  u64,
  'u64',
);

/** `Balancer { quote }`: the quote (TAO) reserve weight; the base weight is 1 − quote. */
export const Balancer = Struct(
  { path: [...CRATE, 'balancer', 'Balancer'] },
  { quote: typed(Perquintill, 'Perquintill') },
);
export type Balancer = ShapeType<typeof Balancer>;

/** The default pool: equal weights. */
export const DEFAULT_BALANCER: Balancer = { quote: PERQUINTILL_ONE / 2n };

/** `TickIndex(i32)`, kept only for the deprecated liquidity calls. */
export const TickIndex = Newtype({ path: [...CRATE, 'TickIndex'] }, i32, 'i32');
/** `PositionId(u128)`, kept only for the deprecated liquidity calls. */
export const PositionId = Newtype({ path: [...CRATE, 'PositionId'] }, u128, 'u128');

/** `frame_support::PalletId([u8; 8])`. */
export const PalletId = Newtype({ path: ['frame_support', 'PalletId'] }, FixedBytes(8), '[u8; 8]');
/** `core::num::NonZeroU64`. */
export const NonZeroU64 = Newtype({ path: ['NonZeroU64'] }, u64);

const netuid = typed(NetUid, 'NetUid');
const hotkey = typed(AccountId32, 'T::AccountId');

/** Swap calls: `set_fee_rate` and five deprecated stubs. */
export const SwapCall = Enum(
  { path: [...CRATE, 'pallet', 'Call'] },
  {
    set_fee_rate: { index: 0, fields: { netuid, rate: typed(u16, 'u16') } },
    add_liquidity: {
      index: 1,
      fields: {
        hotkey,
        netuid,
        tick_low: typed(TickIndex, 'TickIndex'),
        tick_high: typed(TickIndex, 'TickIndex'),
        liquidity: typed(u64, 'u64'),
      },
    },
    remove_liquidity: {
      index: 2,
      fields: { hotkey, netuid, position_id: typed(PositionId, 'PositionId') },
    },
    modify_position: {
      index: 3,
      fields: {
        hotkey,
        netuid,
        position_id: typed(PositionId, 'PositionId'),
        liquidity_delta: typed(i64, 'i64'),
      },
    },
    toggle_user_liquidity: { index: 4, fields: { netuid, enable: typed(bool, 'bool') } },
    disable_lp: { index: 5 },
  },
);
export type SwapCall = ShapeType<typeof SwapCall>;

/** Swap events. */
export const SwapEvent = Enum(
  { path: [...CRATE, 'pallet', 'Event'] },
  { FeeRateSet: { index: 0, fields: { netuid, rate: typed(u16, 'u16') } } },
);
export type SwapEvent = ShapeType<typeof SwapEvent>;

/** Swap error names in index order. */
export const SWAP_ERRORS = [
  'FeeRateTooHigh',
  'InsufficientInputAmount',
  'InsufficientLiquidity',
  'PriceLimitExceeded',
  'InsufficientBalance',
  'InvalidTickRange',
  'InvalidLiquidityValue',
  'ReservesTooLow',
  'MechanismDoesNotExist',
  'SubtokenDisabled',
  'ReservesOutOfBalance',
  'SwapInputTooLarge',
  'Deprecated',
] as const;
/** Swap's `Error` enum. */
export const SwapError = errorEnum([...CRATE, 'pallet', 'Error'], SWAP_ERRORS);

/** Storage, in declaration order. */
export const Swap = {
  /** Fee per swap, out of 65535. */
  FeeRate: map(P, 'FeeRate', 'Twox64Concat', NetUid, u16, DEFAULT_FEE_RATE),
  SwapBalancer: map(P, 'SwapBalancer', 'Twox64Concat', NetUid, Balancer, DEFAULT_BALANCER),
  PalSwapInitialized: map(P, 'PalSwapInitialized', 'Twox64Concat', NetUid, bool, false),
  HasMigrationRun: map(
    P,
    'HasMigrationRun',
    'Identity',
    CheckedBoundedBytes(MIGRATION_KEY_MAX_LEN),
    bool,
    false,
  ),
  ScrapReservoirAlpha: map(P, 'ScrapReservoirAlpha', 'Twox64Concat', NetUid, AlphaBalance, 0n),
};

/** The pallet's constants as subtensor's runtime sets them. */
export const swapConstants = (): ConstantDef[] => [
  constant('ProtocolId', PalletId, SWAP_PROTOCOL_ID),
  constant('MaxFeeRate', u16, MAX_FEE_RATE),
  constant('MinimumLiquidity', u64, MINIMUM_LIQUIDITY),
  constant('MinimumReserve', NonZeroU64, MINIMUM_RESERVE),
];
