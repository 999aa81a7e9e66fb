import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  Counter,
  escapeHelp,
  escapeLabelValue,
  Gauge,
  Histogram,
  MAX_LABEL_VALUE_LENGTH,
  Registry,
} from './index.js';
import { parseExposition } from './test-fixtures/parse-exposition.js';

const seed = process.env.FC_SEED === undefined ? Date.now() : Number(process.env.FC_SEED);

function family(text: string, name: string) {
  const f = parseExposition(text).get(name);
  assert.ok(f, `family ${name} missing from:\n${text}`);
  return f;
}

describe('exposition format', () => {
  test('renders HELP, TYPE and samples exactly', () => {
    const r = new Registry();
    const c = r.register(new Counter({ name: 'app_requests_total', help: 'Requests.' }));
    const g = r.register(
      new Gauge({ name: 'app_height', help: 'Height', labelNames: ['status', 'kind'] }),
    );
    c.inc();
    c.inc(2.5);
    g.set(7, { status: 'best', kind: 'a' });
    g.set(3, { kind: 'b', status: 'finalized' });
    g.dec(1, { status: 'best', kind: 'a' });
    assert.equal(
      r.render(),
      [
        '# HELP app_requests_total Requests.',
        '# TYPE app_requests_total counter',
        'app_requests_total 3.5',
        '# HELP app_height Height',
        '# TYPE app_height gauge',
        'app_height{status="best",kind="a"} 6',
        'app_height{status="finalized",kind="b"} 3',
        '',
      ].join('\n'),
    );
    assert.equal(c.get(), 3.5);
    assert.equal(g.get({ status: 'best', kind: 'a' }), 6);
    assert.equal(g.get({ status: 'none', kind: 'a' }), 0, 'reading does not create a series');
    assert.equal(parseExposition(r.render()).get('app_height')?.samples.length, 2);
  });

  test('an empty registry renders nothing; an unused labelled metric renders only its header', () => {
    const r = new Registry();
    assert.equal(r.render(), '');
    r.register(new Counter({ name: 'calls', help: 'c', labelNames: ['method'] }));
    assert.equal(r.render(), '# HELP calls c\n# TYPE calls counter\n');
  });

  test('a labelless metric is rendered as 0 before it is touched', () => {
    const r = new Registry();
    r.register(new Gauge({ name: 'pool_ready', help: 'ready' }));
    assert.deepEqual(family(r.render(), 'pool_ready').samples, [
      { name: 'pool_ready', labels: {}, value: 0 },
    ]);
  });

  test('special gauge values are written the way Prometheus reads them', () => {
    const r = new Registry();
    const g = r.register(new Gauge({ name: 'g', help: 'g', labelNames: ['k'] }));
    g.set(Number.NaN, { k: 'nan' });
    g.set(Number.POSITIVE_INFINITY, { k: 'inf' });
    g.set(Number.NEGATIVE_INFINITY, { k: 'ninf' });
    g.set(1e21, { k: 'big' });
    g.set(-0.125, { k: 'neg' });
    const text = r.render();
    assert.match(text, /^g\{k="nan"\} NaN$/m);
    assert.match(text, /^g\{k="inf"\} \+Inf$/m);
    assert.match(text, /^g\{k="ninf"\} -Inf$/m);
    const values = Object.fromEntries(
      family(text, 'g').samples.map((s) => [s.labels.k, s.value] as const),
    );
    assert.equal(values.big, 1e21);
    assert.equal(values.neg, -0.125);
  });
});

describe('escaping', () => {
  test('label values escape backslash, double quote and line feed', () => {
    assert.equal(escapeLabelValue('a"b'), 'a\\"b');
    assert.equal(escapeLabelValue('a\\b'), 'a\\\\b');
    assert.equal(escapeLabelValue('a\nb'), 'a\\nb');
    assert.equal(escapeLabelValue('\\n'), '\\\\n');
    assert.equal(escapeLabelValue('tab\there\r'), 'tab\there\r');
    const r = new Registry();
    const c = r.register(new Counter({ name: 'x', help: 'x', labelNames: ['v'] }));
    c.inc(1, { v: 'say "hi"\\\n' });
    assert.match(r.render(), /^x\{v="say \\"hi\\"\\\\\\n"\} 1$/m);
  });

  test('help escapes backslash and line feed but not quotes', () => {
    assert.equal(escapeHelp('a\\b\nc "d"'), 'a\\\\b\\nc "d"');
    const r = new Registry();
    r.register(new Gauge({ name: 'h', help: 'line one\nline \\two "q"' }));
    const text = r.render();
    assert.equal(text.split('\n')[0], '# HELP h line one\\nline \\\\two "q"');
    assert.equal(family(text, 'h').help, 'line one\nline \\two "q"');
  });

  test('hostile label values cannot inject samples or families', () => {
    const hostile = [
      '"} 1\nevil_metric 1\n# TYPE evil_metric counter',
      '\\',
      '\\"',
      '"',
      '\n',
      '\n\n# HELP x y',
      '} 99',
      'a",b="c',
      '',
      '😀 é \u0000 \u2028',
    ];
    const r = new Registry();
    const c = r.register(new Counter({ name: 'rpc_calls', help: 'calls', labelNames: ['method'] }));
    hostile.forEach((method, i) => {
      c.inc(i + 1, { method });
    });
    const parsed = parseExposition(r.render());
    assert.deepEqual([...parsed.keys()], ['rpc_calls']);
    const samples = parsed.get('rpc_calls')!.samples;
    assert.deepEqual(
      samples.map((s) => [s.labels, s.value]),
      hostile.map((method, i) => [{ method }, i + 1]),
    );
  });

  test('property: any label value and help text round-trips through render and parse', () => {
    const nasty = fc
      .array(fc.constantFrom('"', '\\', '\n', 'n', 'a', '}', '{', ',', '=', ' ', '#', 'é', '😀'), {
        maxLength: 30,
      })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(nasty, nasty, fc.string({ maxLength: 40 }), (a, b, help) => {
        const r = new Registry();
        const h = r.register(
          new Histogram({ name: 'lat', help, labelNames: ['a', 'b'], buckets: [1] }),
        );
        h.observe(0.5, { a, b });
        const f = family(r.render(), 'lat');
        assert.equal(f.help, help);
        assert.equal(f.samples.length, 4);
        for (const s of f.samples) {
          assert.equal(s.labels.a, a);
          assert.equal(s.labels.b, b);
        }
      }),
      { seed, numRuns: 300 },
    );
  });
});

describe('histogram', () => {
  test('buckets are cumulative and end with +Inf, _sum and _count', () => {
    const r = new Registry();
    const h = r.register(
      new Histogram({ name: 'op_seconds', help: 'op', labelNames: ['op'], buckets: [1, 2, 5] }),
    );
    for (const v of [0.5, 1, 1.5, 3, 10]) h.observe(v, { op: 'a' });
    h.observe(-1, { op: 'b' });
    const text = r.render();
    assert.equal(
      text,
      [
        '# HELP op_seconds op',
        '# TYPE op_seconds histogram',
        'op_seconds_bucket{op="a",le="1"} 2',
        'op_seconds_bucket{op="a",le="2"} 3',
        'op_seconds_bucket{op="a",le="5"} 4',
        'op_seconds_bucket{op="a",le="+Inf"} 5',
        'op_seconds_sum{op="a"} 16',
        'op_seconds_count{op="a"} 5',
        'op_seconds_bucket{op="b",le="1"} 1',
        'op_seconds_bucket{op="b",le="2"} 1',
        'op_seconds_bucket{op="b",le="5"} 1',
        'op_seconds_bucket{op="b",le="+Inf"} 1',
        'op_seconds_sum{op="b"} -1',
        'op_seconds_count{op="b"} 1',
        '',
      ].join('\n'),
    );
    assert.equal(family(text, 'op_seconds').type, 'histogram');
  });

  test('property: bucket counts never decrease, +Inf equals _count, _sum is the total', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => (v === 0 ? 0 : v)),
          { minLength: 1, maxLength: 12, comparator: 'SameValueZero' },
        ),
        fc.array(fc.double({ min: -2e6, max: 2e6, noNaN: true }), { maxLength: 60 }),
        (rawBounds, observations) => {
          const buckets = [...rawBounds].sort((x, y) => x - y);
          const r = new Registry();
          const h = r.register(new Histogram({ name: 'p', help: 'p', buckets }));
          for (const v of observations) h.observe(v);
          const f = family(r.render(), 'p');
          const bucketSamples = f.samples.filter((s) => s.name === 'p_bucket');
          assert.equal(bucketSamples.length, buckets.length + 1);
          assert.equal(bucketSamples.at(-1)!.labels.le, '+Inf');
          bucketSamples.forEach((s, i) => {
            if (i < buckets.length) assert.equal(Number(s.labels.le), buckets[i]);
            const expected = observations.filter((v) => i === buckets.length || v <= buckets[i]!);
            assert.equal(s.value, expected.length);
          });
          const count = f.samples.find((s) => s.name === 'p_count')!.value;
          const sum = f.samples.find((s) => s.name === 'p_sum')!.value;
          assert.equal(count, observations.length);
          const total = observations.reduce((acc, v) => acc + v, 0);
          assert.ok(
            Math.abs(sum - total) <= 1e-6 * Math.max(1, Math.abs(total)),
            `${sum} ${total}`,
          );
        },
      ),
      { seed, numRuns: 200 },
    );
  });

  test('scale converts the observed unit into the exposed one', () => {
    const r = new Registry();
    const h = r.register(
      new Histogram({ name: 'rpc_us', help: 'μs', buckets: [5, 25, 100], scale: 1e6 }),
    );
    h.observe(0.00002); // 20 μs
    h.observe(0.00009); // 90 μs
    const f = family(r.render(), 'rpc_us');
    const counts = f.samples.filter((s) => s.name === 'rpc_us_bucket').map((s) => s.value);
    assert.deepEqual(counts, [0, 1, 2, 2]);
    assert.ok(Math.abs(f.samples.find((s) => s.name === 'rpc_us_sum')!.value - 110) < 1e-9);
  });

  test('startTimer observes the elapsed seconds exactly once', () => {
    const r = new Registry();
    const h = r.register(new Histogram({ name: 't', help: 't', labelNames: ['m'] }));
    const end = h.startTimer({ m: 'x' });
    const elapsed = end();
    assert.ok(elapsed >= 0 && elapsed < 60);
    assert.equal(end(), elapsed);
    const f = family(r.render(), 't');
    assert.equal(f.samples.find((s) => s.name === 't_count')!.value, 1);
    assert.throws(() => h.startTimer({ wrong: 'x' }), TypeError, 'labels are checked up front');
  });

  test('bad buckets, scale and observations are rejected', () => {
    const make = (extra: object) => new Histogram({ name: 'h', help: 'h', ...extra });
    assert.throws(() => make({ buckets: [1, 1] }), RangeError);
    assert.throws(() => make({ buckets: [2, 1] }), RangeError);
    assert.throws(() => make({ buckets: [Number.NaN] }), RangeError);
    assert.throws(() => make({ buckets: [1, Number.NEGATIVE_INFINITY] }), RangeError);
    assert.throws(() => make({ buckets: ['1'] }), TypeError);
    assert.throws(() => make({ buckets: 5 }), TypeError);
    assert.throws(() => make({ buckets: Array.from({ length: 300 }, (_, i) => i) }), RangeError);
    assert.throws(() => make({ scale: 0 }), RangeError);
    assert.throws(() => make({ scale: '1' }), TypeError);
    assert.throws(() => make({ labelNames: ['le'] }), RangeError);
    assert.deepEqual(make({ buckets: [1, Number.POSITIVE_INFINITY] }).buckets, [1]);
    const h = make({});
    assert.throws(() => h.observe(Number.NaN), RangeError);
    assert.throws(() => h.observe(Number.POSITIVE_INFINITY), RangeError);
    assert.throws(() => h.observe('1' as unknown as number), TypeError);
  });
});

describe('labels and validation', () => {
  test('withLabels binds some labels; the rest are given per call', () => {
    const r = new Registry();
    const g = r.register(new Gauge({ name: 'height', help: 'h', labelNames: ['status', 'chain'] }));
    const best = g.withLabels({ status: 'best' });
    const bestMain = best.withLabels({ chain: 'main' });
    best.set(5, { chain: 'test' });
    bestMain.inc(3);
    assert.equal(g.get({ status: 'best', chain: 'main' }), 3);
    assert.equal(best.get({ chain: 'test' }), 5);
    assert.equal(bestMain.name, 'height');
    assert.throws(() => best.set(1, { status: 'finalized', chain: 'x' }), /already bound/);
    assert.throws(() => best.withLabels({ status: 'x' }), /already bound/);
    assert.throws(() => g.withLabels({ nope: 'x' }), TypeError);
    assert.throws(() => r.register(best), RangeError, 'a bound handle is the same metric');
    const h = new Histogram({ name: 'hh', help: 'h', labelNames: ['m'], buckets: [1] });
    h.withLabels({ m: 'a' }).observe(2);
    const c = new Counter({ name: 'cc', help: 'c', labelNames: ['m'] });
    c.withLabels({ m: 'a' }).inc(4);
    assert.equal(c.get({ m: 'a' }), 4);
  });

  test('missing, unknown, mistyped and oversized labels are rejected', () => {
    const c = new Counter({ name: 'c', help: 'c', labelNames: ['method'] });
    assert.throws(() => c.inc(1), /needs label method/);
    assert.throws(() => c.inc(1, {}), TypeError);
    assert.throws(() => c.inc(1, { method: 'a', extra: 'b' }), TypeError);
    assert.throws(() => c.inc(1, { method: 5 as unknown as string }), TypeError);
    assert.throws(() => c.inc(1, 'method' as unknown as Record<string, string>), TypeError);
    assert.throws(() => c.inc(1, JSON.parse('{"__proto__":"x","method":"a"}')), TypeError);
    assert.throws(() => c.inc(1, { method: 'x'.repeat(MAX_LABEL_VALUE_LENGTH + 1) }), RangeError);
    c.inc(1, { method: 'x'.repeat(MAX_LABEL_VALUE_LENGTH) });
    const plain = new Counter({ name: 'p', help: 'p' });
    assert.throws(() => plain.inc(1, { method: 'a' }), TypeError);
  });

  test('the series limit stops unbounded label values', () => {
    const r = new Registry();
    const c = r.register(
      new Counter({ name: 'c', help: 'c', labelNames: ['method'], maxSeries: 3 }),
    );
    for (const m of ['a', 'b', 'c']) c.inc(1, { method: m });
    c.inc(1, { method: 'a' });
    assert.throws(() => c.inc(1, { method: 'd' }), RangeError);
    assert.equal(family(r.render(), 'c').samples.length, 3);
    assert.throws(() => new Counter({ name: 'c', help: 'c', maxSeries: 0 }), RangeError);
    assert.throws(() => new Counter({ name: 'c', help: 'c', maxSeries: 1.5 }), RangeError);
  });

  test('counters only go up by finite amounts; gauges only move by finite amounts', () => {
    const c = new Counter({ name: 'c', help: 'c' });
    assert.throws(() => c.inc(-1), RangeError);
    assert.throws(() => c.inc(Number.NaN), RangeError);
    assert.throws(() => c.inc(Number.POSITIVE_INFINITY), RangeError);
    assert.throws(() => c.inc('1' as unknown as number), TypeError);
    assert.throws(() => c.inc(1n as unknown as number), TypeError);
    c.inc(0);
    assert.equal(c.get(), 0);
    const g = new Gauge({ name: 'g', help: 'g' });
    assert.throws(() => g.inc(Number.NaN), RangeError);
    assert.throws(() => g.dec(Number.NEGATIVE_INFINITY), RangeError);
    assert.throws(() => g.set('3' as unknown as number), TypeError);
    g.set(10);
    g.dec(4);
    g.inc();
    assert.equal(g.get(), 7);
  });

  test('bad metric options are rejected', () => {
    const bad: Array<[unknown, typeof TypeError | typeof RangeError]> = [
      [null, TypeError],
      ['name', TypeError],
      [{ name: 5, help: 'h' }, TypeError],
      [{ name: 'a', help: 5 }, TypeError],
      [{ name: '', help: 'h' }, RangeError],
      [{ name: '1abc', help: 'h' }, RangeError],
      [{ name: 'a-b', help: 'h' }, RangeError],
      [{ name: 'a b', help: 'h' }, RangeError],
      [{ name: 'ok\n# TYPE evil counter', help: 'h' }, RangeError],
      [{ name: 'a', help: 'h'.repeat(2000) }, RangeError],
      [{ name: 'a', help: 'h', labelNames: 'method' }, TypeError],
      [{ name: 'a', help: 'h', labelNames: [1] }, TypeError],
      [{ name: 'a', help: 'h', labelNames: ['__reserved'] }, RangeError],
      [{ name: 'a', help: 'h', labelNames: ['a:b'] }, RangeError],
      [{ name: 'a', help: 'h', labelNames: ['x', 'x'] }, RangeError],
      [{ name: 'a', help: 'h', labelNames: ['x="y"'] }, RangeError],
    ];
    for (const [opts, type] of bad) {
      assert.throws(() => new Counter(opts as { name: string; help: string }), type);
      assert.throws(() => new Gauge(opts as { name: string; help: string }), type);
      assert.throws(() => new Histogram(opts as { name: string; help: string }), type);
    }
    assert.doesNotThrow(() => new Counter({ name: 'a:b_c', help: '', labelNames: ['_x'] }));
  });

  test('the registry refuses duplicate names, histogram sample clashes and non-metrics', () => {
    const r = new Registry();
    r.register(new Histogram({ name: 'foo', help: 'f' }));
    assert.throws(() => r.register(new Counter({ name: 'foo', help: 'f' })), RangeError);
    assert.throws(() => r.register(new Counter({ name: 'foo_count', help: 'f' })), RangeError);
    assert.throws(() => r.register(new Gauge({ name: 'foo_bucket', help: 'f' })), RangeError);
    r.register(new Counter({ name: 'bar_sum', help: 'b' }));
    assert.throws(() => r.register(new Histogram({ name: 'bar', help: 'b' })), RangeError);
    assert.throws(() => r.register({} as Counter), TypeError);
    assert.deepEqual([...parseExposition(r.render()).keys()], ['foo', 'bar_sum']);
  });
});
