import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { keypairFromUri } from '@taoscript/crypto';
import { ChainSpecError, devSubnets, MAX_GENESIS_SUBNETS, readChainSpec } from './chain-spec.js';

const dir = mkdtempSync(join(tmpdir(), 'tao-spec-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('chain spec and --dev-subnets', () => {
  it('--dev-subnets n gives n Alice-owned subnets with distinct hotkeys', () => {
    const { subnets } = devSubnets(3);
    assert.equal(subnets.length, 3);
    const alice = keypairFromUri('//Alice').publicKey;
    for (const s of subnets) assert.deepEqual(s.coldkey, alice);
    assert.deepEqual(subnets[1]?.hotkey, keypairFromUri('//Alice//subnet2').publicKey);
    assert.equal(devSubnets(0).subnets.length, 0);
    assert.throws(() => devSubnets(MAX_GENESIS_SUBNETS + 1), ChainSpecError);
    assert.throws(() => devSubnets(-1), ChainSpecError);
  });

  it('reads owners and hotkeys as URIs or SS58 addresses, with tempo', () => {
    const bob = keypairFromUri('//Bob');
    const p = file(
      'ok.json',
      JSON.stringify({ subnets: [{ owner: '//Alice', hotkey: bob.address(), tempo: 100 }] }),
    );
    const spec = readChainSpec(p);
    assert.deepEqual(spec.subnets[0]?.hotkey, bob.publicKey);
    assert.equal(spec.subnets[0]?.tempo, 100);
  });

  it('reads the emission-share rule and refuses an unknown one', () => {
    const flow = readChainSpec(
      file('flow.json', JSON.stringify({ subnets: [], emissionShares: 'flow' })),
    );
    assert.equal(flow.emissionShares, 'flow');
    assert.equal(readChainSpec(file('none.json', '{"subnets": []}')).emissionShares, undefined);
    assert.throws(
      () => readChainSpec(file('bad-rule.json', '{"subnets": [], "emissionShares": "tao"}')),
      (e: unknown) => e instanceof ChainSpecError && /emissionShares/.test((e as Error).message),
    );
  });

  it('refuses missing, oversized, non-JSON and malformed files with one clear line', () => {
    const cases: [string, RegExp][] = [
      [join(dir, 'nope.json'), /cannot read .*ENOENT/],
      [file('big.json', Buffer.alloc(1024 * 1024 + 1, 32)), /at most/],
      [file('bad.json', '{"subnets": ['), /not JSON/],
      [
        file('extra.json', JSON.stringify({ subnets: [], evil: 1 })),
        /Unrecognized key|unrecognized/i,
      ],
      [
        file(
          'tempo.json',
          JSON.stringify({ subnets: [{ owner: '//Alice', hotkey: '//Bob', tempo: 0 }] }),
        ),
        /subnets\.0\.tempo/,
      ],
      [
        file('acct.json', JSON.stringify({ subnets: [{ owner: 'nobody', hotkey: '//Bob' }] })),
        /neither an SS58 address/,
      ],
      [
        file(
          'many.json',
          JSON.stringify({
            subnets: Array.from({ length: 9 }, () => ({ owner: '//Alice', hotkey: '//Bob' })),
          }),
        ),
        /subnets/,
      ],
      [file('type.json', JSON.stringify([1, 2])), /\(root\)/],
    ];
    for (const [p, re] of cases) {
      assert.throws(
        () => readChainSpec(p),
        (e: unknown) =>
          e instanceof ChainSpecError &&
          re.test((e as Error).message) &&
          !(e as Error).message.includes('\n'),
        p,
      );
    }
  });
});
