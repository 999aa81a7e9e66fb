/**
 * Test and benchmark setup for the coinbase (not used by the runtime itself): a dynamic subnet
 * written straight into storage, emitting from the next block, with its pool TAO held on its
 * subnet account so the issuance invariants hold from the start.
 */
import {
  Balances,
  SubtensorStorage as S,
  type StateRW,
  Swap,
  System,
} from '@taoscript/chain-types';
import { fxFromRatio, I96F32 } from '@taoscript/codec';
import { subnetAccount } from '../pool.js';

/** What `seedSubnet` writes (all optional). */
export interface SeedSubnet {
  /** Pool TAO (`SubnetTAO`, also put on the subnet account). Default 100 TAO. */
  tao?: bigint;
  /** Pool alpha (`SubnetAlphaIn`). Default 100 alpha. */
  alphaIn?: bigint;
  /** Outstanding alpha (`SubnetAlphaOut`). Default 0. */
  alphaOut?: bigint;
  /** `SubnetMovingPrice` as num/den. Default 1/2. */
  movingPrice?: [bigint, bigint];
  /** Tempo. Default 360. */
  tempo?: number;
  /** `LastEpochBlock`. Default 0. */
  lastEpochBlock?: bigint;
  /** `FirstEmissionBlockNumber` (undefined: not started). Default 1. */
  firstEmission?: bigint | undefined;
  /** Mechanism (1 dynamic, 0 stable). Default 1. */
  mechanism?: number;
}

/** Puts `amount` on `who` and into both issuances (a genesis-style endowment). */
export function endow(st: StateRW, who: Uint8Array, amount: bigint): void {
  const info = System.Account.get(st, who);
  if (info.providers === 0) info.providers = 1;
  info.data.free += amount;
  System.Account.set(st, who, info);
  Balances.TotalIssuance.set(st, Balances.TotalIssuance.get(st) + amount);
  S.TotalIssuance.set(st, S.TotalIssuance.get(st) + amount);
}

/** Writes an emitting dynamic subnet `netuid` straight into storage. */
export function seedSubnet(st: StateRW, netuid: number, o: SeedSubnet = {}): void {
  const tao = o.tao ?? 100_000_000_000n;
  S.NetworksAdded.set(st, netuid, true);
  S.Tempo.set(st, netuid, o.tempo ?? 360);
  S.SubnetMechanism.set(st, netuid, o.mechanism ?? 1);
  S.SubnetTAO.set(st, netuid, tao);
  S.SubnetAlphaIn.set(st, netuid, o.alphaIn ?? 100_000_000_000n);
  S.SubnetAlphaOut.set(st, netuid, o.alphaOut ?? 0n);
  S.TotalStake.set(st, S.TotalStake.get(st) + tao);
  const first = 'firstEmission' in o ? o.firstEmission : 1n;
  if (first !== undefined) S.FirstEmissionBlockNumber.set(st, netuid, first);
  S.SubtokenEnabled.set(st, netuid, true);
  S.NetworkRegistrationAllowed.set(st, netuid, true);
  S.SubnetEmissionEnabled.set(st, netuid, true);
  const [num, den] = o.movingPrice ?? [1n, 2n];
  S.SubnetMovingPrice.set(st, netuid, fxFromRatio(I96F32, num, den));
  S.LastEpochBlock.set(st, netuid, o.lastEpochBlock ?? 0n);
  Swap.PalSwapInitialized.set(st, netuid, true);
  endow(st, subnetAccount(netuid), tao + 500n);
}
