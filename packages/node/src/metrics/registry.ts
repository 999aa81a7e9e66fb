// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the
// text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/).

/** Label values for one series, keyed by label name. */
export type LabelValues = Readonly<Record<string, string>>;

/** Options shared by every metric type. */
export interface MetricOptions {
  /** Metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
  name: string;
  /** One-line description rendered as `# HELP`. */
  help: string;
  /** Label names, `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`. */
  labelNames?: readonly string[];
  /** Most label combinations this metric will hold; one more is a RangeError. */
  maxSeries?: number;
}

/** Options for a {@link Histogram}. */
export interface HistogramOptions extends MetricOptions {
  /** Upper bounds, strictly increasing; `+Inf` is implicit. Default {@link DEFAULT_BUCKETS}. */
  buckets?: readonly number[];
  /**
   * Factor applied to every observed value before it is recorded, so callers can observe in
   * one unit and expose another (1e6: observe seconds, expose microseconds). Default 1.
   */
  scale?: number;
}

/** Content type of the text exposition format. */
export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** Prometheus client default buckets, in seconds. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);
/** Default limit on label combinations per metric, against unbounded label values. */
export const DEFAULT_MAX_SERIES = 1000;
/** Longest accepted label value, in UTF-16 code units. */
export const MAX_LABEL_VALUE_LENGTH = 1024;
/** Longest accepted help text, in UTF-16 code units. */
export const MAX_HELP_LENGTH = 1024;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MAX_BUCKETS = 256;

type MetricType = 'counter' | 'gauge' | 'histogram';

/** Escapes a label value: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** Escapes help text: backslash and line feed. */
export function escapeHelp(help: string): string {
  return help.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

/** Formats a sample value the way Prometheus parses it (`+Inf`, `-Inf`, `NaN`). */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** Shortens a hostile string before it goes into an error message. */
function quote(s: string): string {
  return JSON.stringify(s.length > 64 ? `${s.slice(0, 64)}…` : s);
}

function checkMetricName(name: unknown, what: string): string {
  if (typeof name !== 'string') throw new TypeError(`${what} must be a string`);
  if (!METRIC_NAME.test(name)) throw new RangeError(`${what} ${quote(name)} is not a valid name`);
  return name;
}

function checkLabelValue(value: unknown, label: string): string {
  if (typeof value !== 'string') throw new TypeError(`label ${label} must be a string`);
  if (value.length > MAX_LABEL_VALUE_LENGTH) {
    throw new RangeError(`label ${label} is longer than ${MAX_LABEL_VALUE_LENGTH} characters`);
  }
  return value;
}

function checkNumber(value: unknown, what: string): number {
  if (typeof value !== 'number') throw new TypeError(`${what} must be a number`);
  return value;
}

function renderLabels(names: readonly string[], values: readonly string[]): string {
  if (names.length === 0) return '';
  const parts = names.map((n, i) => `${n}="${escapeLabelValue(values[i]!)}"`);
  return `{${parts.join(',')}}`;
}

interface Series<T> {
  values: readonly string[];
  data: T;
}

/** The shared state of one metric family: its series, whichever handle writes them. */
class Family<T> {
  readonly series = new Map<string, Series<T>>();

  constructor(
    readonly type: MetricType,
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    readonly maxSeries: number,
    private readonly init: () => T,
    private readonly renderSeries: RenderSeries<T>,
  ) {
    if (labelNames.length === 0) this.series.set('[]', { values: [], data: init() });
  }

  /** Sample names this family writes (histograms write several). */
  sampleNames(): string[] {
    const n = this.name;
    return this.type === 'histogram' ? [`${n}_bucket`, `${n}_sum`, `${n}_count`] : [n];
  }

  get(values: readonly string[]): T {
    const key = JSON.stringify(values);
    let s = this.series.get(key);
    if (s === undefined) {
      if (this.series.size >= this.maxSeries) {
        throw new RangeError(`${this.name} already has ${this.maxSeries} label combinations`);
      }
      s = { values, data: this.init() };
      this.series.set(key, s);
    }
    return s.data;
  }

  peek(values: readonly string[]): T | undefined {
    return this.series.get(JSON.stringify(values))?.data;
  }

  render(out: string[]): void {
    out.push(`# HELP ${this.name} ${escapeHelp(this.help)}`);
    out.push(`# TYPE ${this.name} ${this.type}`);
    for (const s of this.series.values()) {
      this.renderSeries(out, this.name, this.labelNames, s.values, s.data);
    }
  }
}

type RenderSeries<T> = (
  out: string[],
  name: string,
  labels: readonly string[],
  values: readonly string[],
  data: T,
) => void;

function makeFamily<T>(
  type: MetricType,
  opts: unknown,
  reserved: readonly string[],
  init: () => T,
  renderSeries: RenderSeries<T>,
): Family<T> {
  if (typeof opts !== 'object' || opts === null) throw new TypeError('options must be an object');
  const o = opts as Record<string, unknown>;
  const name = checkMetricName(o.name, 'name');
  if (typeof o.help !== 'string') throw new TypeError('help must be a string');
  if (o.help.length > MAX_HELP_LENGTH) {
    throw new RangeError(`help is longer than ${MAX_HELP_LENGTH} characters`);
  }
  const labelNames: string[] = [];
  if (o.labelNames !== undefined) {
    if (!Array.isArray(o.labelNames)) throw new TypeError('labelNames must be an array');
    for (const label of o.labelNames as unknown[]) {
      if (typeof label !== 'string') throw new TypeError('label names must be strings');
      if (!LABEL_NAME.test(label) || label.startsWith('__') || reserved.includes(label)) {
        throw new RangeError(`label name ${quote(label)} is not allowed`);
      }
      if (labelNames.includes(label)) throw new RangeError(`label name ${quote(label)} repeats`);
      labelNames.push(label);
    }
  }
  let maxSeries = DEFAULT_MAX_SERIES;
  if (o.maxSeries !== undefined) {
    maxSeries = checkNumber(o.maxSeries, 'maxSeries');
    if (!Number.isInteger(maxSeries) || maxSeries < 1) {
      throw new RangeError('maxSeries must be a positive integer');
    }
  }
  return new Family(type, name, o.help, labelNames, maxSeries, init, renderSeries);
}

/** Which family a handle writes to; kept out of the public type. */
const familyOf = new WeakMap<object, Family<unknown>>();

/** A family plus label values fixed by `withLabels`. */
class Binding<T> {
  constructor(
    readonly family: Family<T>,
    readonly fixed: ReadonlyMap<string, string>,
  ) {}

  /** Label values in family order, from the fixed ones plus `labels`. */
  values(labels: unknown): string[] {
    const { family, fixed } = this;
    const given = labels ?? {};
    if (typeof given !== 'object' || given === null)
      throw new TypeError('labels must be an object');
    const record = given as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!family.labelNames.includes(key)) {
        throw new TypeError(`${family.name} has no label ${quote(key)}`);
      }
      if (fixed.has(key)) throw new TypeError(`label ${key} of ${family.name} is already bound`);
    }
    return family.labelNames.map((label) => {
      const bound = fixed.get(label);
      if (bound !== undefined) return bound;
      if (!Object.hasOwn(record, label)) {
        throw new TypeError(`${family.name} needs label ${label}`);
      }
      return checkLabelValue(record[label], label);
    });
  }

  bind(labels: unknown): Binding<T> {
    if (typeof labels !== 'object' || labels === null) {
      throw new TypeError('labels must be an object');
    }
    const fixed = new Map(this.fixed);
    for (const [key, value] of Object.entries(labels)) {
      if (!this.family.labelNames.includes(key)) {
        throw new TypeError(`${this.family.name} has no label ${quote(key)}`);
      }
      if (fixed.has(key))
        throw new TypeError(`label ${key} of ${this.family.name} is already bound`);
      fixed.set(key, checkLabelValue(value, key));
    }
    return new Binding(this.family, fixed);
  }
}

interface Scalar {
  value: number;
}

const renderScalar = (
  out: string[],
  name: string,
  labels: readonly string[],
  values: readonly string[],
  data: Scalar,
): void => {
  out.push(`${name}${renderLabels(labels, values)} ${formatValue(data.value)}`);
};

/** A value that only goes up (resets to 0 on restart). */
export class Counter {
  readonly #b: Binding<Scalar>;

  constructor(opts: MetricOptions);
  constructor(opts: MetricOptions | Binding<Scalar>) {
    this.#b =
      opts instanceof Binding
        ? opts
        : new Binding(
            makeFamily<Scalar>('counter', opts, [], () => ({ value: 0 }), renderScalar),
            new Map(),
          );
    familyOf.set(this, this.#b.family as Family<unknown>);
  }

  /** The metric name. */
  get name(): string {
    return this.#b.family.name;
  }

  /** Adds `by` (default 1, finite, not negative) to the series chosen by `labels`. */
  inc(by = 1, labels?: LabelValues): void {
    checkNumber(by, 'by');
    if (!Number.isFinite(by) || by < 0) {
      throw new RangeError('a counter only increases by a finite amount');
    }
    this.#b.family.get(this.#b.values(labels)).value += by;
  }

  /** Current value of a series (0 if it was never written). */
  get(labels?: LabelValues): number {
    return this.#b.family.peek(this.#b.values(labels))?.value ?? 0;
  }

  /** A handle on the same metric with some labels fixed. */
  withLabels(labels: LabelValues): Counter {
    return new (Counter as unknown as new (b: Binding<Scalar>) => Counter)(this.#b.bind(labels));
  }
}

/** A value that goes up and down. */
export class Gauge {
  readonly #b: Binding<Scalar>;

  constructor(opts: MetricOptions);
  constructor(opts: MetricOptions | Binding<Scalar>) {
    this.#b =
      opts instanceof Binding
        ? opts
        : new Binding(
            makeFamily<Scalar>('gauge', opts, [], () => ({ value: 0 }), renderScalar),
            new Map(),
          );
    familyOf.set(this, this.#b.family as Family<unknown>);
  }

  /** The metric name. */
  get name(): string {
    return this.#b.family.name;
  }

  /** Sets the series chosen by `labels` to `value` (NaN and ±Infinity are representable). */
  set(value: number, labels?: LabelValues): void {
    checkNumber(value, 'value');
    this.#b.family.get(this.#b.values(labels)).value = value;
  }

  /** Adds `by` (default 1, finite). */
  inc(by = 1, labels?: LabelValues): void {
    checkNumber(by, 'by');
    if (!Number.isFinite(by)) throw new RangeError('by must be finite');
    this.#b.family.get(this.#b.values(labels)).value += by;
  }

  /** Subtracts `by` (default 1, finite). */
  dec(by = 1, labels?: LabelValues): void {
    checkNumber(by, 'by');
    if (!Number.isFinite(by)) throw new RangeError('by must be finite');
    this.#b.family.get(this.#b.values(labels)).value -= by;
  }

  /** Current value of a series (0 if it was never written). */
  get(labels?: LabelValues): number {
    return this.#b.family.peek(this.#b.values(labels))?.value ?? 0;
  }

  /** A handle on the same metric with some labels fixed. */
  withLabels(labels: LabelValues): Gauge {
    return new (Gauge as unknown as new (b: Binding<Scalar>) => Gauge)(this.#b.bind(labels));
  }
}

interface HistogramData {
  /** Per-bucket (not cumulative) counts; the last slot is the +Inf bucket. */
  counts: number[];
  sum: number;
  count: number;
}

/** A histogram family, its bucket bounds and scale, plus label values fixed by `withLabels`. */
class HistogramBinding {
  constructor(
    readonly binding: Binding<HistogramData>,
    readonly bounds: readonly number[],
    readonly scale: number,
  ) {}

  record(values: readonly string[], value: number): void {
    const data = this.binding.family.get(values);
    const v = value * this.scale;
    let i = 0;
    while (i < this.bounds.length && v > this.bounds[i]!) i++;
    data.counts[i]!++;
    data.sum += v;
    data.count++;
  }
}

function makeHistogram(opts: unknown): HistogramBinding {
  const o = (typeof opts === 'object' && opts !== null ? opts : {}) as Record<string, unknown>;
  let bounds: number[] = [...DEFAULT_BUCKETS];
  if (o.buckets !== undefined) {
    if (!Array.isArray(o.buckets)) throw new TypeError('buckets must be an array of numbers');
    bounds = (o.buckets as unknown[]).map((b) => checkNumber(b, 'bucket'));
    if (bounds.at(-1) === Number.POSITIVE_INFINITY) bounds.pop();
    if (bounds.length > MAX_BUCKETS) throw new RangeError(`more than ${MAX_BUCKETS} buckets`);
    bounds.forEach((b, i) => {
      if (!Number.isFinite(b)) throw new RangeError('bucket bounds must be finite');
      if (i > 0 && b <= bounds[i - 1]!) throw new RangeError('buckets must strictly increase');
    });
  }
  let scale = 1;
  if (o.scale !== undefined) {
    scale = checkNumber(o.scale, 'scale');
    if (!Number.isFinite(scale) || scale <= 0) throw new RangeError('scale must be positive');
  }
  const les = [...bounds.map(formatValue), '+Inf'];
  const family = makeFamily<HistogramData>(
    'histogram',
    opts,
    ['le'],
    () => ({ counts: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0 }),
    (out, name, labels, values, data) => {
      const withLe = [...labels, 'le'];
      let cumulative = 0;
      data.counts.forEach((c, i) => {
        cumulative += c;
        out.push(`${name}_bucket${renderLabels(withLe, [...values, les[i]!])} ${cumulative}`);
      });
      const plain = renderLabels(labels, values);
      out.push(`${name}_sum${plain} ${formatValue(data.sum)}`);
      out.push(`${name}_count${plain} ${data.count}`);
    },
  );
  return new HistogramBinding(new Binding(family, new Map()), bounds, scale);
}

/** Counts observations into cumulative buckets, with their sum and count. */
export class Histogram {
  readonly #h: HistogramBinding;

  constructor(opts: HistogramOptions);
  constructor(opts: HistogramOptions | HistogramBinding) {
    this.#h = opts instanceof HistogramBinding ? opts : makeHistogram(opts);
    familyOf.set(this, this.#h.binding.family as Family<unknown>);
  }

  /** The metric name. */
  get name(): string {
    return this.#h.binding.family.name;
  }

  /** Upper bounds of the finite buckets, in exposed units. */
  get buckets(): readonly number[] {
    return this.#h.bounds;
  }

  /** Records one finite observation (multiplied by `scale`). */
  observe(value: number, labels?: LabelValues): void {
    checkNumber(value, 'value');
    if (!Number.isFinite(value)) throw new RangeError('an observation must be finite');
    this.#h.record(this.#h.binding.values(labels), value);
  }

  /** Starts timing; the returned function observes the elapsed seconds once and returns them. */
  startTimer(labels?: LabelValues): () => number {
    const values = this.#h.binding.values(labels);
    const start = performance.now();
    let elapsed: number | undefined;
    return () => {
      if (elapsed === undefined) {
        elapsed = (performance.now() - start) / 1000;
        this.#h.record(values, elapsed);
      }
      return elapsed;
    };
  }

  /** A handle on the same metric with some labels fixed. */
  withLabels(labels: LabelValues): Histogram {
    const { binding, bounds, scale } = this.#h;
    const child = new HistogramBinding(binding.bind(labels), bounds, scale);
    return new (Histogram as unknown as new (h: HistogramBinding) => Histogram)(child);
  }
}

/** Any metric a {@link Registry} can hold. */
export type Metric = Counter | Gauge | Histogram;

/** An ordered set of metric families rendered together. */
export class Registry {
  readonly #families: Family<unknown>[] = [];
  readonly #taken = new Set<string>();

  /** Adds a metric; a name (or histogram sample name) already in use is a RangeError. */
  register<M extends Metric>(metric: M): M {
    const family = familyOf.get(metric);
    if (family === undefined) throw new TypeError('register() takes a Counter, Gauge or Histogram');
    const names = [family.name, ...family.sampleNames()];
    for (const n of names) {
      if (this.#taken.has(n)) throw new RangeError(`metric name ${n} is already registered`);
    }
    for (const n of names) this.#taken.add(n);
    this.#families.push(family);
    return metric;
  }

  /** The text exposition of every registered metric, in registration order. */
  render(): string {
    const out: string[] = [];
    for (const family of this.#families) family.render(out);
    return out.length === 0 ? '' : `${out.join('\n')}\n`;
  }
}
