// Known answers from shared/vectors/sdk/ss58_and_derivation.json (copied here).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fromHex, ss58Decode, ss58Encode, toHex } from '../../src/index.js';

type Entry = { public_key: string; ss58: string };
const file = JSON.parse(
  readFileSync(new URL('./ss58_and_derivation.json', import.meta.url), 'utf8'),
) as { mnemonics: (Entry & { mnemonic: string })[]; derivations: (Entry & { uri: string })[] };

describe('ss58 vectors', () => {
  const entries = [
    ...file.mnemonics.map((m) => ({ label: m.mnemonic, ...m })),
    ...file.derivations.map((d) => ({ label: d.uri, ...d })),
  ];

  test('the file has the expected entries', () => {
    assert.equal(file.mnemonics.length, 4);
    assert.equal(file.derivations.length, 8);
    assert.ok(file.derivations.some((d) => d.uri === '//Alice'));
  });

  for (const e of entries) {
    test(`encode and decode ${e.label}`, () => {
      assert.equal(ss58Encode(fromHex(e.public_key)), e.ss58);
      const r = ss58Decode(e.ss58);
      assert.ok(r.valid);
      assert.equal(toHex(r.publicKey), e.public_key);
      assert.equal(r.prefix, 42);
    });
  }
});
