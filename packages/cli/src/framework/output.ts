/**
 * Command output: either human text (tables, colours only on a terminal) or exactly one JSON
 * document on stdout. Progress and warnings go to stderr so stdout stays machine-readable.
 */
import pc from 'picocolors';
import type { Io } from '../io.js';
import { jsonDocument } from './format.js';

/** Colour functions (identity when colours are off). */
export type Colors = ReturnType<typeof pc.createColors>;

/** How output is produced. */
export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  color: boolean;
}

/** One column of a {@link table}. */
export interface Column {
  header: string;
  /** Right-align (numbers). */
  right?: boolean;
  /** Colour applied after padding. */
  color?: (s: string) => string;
}

/**
 * A plain-text table: a header row, a rule, the rows, an optional footer row under a rule.
 * Widths are measured on the uncoloured text.
 */
export function table(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  opts: { footer?: readonly string[]; colors?: Colors } = {},
): string {
  const all = [columns.map((c) => c.header), ...rows, ...(opts.footer ? [opts.footer] : [])];
  const widths = columns.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  const pad = (s: string, i: number) => {
    const w = widths[i] as number;
    const fill = ' '.repeat(Math.max(0, w - [...s].length));
    return columns[i]?.right ? fill + s : s + fill;
  };
  const line = (r: readonly string[], colorize: boolean) =>
    columns
      .map((c, i) => {
        const cell = pad(r[i] ?? '', i);
        return colorize && c.color ? c.color(cell) : cell;
      })
      .join('  ')
      .trimEnd();
  const bold = opts.colors?.bold ?? ((s: string) => s);
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const out = [
    bold(
      line(
        columns.map((c) => c.header),
        false,
      ),
    ),
    rule,
  ];
  for (const r of rows) out.push(line(r, true));
  if (opts.footer) out.push(rule, bold(line(opts.footer, false)));
  return `${out.join('\n')}\n`;
}

/** Where a command's results, progress and warnings go. */
export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly colors: Colors;
  readonly #io: Io;
  #done = false;

  constructor(io: Io, opts: OutputOptions) {
    this.#io = io;
    this.json = opts.json;
    this.quiet = opts.quiet;
    this.verbose = opts.verbose;
    this.colors = pc.createColors(opts.color && !opts.json);
  }

  /** Whether the result was printed. */
  get done(): boolean {
    return this.#done;
  }

  /** A progress line on stderr (not with --quiet). */
  progress(message: string): void {
    if (!this.quiet) this.#io.stderr(`${this.colors.dim(message)}\n`);
  }

  /** Information for the person running the command (previews) on stderr (not with --quiet). */
  info(text: string): void {
    if (!this.quiet) this.#io.stderr(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A warning on stderr (not with --quiet). */
  warn(message: string): void {
    if (!this.quiet) this.#io.stderr(`${this.colors.yellow('warning:')} ${message}\n`);
  }

  /** Human text on stdout, outside of JSON mode (notices such as a mnemonic to write down). */
  say(text: string): void {
    if (!this.json) this.#io.stdout(text.endsWith('\n') ? text : `${text}\n`);
  }

  /**
   * The command's result: `doc` as one JSON document with --json-output, else `human()` on stdout.
   * Called once per command.
   */
  result(doc: unknown, human: () => string): void {
    if (this.#done) throw new Error('a command printed two results');
    this.#done = true;
    if (this.json) this.#io.stdout(jsonDocument(doc));
    else {
      const text = human();
      if (text !== '') this.#io.stdout(text.endsWith('\n') ? text : `${text}\n`);
    }
  }

  /** The JSON document of a failure (JSON mode only; the error line goes to stderr regardless). */
  failure(code: string, message: string): void {
    if (!this.json || this.#done) return;
    this.#done = true;
    this.#io.stdout(jsonDocument({ success: false, error: { code, message } }));
  }
}
