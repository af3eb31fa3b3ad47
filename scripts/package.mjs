// `npm run package`: a production build (minified, no sourcemaps), then `vsce package` offline
// (--no-dependencies: every runtime dependency is bundled into dist/), giving relu-doctor-<version>.vsix.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const out = `${pkg.name}-${pkg.version}.vsix`;

// dist/ is shared with dev builds and test runs, so it is overwritten, not deleted; .vscodeignore
// admits only dist/*.js and dist/webview/*.js, so dev sourcemaps never reach the .vsix.
try {
  execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { stdio: 'inherit' });
} catch {
  console.error('package: the production build failed (esbuild\'s errors are above); no .vsix was made.');
  process.exit(1);
}

const require = createRequire(import.meta.url);
const vsce = require('@vscode/vsce');
await vsce.createVSIX({ packagePath: out, dependencies: false, allowMissingRepository: true });
console.log(`${out}: ${(statSync(out).size / 1024).toFixed(1)} KiB`);
