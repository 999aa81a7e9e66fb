/**
 * `tao`: the taoscript command line. Subcommands are loaded only when run, so `tao --help` stays
 * fast however many commands there are.
 */
import { type CommandEntry, GROUPS, type Group } from './groups/index.js';
import { EXIT_USAGE, type Io, UsageError } from './io.js';

export type { Command } from './groups/index.js';

/** The top-level `--help` text. */
export function usage(): string {
  const lines = ['Usage: tao <command> <verb> [options]', '', 'Commands:'];
  const rows = Object.entries(GROUPS).flatMap(([group, { verbs }]) =>
    Object.entries(verbs).map(([verb, entry]) => [`${group} ${verb}`, entry.summary] as const),
  );
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  for (const [name, summary] of rows) lines.push(`  ${name.padEnd(width)}${summary}`);
  lines.push('', 'Run `tao <command> <verb> --help` for the options of one command.', '');
  return lines.join('\n');
}

/** The group named `name` or one of its aliases. */
function findGroup(name: string): Group | undefined {
  if (Object.hasOwn(GROUPS, name)) return GROUPS[name];
  return Object.values(GROUPS).find((g) => g.aliases?.includes(name));
}

/** The verb named `name` in `group`, or one of its aliases. */
function findVerb(group: Group, name: string): CommandEntry | undefined {
  if (Object.hasOwn(group.verbs, name)) return group.verbs[name];
  return Object.values(group.verbs).find((v) => v.aliases?.includes(name));
}

function groupUsage(group: string): string {
  const entry = findGroup(group);
  if (!entry) return usage();
  const lines = [`Usage: tao ${group} <verb> [options]`, '', `${entry.summary}.`, '', 'Verbs:'];
  const width = Math.max(0, ...Object.keys(entry.verbs).map((v) => v.length)) + 2;
  for (const [verb, v] of Object.entries(entry.verbs))
    lines.push(`  ${verb.padEnd(width)}${v.summary}`);
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
    const entry = findGroup(group);
    if (!entry) {
      throw new UsageError(`unknown command '${group}' (run tao --help)`);
    }
    const fallback = entry.defaultVerb !== undefined ? entry.verbs[entry.defaultVerb] : undefined;
    if (fallback && (verb === undefined || verb.startsWith('-'))) {
      return await (await fallback.load()).run(argv.slice(1), io);
    }
    if (verb === undefined) {
      io.stderr(groupUsage(group));
      return EXIT_USAGE;
    }
    if (verb === '--help' || verb === '-h') {
      io.stdout(groupUsage(group));
      return 0;
    }
    const command = findVerb(entry, verb);
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
