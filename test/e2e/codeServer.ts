// code-server, the real VS Code the end-to-end tests drive: installing it (through
// scripts/e2e/setup-code-server.sh), quiet offline profiles, starting it on a free loopback port,
// and packaging/installing the extension as a user would.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { OUTPUT, poll, REPO, sleep, trackChild } from './lifecycle';

/**
 * Runs scripts/e2e/setup-code-server.sh (a no-op when its cache is warm) and returns the install
 * folder it prints. Bounded to 6 minutes (a cold install takes about 40 s).
 */
export function setupCodeServer(): string {
  const script = path.join(REPO, 'scripts', 'e2e', 'setup-code-server.sh');
  const r = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 6 * 60_000, killSignal: 'SIGKILL' });
  if (r.status !== 0) throw new Error(`e2e: ${script} failed (${r.error?.message ?? `exit ${r.status}`})`);
  const dir = r.stdout.trim().split('\n').pop() ?? '';
  if (!fs.existsSync(path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'))) {
    throw new Error(`e2e: setup-code-server.sh printed "${dir}", which holds no code-server`);
  }
  return dir;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** User settings that keep the workbench quiet, offline and deterministic. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'files.hotExit': 'off',
  'window.restoreWindows': 'none',
};

/** A URI as the workbench's configuration takes it (UriComponents). */
export interface RemoteUri {
  scheme: 'vscode-remote';
  authority: string;
  path: string;
}

/** One running code-server. */
export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly installDir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** Everything code-server printed so far. */
  output(): string;
  /** The `vscode-remote://127.0.0.1:PORT/abs/path` URI of a path on this machine, as UriComponents. */
  remoteUri(absPath: string): RemoteUri;
  /** The workbench URL that opens `folder`. */
  folderUrl(folder: string): string;
  stop(): Promise<void>;
}

function entry(installDir: string): string {
  return path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** The environment code-server runs in: no extension gallery, so it never tries the network. */
function serverEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra, EXTENSIONS_GALLERY: '{}' };
}

/** Installs a .vsix into `extensionsDir` with code-server's CLI (bounded to 2 minutes). */
export function installExtension(installDir: string, userDataDir: string, extensionsDir: string, vsix: string): void {
  const args = [entry(installDir), '--config', '/dev/null', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: serverEnv(), timeout: 120_000, killSignal: 'SIGKILL' });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`e2e: installing ${vsix} failed (${r.error?.message ?? `exit ${r.status}`}):\n${out}`);
  }
}

/** Packages the extension in `extensionDir` with vsce (no dependencies: bundles only) into `outDir`. */
export function packageVsix(extensionDir: string, outDir: string, extraArgs: string[] = []): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8')) as { name: string; version: string };
  const out = path.join(outDir, `${pkg.name}-${pkg.version}.vsix`);
  const vsce = path.join(REPO, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', ...extraArgs, '--out', out], {
    cwd: extensionDir, encoding: 'utf8', timeout: 180_000, killSignal: 'SIGKILL', stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`vsce package failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}${r.stderr}`);
  return out;
}

/** Prepares a user-data dir with QUIET_SETTINGS plus `settings`, and an empty extensions dir. */
export function makeProfile(root: string, settings: Record<string, unknown> = {}): { userDataDir: string; extensionsDir: string } {
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  return { userDataDir, extensionsDir };
}

/** Starts code-server on a free loopback port and waits (at most 60 s) until it answers. */
export async function startCodeServer(
  installDir: string,
  profile: { userDataDir: string; extensionsDir: string },
  name = 'code-server',
  env: NodeJS.ProcessEnv = {},
): Promise<CodeServer> {
  const port = await freePort();
  const configFile = path.join(profile.userDataDir, 'code-server.yaml');
  fs.writeFileSync(configFile, '');
  const args = [
    entry(installDir),
    '--config', configFile,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
  ];
  let out = '';
  const child = spawn(process.execPath, args, { env: serverEnv(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const untrack = trackChild(child);
  const logFile = path.join(OUTPUT, `${name}.log`);
  fs.mkdirSync(OUTPUT, { recursive: true });
  const log = fs.createWriteStream(logFile);
  const collect = (b: Buffer) => {
    out += b.toString();
    log.write(b);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, sig) => reject(new Error(`code-server exited early (${sig ?? code}):\n${out}`))),
  );
  exited.catch(() => undefined);
  await Promise.race([
    exited,
    poll(async () => ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok ? true : undefined), 60_000, 'code-server start'),
  ]);
  return {
    url,
    port,
    installDir,
    ...profile,
    output: () => out,
    remoteUri: (p) => ({ scheme: 'vscode-remote', authority: `127.0.0.1:${port}`, path: path.resolve(p) }),
    folderUrl: (folder) => `${url}/?folder=${encodeURIComponent(path.resolve(folder))}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* gone */
        }
        await Promise.race([new Promise((r) => child.once('exit', r)), sleep(5_000)]);
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      untrack();
      log.end();
    },
  };
}
