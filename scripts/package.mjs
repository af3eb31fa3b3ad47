// `npm run package`: a production build (minified, no sourcemaps), then `vsce package` offline
// (--no-dependencies: every runtime dependency is bundled into dist/), giving relu-doctor-<version>.vsix.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const out = `${pkg.name}-${pkg.version}.vsix`;

// Stale sourcemaps from dev builds must not linger next to the fresh bundles.
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { stdio: 'inherit' });

const require = createRequire(import.meta.url);
const vsce = require('@vscode/vsce');
await vsce.createVSIX({ packagePath: out, dependencies: false, allowMissingRepository: true });
console.log(`${out}: ${(statSync(out).size / 1024).toFixed(1)} KiB`);
