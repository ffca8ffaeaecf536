// Copies the data files that the compiled code reads at run time next to it in dist/.
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const assets = [
  { from: 'src/cwe', match: /\.generated\.json$/ },
  { from: 'prompts', match: /\.md$/ },
];
for (const { from, match } of assets) {
  const to = join(root, 'dist', from);
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(join(root, from))) if (match.test(f)) cpSync(join(root, from, f), join(to, f));
}
