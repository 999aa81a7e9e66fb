import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** STYLE.md §1: which workspace packages each package may import. */
const ALLOWED: Record<string, string[]> = {
  codec: [],
  crypto: ['codec'],
  'chain-types': ['codec'],
  runtime: ['codec', 'crypto', 'chain-types'],
  node: ['runtime', 'codec', 'crypto', 'chain-types'],
  testkit: ['codec', 'crypto', 'chain-types', 'runtime', 'node'],
  sdk: ['codec', 'crypto', 'chain-types'],
  cli: ['sdk', 'subnet', 'runtime', 'codec', 'crypto', 'chain-types'],
  subnet: ['sdk', 'codec', 'crypto', 'chain-types'],
  '../subnets/inference': ['subnet', 'sdk', 'codec', 'crypto', 'chain-types'],
};
/** Package directory (relative to packages/) → its workspace name. */
const NAMES: Record<string, string> = { '../subnets/inference': 'subnet-inference' };
/** Things the pure runtime must never touch. */
const RUNTIME_FORBIDDEN = [
  /from 'node:/,
  /from 'ws'/,
  /from 'lmdb'/,
  /\bDate\.now\(/,
  /\bnew Date\(/,
  /Math\.random\(/,
];

const root = fileURLToPath(new URL('../../', import.meta.url));

/** packages/-relative directory of the workspace package named `name`. */
function packageDir(name: string): string {
  return Object.entries(NAMES).find(([, n]) => n === name)?.[0] ?? name;
}

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('package boundaries', () => {
  for (const [pkg, allowed] of Object.entries(ALLOWED)) {
    it(`${pkg} imports only ${allowed.join(', ') || 'no workspace package'}`, () => {
      for (const file of sources(join(root, pkg, 'src'))) {
        const isTest = /\.(test|bench)\.ts$/.test(file) || file.includes('test-fixtures');
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/from '@taoscript\/([a-z-]+)(\/[^']*)?'/g)) {
          const target = m[1] as string;
          if (target === (NAMES[pkg] ?? pkg)) continue;
          // Tests may use testkit; nothing else may.
          if (isTest && target === 'testkit') continue;
          assert.ok(
            allowed.includes(target),
            `${relative(root, file)} imports @taoscript/${target}`,
          );
          if (m[2] !== undefined) {
            // A subpath is fine only when the package declares it in its exports.
            const manifest = JSON.parse(
              readFileSync(join(root, packageDir(target), 'package.json'), 'utf8'),
            ) as { exports?: Record<string, string> };
            assert.ok(
              Object.hasOwn(manifest.exports ?? {}, `.${m[2]}`),
              `${relative(root, file)} deep-imports @taoscript/${target}${m[2]}`,
            );
          }
        }
        if (pkg === 'runtime' && !isTest)
          for (const re of RUNTIME_FORBIDDEN)
            assert.doesNotMatch(text, re, `${relative(root, file)} (pure runtime)`);
      }
    });
  }
});
