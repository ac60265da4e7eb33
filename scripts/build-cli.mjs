#!/usr/bin/env node
// Builds the revisit CLI once into dist/cli/: one ESM bundle per entry, split into chunks so that every
// command's `await import(...)` stays lazy (`revisit --help` loads commander and the command list only).
// Packages stay external: node_modules is there at run time. `--check` builds in memory and fails when
// dist/cli/ differs from what the sources build to (CI runs it after npm ci).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outdir = join(root, 'dist', 'cli');
const check = process.argv.includes('--check');

/**
 * infra/workflow-files.ts finds the ASL files next to itself (`../workflows/`); bundled, it runs from
 * dist/cli/, one folder deeper.
 */
const workflowsFromDist = {
  name: 'workflows-from-dist',
  setup(b) {
    b.onLoad({ filter: /infra[\\/]workflow-files\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('`../workflows/', '`../../workflows/'),
      loader: 'ts',
    }));
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: { revisit: 'cli/revisit.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  chunkNames: '[name]-[hash]',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [workflowsFromDist],
  write: !check,
  metafile: true,
});

if (check) {
  const built = new Map(result.outputFiles.map((f) => [relative(outdir, f.path), f.text]));
  const onDisk = (() => {
    try {
      return readdirSync(outdir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => relative(outdir, join(e.parentPath, e.name)));
    } catch {
      return [];
    }
  })();
  const stale = [
    ...[...built]
      .filter(([file, text]) => !onDisk.includes(file) || readFileSync(join(outdir, file), 'utf8') !== text)
      .map(([f]) => f),
    ...onDisk.filter((file) => !built.has(file)),
  ];
  if (stale.length > 0) {
    console.error(`dist/cli is not built from the current sources (${stale.length} files differ): run npm run build`);
    for (const file of stale.slice(0, 10)) console.error(`  ${file}`);
    process.exit(1);
  }
  console.log(`dist/cli is current (${built.size} files)`);
} else {
  // Chunks of an earlier build would pile up (their names carry a hash): keep only this build's files.
  const keep = new Set(Object.keys(result.metafile?.outputs ?? {}).map((f) => join(root, f)));
  for (const e of readdirSync(outdir, { recursive: true, withFileTypes: true })) {
    const file = join(e.parentPath, e.name);
    if (e.isFile() && !keep.has(file)) rmSync(file);
  }
}
