import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIp, parseIp } from './ip.js';

describe('axon IP addresses', () => {
  it('parses and formats IPv4', () => {
    assert.deepEqual(parseIp('1.2.3.4'), { ip: 16_909_060n, ipType: 4 });
    assert.deepEqual(parseIp('255.255.255.255'), { ip: 4_294_967_295n, ipType: 4 });
    assert.equal(formatIp(16_909_060n, 4), '1.2.3.4');
    assert.equal(formatIp(0n, 4), '0.0.0.0');
  });
  it('parses and formats IPv6 (RFC 5952)', () => {
    const cases: [string, string][] = [
      ['::1', '::1'],
      ['2001:db8::1', '2001:db8::1'],
      ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
      ['[fe80::1:2]', 'fe80::1:2'],
      ['::ffff:1.2.3.4', '::ffff:102:304'],
      ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
      ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
      ['::', '::'],
    ];
    for (const [input, out] of cases) {
      const p = parseIp(input);
      assert.equal(p.ipType, 6, input);
      assert.equal(formatIp(p.ip, 6), out, input);
    }
    assert.equal(parseIp('2001:db8::1').ip, (0x2001n << 112n) | (0xdb8n << 96n) | 1n);
  });
  it('rejects malformed addresses', () => {
    for (const bad of [
      '1.2.3',
      '1.2.3.256',
      '01.2.3.4',
      '1.2.3.4.5',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      ':::',
      'localhost',
      '',
      'g::1',
      '1:2:3:4:5:6:7::8',
    ])
      assert.throws(() => parseIp(bad), RangeError, bad);
    assert.throws(() => parseIp(1234), TypeError);
    assert.throws(() => formatIp(-1n, 4), RangeError);
    assert.throws(() => formatIp(1n << 128n, 6), RangeError);
  });
});
