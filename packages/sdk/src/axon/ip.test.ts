import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipToInt, ipVersion } from './ip.js';

describe('ipToInt / ipVersion (values from Python ipaddress / netaddr)', () => {
  const cases: [string, bigint, 4 | 6][] = [
    ['1.2.3.4', 16909060n, 4],
    ['0.0.0.0', 0n, 4],
    ['255.255.255.255', 4294967295n, 4],
    ['::1', 1n, 6],
    ['::', 0n, 6],
    ['2001:db8::1', 42540766411282592856903984951653826561n, 6],
    ['::ffff:1.2.3.4', 281470698652420n, 6],
    ['1:2:3:4:5:6:7:8', 5192455318486707404433266433261576n, 6],
    ['fe80::1:2', 338288524927261089654018896841347760130n, 6],
    ['1::', 5192296858534827628530496329220096n, 6],
    ['64:ff9b::192.0.2.33', 524413980667603649783483184533471777n, 6],
  ];
  for (const [ip, n, v] of cases) {
    it(`${ip} → ${n}`, () => {
      assert.equal(ipToInt(ip), n);
      assert.equal(ipVersion(ip), v);
    });
  }
  it('rejects what is not an IP address', () => {
    for (const bad of [
      '',
      'x',
      '1.2.3',
      '256.1.1.1',
      '1.2.3.4.5',
      ':::',
      'localhost',
      '1:2:3:4:5:6:7:8:9',
    ]) {
      assert.throws(() => ipToInt(bad), RangeError, bad);
    }
    assert.throws(() => ipVersion(1 as never), TypeError);
  });
});
