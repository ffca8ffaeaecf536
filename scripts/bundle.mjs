// Bundles the CLI and its worker threads with esbuild into dist/bundle/: one file per thread
// instead of some 400 modules to resolve and compile at every start (issue #19, "No waste").
// The bundle keeps the layout the code expects next to it: the pool's and the dataflow pass's
// workers are found as ./worker.js and ./project-worker.js, the CWE catalog as ./*.generated.json,
// web-tree-sitter's own .wasm as ./tree-sitter.wasm (the version its bundled JavaScript was built
// with); the grammars' .wasm and the libraries loaded on demand are resolved from node_modules, and
// the prompts from dist/prompts/ (copy-assets.mjs). Run by `npm run build`, after tsc.
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bundle');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: {
    secreview: 'bin/secreview.ts',
    worker: 'src/engine/worker.ts',
    'project-worker': 'src/engine/project-worker.ts',
  },
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Piscina starts its own worker script from its folder, which must stay a real package.
  external: ['piscina'],
  // jsonc-parser's main entry is a UMD module whose requires esbuild cannot follow: bundle its ES
  // module build instead.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  // The bundled CommonJS packages require Node's built-in modules, and write-file-atomic names its
  // temporary files after its own __filename.
  banner: {
    js: [
      "import { createRequire as __bundleRequire } from 'node:module';",
      "import { fileURLToPath as __bundlePath } from 'node:url';",
      'const require = __bundleRequire(import.meta.url);',
      'const __filename = __bundlePath(import.meta.url);',
    ].join(' '),
  },
  logLevel: 'warning',
});

const require = createRequire(import.meta.url);
cpSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join(out, 'tree-sitter.wasm'));
for (const f of readdirSync(join(root, 'src', 'cwe')))
  if (f.endsWith('.generated.json')) cpSync(join(root, 'src', 'cwe', f), join(out, f));
