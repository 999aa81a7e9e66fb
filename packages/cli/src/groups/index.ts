/**
 * Every group of the `tao` command tree. Each group lives in its own file so that groups can grow
 * independently; importing them costs nothing because verbs load their modules only when run.
 */
import { config } from './config.js';
import { localnet } from './localnet.js';
import { node } from './node.js';
import { sim } from './sim.js';
import { stake } from './stake.js';
import { subnets } from './subnets.js';
import { sudo } from './sudo.js';
import type { Group } from './types.js';
import { wallet } from './wallet.js';
import { weights } from './weights.js';

export type { Command, CommandEntry, Group } from './types.js';

/** Group name → group, in the order `tao --help` lists them. */
export const GROUPS: Record<string, Group> = {
  wallet,
  subnets,
  stake,
  weights,
  sudo,
  config,
  localnet,
  node,
  sim,
};
