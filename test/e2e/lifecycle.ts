// Lifecycle of the end-to-end runs: where output goes, bounded waits, the run's deadline, and the
// registry of child processes, browsers and temporary folders that cleanup() ends on exit, failure
// or signal, so that nothing a test starts can outlive it or hang CI.
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';

/** The repository root (the e2e sources are bundled to out/e2e/*.js). */
export const REPO = path.resolve(__dirname, '..', '..');
/** Where screenshots and logs go. */
export const OUTPUT = path.join(REPO, 'test-output', 'e2e');

const children = new Set<ChildProcess>();
const browsers = new Set<Browser>();
const temps = new Set<string>();
/** Set RELU_DOCTOR_E2E_KEEP=1 to keep the temporary workspaces and profiles for debugging. */
const KEEP = process.env.RELU_DOCTOR_E2E_KEEP === '1';

/** Kills every child process group this harness started and removes its temporary folders (synchronous: safe in 'exit'). */
export function killChildren(): void {
  for (const c of children) {
    if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) {
      try {
        process.kill(-c.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  children.clear();
  if (!KEEP) for (const t of temps) fs.rmSync(t, { recursive: true, force: true, maxRetries: 2 });
  temps.clear();
}

/** Closes the browsers and kills the children; bounded by `ms`. */
export async function cleanup(ms = 10_000): Promise<void> {
  const closing = [...browsers].map((b) => b.close().catch(() => undefined));
  browsers.clear();
  await Promise.race([Promise.all(closing), sleep(ms)]);
  killChildren();
}

process.on('exit', killChildren);

/**
 * Bounds the whole run: after `ms` it prints `what` timed out, cleans up and exits 1.
 * Also turns SIGINT/SIGTERM into a cleanup. Returns a function that cancels the deadline.
 */
export function installDeadline(ms: number, what: string): () => void {
  const timer = setTimeout(() => {
    console.error(`e2e: ${what} did not finish within ${Math.round(ms / 1000)} s; killing it`);
    void cleanup(5_000).finally(() => process.exit(1));
  }, ms);
  timer.unref();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      console.error(`e2e: ${sig}; cleaning up`);
      void cleanup(5_000).finally(() => process.exit(130));
    });
  }
  return () => clearTimeout(timer);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Rejects with "`what` timed out after N s" unless `p` settles within `ms`. */
export async function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `probe` every 250 ms until it returns a value other than undefined, for at most `ms`. */
export async function poll<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      const why = last instanceof Error ? ` (last error: ${last.message.split('\n')[0]})` : '';
      throw new Error(`${what} timed out after ${Math.round(ms / 1000)} s${why}`);
    }
    await sleep(250);
  }
}

/** Creates a fresh temporary folder under the OS temp dir. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `relu-doctor-e2e-${prefix}-`));
  temps.add(dir);
  return dir;
}

/** Registers a child process started in its own process group, for killChildren(). */
export function trackChild(child: ChildProcess): () => void {
  children.add(child);
  return () => children.delete(child);
}

/** Registers a browser for cleanup(). */
export function trackBrowser(browser: Browser): void {
  browsers.add(browser);
}
