// Runs every benchmark (bench/*.bench.ts and packages/**/*.bench.ts) one after another.
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
    else if (name.endsWith('.bench.ts')) out.push(relative(root, path));
  }
  return out;
}
const files = [
  ...walk(join(root, 'bench'), []),
  ...walk(join(root, 'packages'), []),
  ...walk(join(root, 'subnets'), []),
].filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
let failed = 0;
for (const file of files) {
  console.log(`\n# ${file}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
