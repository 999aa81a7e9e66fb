import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { bodyHash } from './body-hash.js';
import { defineSynapse } from './define.js';
import { SynapseParseError } from './errors.js';
import { parseHeaders, pyHeadersSizeof, sanitizeStatusHeaders, toHeaders } from './headers.js';

const Typed = defineSynapse({
  name: 'Typed',
  request: z.object({
    i: z.int(),
    f: z.number(),
    s: z.string(),
    b: z.boolean(),
    l: z.array(z.int()),
    d: z.record(z.string(), z.int()),
    m: z.object({ x: z.int() }),
    a: z.any(),
    n: z.int().nullable(),
    opt: z.int().optional(),
    def: z.string().default('x'),
  }),
  response: z.object({ out: z.string() }),
  hashFields: ['s'],
});

const typed = () =>
  Typed.create(
    { i: 1, f: 3, s: 'q', b: true, l: [1], d: { k: 1 }, m: { x: 1 }, a: [1], n: null, opt: 2 },
    {
      timeout: 2.5,
      axon: {
        status_code: 200,
        status_message: 'Success',
        process_time: 0.0123,
        ip: '1.2.3.4',
        port: 8091,
      },
      dendrite: { nonce: 1763900000123456789n, hotkey: 'D', uuid: 'U', version: 10002000 },
    },
  );

describe('toHeaders', () => {
  it('writes Python’s header names, order and value forms', () => {
    const s = typed();
    const h = toHeaders(s);
    assert.deepEqual(Object.keys(h), [
      'name',
      'timeout',
      'bt_header_axon_status_code',
      'bt_header_axon_status_message',
      'bt_header_axon_process_time',
      'bt_header_axon_ip',
      'bt_header_axon_port',
      'bt_header_dendrite_version',
      'bt_header_dendrite_nonce',
      'bt_header_dendrite_uuid',
      'bt_header_dendrite_hotkey',
      'bt_header_input_obj_i',
      'bt_header_input_obj_f',
      'bt_header_input_obj_s',
      'bt_header_input_obj_b',
      'bt_header_input_obj_l',
      'bt_header_input_obj_d',
      'bt_header_input_obj_m',
      'bt_header_input_obj_a',
      'header_size',
      'total_size',
      'computed_body_hash',
    ]);
    assert.equal(h.timeout, '2.5');
    assert.equal(h.bt_header_axon_process_time, '0.0123');
    assert.equal(h.bt_header_dendrite_nonce, '1763900000123456789');
    assert.equal(h.bt_header_input_obj_i, 'MA==');
    assert.equal(h.bt_header_input_obj_f, 'MC4w'); // declared float, given 3
    assert.equal(h.bt_header_input_obj_s, 'IiI=');
    assert.equal(h.bt_header_input_obj_b, 'ZmFsc2U=');
    assert.equal(h.bt_header_input_obj_l, 'W10=');
    assert.equal(h.bt_header_input_obj_d, 'e30=');
    assert.equal(h.bt_header_input_obj_m, 'e30=');
    assert.equal(h.bt_header_input_obj_a, 'W10='); // Any: from the value
    assert.equal(h.header_size, String(pyHeadersSizeof(5, 4, 8)));
    assert.equal(h.computed_body_hash, bodyHash(s));
  });
  it('parses back to the same terminals', () => {
    const s = typed();
    const p = parseHeaders(toHeaders(s));
    assert.deepEqual(p.axon, s.axon);
    assert.deepEqual(p.dendrite, s.dendrite);
    assert.equal(p.timeout, 2.5);
    assert.equal(p.name, 'Typed');
    assert.deepEqual(p.inputs.l, []);
    assert.equal(p.inputs.f, 0);
  });
});

describe('pyHeadersSizeof (CPython 3.11 sys.getsizeof of the headers dict)', () => {
  const known: [number, number, number, number][] = [
    [0, 0, 0, 184],
    [3, 6, 1, 464],
    [3, 6, 6, 464],
    [10, 10, 0, 832],
    [10, 10, 25, 1584],
    [0, 10, 39, 1584],
    [10, 0, 30, 832],
  ];
  for (const [a, d, i, size] of known) {
    it(`${a} axon, ${d} dendrite, ${i} input headers → ${size}`, () => {
      assert.equal(pyHeadersSizeof(a, d, i), size);
    });
  }
});

describe('parseHeaders on hostile input', () => {
  it('is case-insensitive and accepts Headers, records and pairs', () => {
    const web = new Headers({ BT_HEADER_DENDRITE_NONCE: '5', Timeout: '1.5' });
    assert.equal(parseHeaders(web).dendrite.nonce, 5n);
    assert.equal(parseHeaders({ BT_HEADER_DENDRITE_PORT: '7' }).dendrite.port, 7);
    assert.equal(parseHeaders([['Timeout', '3']]).timeout, 3);
  });
  it('ignores unknown headers and unknown terminal fields', () => {
    const p = parseHeaders({ 'x-other': 'y', bt_header_axon_bogus: 'z', bt_header_dendrite_: 'q' });
    assert.deepEqual(p.axon, parseHeaders({}).axon);
  });
  it('accepts what Python int() and float() accept', () => {
    const p = parseHeaders({ bt_header_dendrite_nonce: ' +12 ', timeout: ' 1e1 ' });
    assert.equal(p.dendrite.nonce, 12n);
    assert.equal(p.timeout, 10);
    assert.equal(parseHeaders({ timeout: 'inf' }).timeout, Number.POSITIVE_INFINITY);
  });
  it('rejects malformed numbers with SynapseParseError', () => {
    const bad: Record<string, string>[] = [
      { bt_header_dendrite_nonce: 'abc' },
      { bt_header_dendrite_nonce: '1.5' },
      { bt_header_dendrite_nonce: '0x10' },
      { bt_header_dendrite_nonce: '' },
      { bt_header_axon_port: '9'.repeat(30) },
      { bt_header_dendrite_version: '1e3' },
      { bt_header_axon_process_time: 'fast' },
      { timeout: '12s' },
      { total_size: '-1' },
      { header_size: 'x' },
    ];
    for (const h of bad) {
      assert.throws(
        () => parseHeaders(h),
        (e: unknown) => e instanceof SynapseParseError && e.code === 'SYNAPSE_HEADER_INVALID',
        JSON.stringify(h),
      );
    }
  });
  it('skips undecodable input_obj headers, as Python logs and continues', () => {
    const p = parseHeaders({
      bt_header_input_obj_a: '!!!not base64!!!',
      bt_header_input_obj_b: Buffer.from('{not json').toString('base64'),
      bt_header_input_obj_c: 'A'.repeat(10_000),
      bt_header_input_obj___proto__: 'e30=',
      bt_header_input_obj_d: 'MA==',
    });
    assert.deepEqual(Object.keys(p.inputs), ['d']);
    assert.equal(Object.getPrototypeOf(p.inputs), Object.prototype);
  });
  it('rejects non-objects', () => {
    assert.throws(() => parseHeaders(null as never), TypeError);
    assert.throws(() => parseHeaders('x' as never), TypeError);
  });
});

describe('sanitizeStatusHeaders', () => {
  it('replaces forbidden characters in status messages only, cutting to a bound if given', () => {
    const h = {
      bt_header_axon_status_message: 'a\nb\u0000c\u00e9',
      bt_header_dendrite_status_message: 'fine',
      name: 'x\ny',
    };
    assert.equal(sanitizeStatusHeaders(h), h);
    assert.deepEqual(h, {
      bt_header_axon_status_message: 'a?b?c\u00e9',
      bt_header_dendrite_status_message: 'fine',
      name: 'x\ny',
    });
    const long = { bt_header_dendrite_status_message: 'z'.repeat(50) };
    assert.equal(
      sanitizeStatusHeaders({ ...long }).bt_header_dendrite_status_message,
      long.bt_header_dendrite_status_message,
    );
    assert.equal(
      sanitizeStatusHeaders({ ...long }, 10).bt_header_dendrite_status_message,
      'zzzzzzz...',
    );
  });
});
