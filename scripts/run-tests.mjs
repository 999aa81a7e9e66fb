// Runs every *.test.ts under packages/ with node:test through tsx.
// Node 20's runner neither expands globs nor discovers .ts files, so we list them here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv.slice(2);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const files = [...walk(join(root, 'packages'), []), ...walk(join(root, 'subnets'), [])].filter(
  (f) => filter.length === 0 || filter.some((x) => f.includes(x)),
);
files.sort();
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FC_SEED: process.env.FC_SEED ?? '20261127' },
  },
);
process.exit(result.status ?? 1);
