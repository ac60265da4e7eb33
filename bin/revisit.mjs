#!/usr/bin/env node
// The revisit command. Runs the TypeScript sources through tsx; needs Node 22 (npm scripts and npx
// put the project's node@22 first on PATH).
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(
    `revisit needs Node.js 22 or newer (this is ${process.version}). Run it through npx or npm scripts, which use the project's node@22.`,
  );
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
await import('../cli/revisit.ts');
