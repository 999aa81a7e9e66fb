/** The shape of the `tao` command tree: groups of verbs, each verb loaded only when it runs. */
import type { Io } from '../io.js';

/** A runnable subcommand module. */
export interface Command {
  run(args: string[], io: Io): Promise<number>;
}

/** One verb: its one-line summary and a loader for its module. */
export interface CommandEntry {
  summary: string;
  /** Other spellings accepted for the verb (btcli accepts snake_case twins, e.g. `regen_coldkey`). */
  aliases?: readonly string[];
  load: () => Promise<Command>;
}

/** A command group such as `wallet` or `stake`. */
export interface Group {
  summary: string;
  /** Other names of the group (btcli: `w`, `wallets` for `wallet`). */
  aliases?: readonly string[];
  verbs: Record<string, CommandEntry>;
  /** The verb run when the group is followed by nothing or by flags (`tao node --dev`). */
  defaultVerb?: string;
}
