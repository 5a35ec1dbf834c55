#!/usr/bin/env node
// Runs the built CLI in dist/ (`npm run build`, which `npm install` runs in a checkout through `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/server/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(
    `accessgraph: the command line is not built (${fileURLToPath(main)} is missing).\n` +
      `Build it with \`npm run build\` in ${root} (\`npm install\` there does it too), ` +
      'or run it from source with `npm run accessgraph -- <command>`.\n',
  );
  process.exit(1);
}
await import(main.href);
