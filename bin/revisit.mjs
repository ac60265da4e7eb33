#!/usr/bin/env node
// The revisit command. Runs the CLI built into dist/cli/ (npm ci and npm install build it, so does
// npm run build); without a build, the TypeScript sources through tsx. Needs Node 22 (npm scripts and npx
// put the project's node@22 first on PATH).
import { existsSync } from 'node:fs';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(
    `revisit needs Node.js 22 or newer (this is ${process.version}). Run it through npx or npm scripts, which use the project's node@22.`,
  );
  process.exit(1);
}
const built = new URL('../dist/cli/revisit.js', import.meta.url);
if (existsSync(built)) await import(built.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/revisit.ts');
}
