// A strict parser for the Prometheus text format 0.0.4, used by the tests to read our output
// back. It throws on anything a Prometheus scraper would reject or that we never emit.

/** One sample line. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** One metric family: its HELP, TYPE and samples. */
export interface ParsedFamily {
  name: string;
  help: string;
  type: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function unescapeHelp(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => {
    if (c === 'n') return '\n';
    if (c === '\\') return '\\';
    throw new Error(`bad escape \\${c} in HELP`);
  });
}

function parseValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad value ${text}`);
  return Number(text);
}

function parseSample(line: string): Sample {
  const nameMatch = NAME.exec(line);
  if (nameMatch === null) throw new Error(`bad sample line ${JSON.stringify(line)}`);
  const name = nameMatch[0];
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    while (line[i] !== '}') {
      const labelMatch = LABEL.exec(line.slice(i));
      if (labelMatch === null) throw new Error(`bad label name in ${JSON.stringify(line)}`);
      const label = labelMatch[0];
      i += label.length;
      if (line.slice(i, i + 2) !== '="') throw new Error(`expected =" in ${JSON.stringify(line)}`);
      i += 2;
      let value = '';
      for (;;) {
        const c = line[i];
        if (c === undefined) throw new Error(`unterminated label value in ${JSON.stringify(line)}`);
        i++;
        if (c === '"') break;
        if (c === '\\') {
          const e = line[i++];
          if (e === 'n') value += '\n';
          else if (e === '\\' || e === '"') value += e;
          else throw new Error(`bad escape in ${JSON.stringify(line)}`);
        } else value += c;
      }
      if (Object.hasOwn(labels, label)) throw new Error(`repeated label ${label}`);
      labels[label] = value;
      if (line[i] === ',') i++;
      else if (line[i] !== '}') throw new Error(`expected , or } in ${JSON.stringify(line)}`);
    }
    i++;
  }
  if (line[i] !== ' ')
    throw new Error(`expected a space before the value in ${JSON.stringify(line)}`);
  const rest = line.slice(i + 1);
  if (rest.includes(' '))
    throw new Error(`unexpected timestamp or junk in ${JSON.stringify(line)}`);
  return { name, labels, value: parseValue(rest) };
}

/** Parses an exposition; families keyed by name, in order of appearance. */
export function parseExposition(text: string): Map<string, ParsedFamily> {
  const families = new Map<string, ParsedFamily>();
  if (text === '') return families;
  if (!text.endsWith('\n')) throw new Error('exposition must end with a line feed');
  let current: ParsedFamily | undefined;
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.startsWith('# HELP ')) {
      const [, name, ...help] = line.split(' ').slice(1);
      if (name === undefined || !NAME.test(name)) throw new Error(`bad HELP ${line}`);
      if (families.has(name)) throw new Error(`family ${name} appears twice`);
      current = { name, help: unescapeHelp(help.join(' ')), type: 'untyped', samples: [] };
      families.set(name, current);
    } else if (line.startsWith('# TYPE ')) {
      const [name, type, ...junk] = line.slice(7).split(' ');
      if (current === undefined || name !== current.name || junk.length > 0) {
        throw new Error(`TYPE without matching HELP: ${line}`);
      }
      if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type ?? '')) {
        throw new Error(`bad type in ${line}`);
      }
      current.type = type!;
    } else if (line.startsWith('#')) {
      throw new Error(`unexpected comment ${line}`);
    } else {
      const sample = parseSample(line);
      if (current === undefined) throw new Error(`sample before any family: ${line}`);
      const allowed =
        current.type === 'histogram'
          ? [`${current.name}_bucket`, `${current.name}_sum`, `${current.name}_count`]
          : [current.name];
      if (!allowed.includes(sample.name)) {
        throw new Error(`sample ${sample.name} does not belong to ${current.name}`);
      }
      current.samples.push(sample);
    }
  }
  return families;
}
