import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const ALLOWED = [
  '@taoscript/codec',
  '@scure/sr25519',
  '@noble/curves',
  '@noble/hashes',
  '@scure/bip39',
];
const dir = new URL('./', import.meta.url);
const sources = readdirSync(dir).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.bench.ts'),
);

describe('runtime sources stay pure JS and browser-safe', () => {
  it('finds the sources', () => {
    assert.ok(sources.includes('index.ts') && sources.includes('sr25519.ts'));
  });

  for (const file of sources) {
    it(file, () => {
      // Comments (JSDoc examples import '@taoscript/crypto') are not code.
      const text = readFileSync(new URL(file, dir), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      const specifiers = [...text.matchAll(/\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'/g)].map(
        (m) => m[1] ?? m[2]!,
      );
      for (const spec of specifiers) {
        const ok =
          (spec.startsWith('./') && spec.endsWith('.js')) ||
          ALLOWED.some((p) => spec === p || spec.startsWith(`${p}/`));
        assert.ok(ok, `${file} imports ${spec}`);
      }
      assert.doesNotMatch(
        text,
        /\b(Buffer|process|require)\b|node:/,
        `${file} uses a Node-only API`,
      );
    });
  }
});
