/**
 * `tao`: the taoscript command line. Subcommands are loaded only when run, so `tao --help` stays
 * fast however many commands there are.
 */
import { EXIT_USAGE, type Io, UsageError } from './io.js';

/** A runnable subcommand module. */
export interface Command {
  run(args: string[], io: Io): Promise<number>;
}

interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

/** The command tree: group → verb → lazily loaded module. */
const COMMANDS: Record<string, { summary: string; verbs: Record<string, CommandEntry> }> = {
  sim: {
    summary: 'Run chain logic offline',
    verbs: {
      epoch: {
        summary: 'Run Yuma epochs on a scenario file and print the outputs as JSON',
        load: async () => (await import('./commands/sim-epoch.js')).simEpoch,
      },
    },
  },
};

/** The top-level `--help` text. */
export function usage(): string {
  const lines = ['Usage: tao <command> <verb> [options]', '', 'Commands:'];
  for (const [group, { verbs }] of Object.entries(COMMANDS)) {
    for (const [verb, entry] of Object.entries(verbs)) {
      lines.push(`  ${`${group} ${verb}`.padEnd(22)}${entry.summary}`);
    }
  }
  lines.push('', 'Run `tao <command> <verb> --help` for the options of one command.', '');
  return lines.join('\n');
}

function groupUsage(group: string): string {
  const entry = COMMANDS[group];
  if (!entry) return usage();
  const lines = [`Usage: tao ${group} <verb> [options]`, '', `${entry.summary}.`, '', 'Verbs:'];
  for (const [verb, v] of Object.entries(entry.verbs))
    lines.push(`  ${verb.padEnd(20)}${v.summary}`);
  return `${lines.join('\n')}\n`;
}

/** Runs `tao` with the given arguments; resolves to the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [group, verb, ...rest] = argv;
  try {
    if (group === undefined || group === '--help' || group === '-h' || group === 'help') {
      io.stdout(usage());
      return 0;
    }
    if (group === '--version' || group === '-V') {
      io.stdout('tao 0.1.0\n');
      return 0;
    }
    const entry = COMMANDS[group];
    if (!entry || !Object.hasOwn(COMMANDS, group)) {
      throw new UsageError(`unknown command '${group}' (run tao --help)`);
    }
    if (verb === undefined) {
      io.stderr(groupUsage(group));
      return EXIT_USAGE;
    }
    if (verb === '--help' || verb === '-h') {
      io.stdout(groupUsage(group));
      return 0;
    }
    const command = Object.hasOwn(entry.verbs, verb) ? entry.verbs[verb] : undefined;
    if (!command) throw new UsageError(`unknown verb '${verb}' for 'tao ${group}'`);
    return await (await command.load()).run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`error: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}
