/** The four per-subnet accumulators the coinbase fills every block and drains at the epoch. */
export interface PendingEmission {
  /** PendingServerEmission (alpha rao): the miners' part. */
  server: bigint;
  /** PendingValidatorEmission (alpha rao): the subnet validators' part. */
  validator: bigint;
  /** PendingRootAlphaDivs (alpha rao): root stakers' part. */
  rootAlpha: bigint;
  /** PendingOwnerCut (alpha rao). */
  ownerCut: bigint;
}
