/**
 * Builds a `tao` subcommand from its flags and a body: parses the flags (btcli spellings),
 * prints `--help`, builds the {@link Context}, runs the body, and turns every failure into one
 * `error: …` line with the right exit code (and a JSON failure document with --json-output).
 */
import type { Command } from '../groups/types.js';
import type { Io } from '../io.js';
import { Context } from './context.js';
import { causeChain, reportError } from './errors.js';
import { type FlagSpec, helpText, parseFlags } from './flags.js';

/** A command's definition. */
export interface CommandDef {
  /** `tao wallet balance [options]`. */
  usage: string;
  /** A paragraph shown under the usage line. */
  description: string;
  flags: readonly FlagSpec[];
  /** Lines after the options (JSON shape, examples). */
  notes?: readonly string[];
  /** The body; prints its result through `ctx.out.result`. */
  run(ctx: Context): Promise<void>;
}

/** Turns a definition into a runnable command. */
export function defineCommand(def: CommandDef): Command {
  return {
    async run(args: string[], io: Io): Promise<number> {
      let ctx: Context | undefined;
      try {
        const flags = parseFlags(args, def.flags);
        if (flags.help) {
          io.stdout(helpText(def.usage, def.description, def.flags, def.notes));
          return 0;
        }
        ctx = await Context.create(io, flags);
        await def.run(ctx);
        return 0;
      } catch (err) {
        const r = reportError(err);
        io.stderr(`error: ${r.message.split('\n')[0]}\n`);
        if (ctx?.out.verbose) {
          for (const line of [...r.details, ...causeChain(err)]) io.stderr(`  ${line}\n`);
        }
        if (r.exit !== 2) ctx?.out.failure(r.code, r.message);
        return r.exit;
      } finally {
        await ctx?.close();
      }
    },
  };
}
