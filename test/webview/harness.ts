// Runs the report webview (and the model viewer) on its own in Chromium: bundles the webview
// scripts with esbuild, serves each on 127.0.0.1 inside the exact HTML shell the extension uses
// (same CSP, same nonce scheme) plus a stylesheet defining the --vscode-* theme variables, and
// stubs acquireVsCodeApi so the test can read what the webview posts and saves.
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, Browser, Page } from 'playwright-core';
import { makeNonce, reportHtml } from '../../src/extension/reportHtml';
import { viewerHtml } from '../../src/extension/viewerHtml';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '..', '..');

/** A served report page factory and the browser behind it. */
export interface ReportHarness {
  readonly browser: Browser;
  readonly origin: string;
  /** Opens the report page in a fresh page: `theme` is the body class, `state` what getState returns. */
  open(theme?: Theme, state?: unknown, which?: 'report' | 'viewer'): Promise<Page>;
  close(): Promise<void>;
}

export type Theme = 'vscode-dark' | 'vscode-light' | 'vscode-high-contrast';

/** What the stubbed VS Code API recorded in the page. */
export interface Recorded {
  posted: Array<Record<string, unknown>>;
  state: unknown;
  cspViolations: string[];
  pwned: unknown;
}

async function bundle(entry: string): Promise<string> {
  const out = await build({ entryPoints: [path.join(ROOT, entry)], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
  return out.outputFiles[0].text;
}

/** Starts the server and Chromium. */
export async function startHarness(): Promise<ReportHarness> {
  const files: Record<string, { body: string; type: string }> = {
    '/report.js': { body: await bundle('src/webview/report.ts'), type: 'text/javascript' },
    '/viewer.js': { body: await bundle('src/webview/viewer.ts'), type: 'text/javascript' },
    '/theme.css': { body: fs.readFileSync(path.join(ROOT, 'test/webview/theme.css'), 'utf8'), type: 'text/css' },
    '/viewer.css': { body: fs.readFileSync(path.join(ROOT, 'media/viewer.css'), 'utf8'), type: 'text/css' },
    '/report.css': { body: fs.readFileSync(path.join(ROOT, 'media/report.css'), 'utf8'), type: 'text/css' },
  };
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (url === '/') {
      const html = reportHtml({ cspSource: origin, nonce: makeNonce(), scriptUri: `${origin}/report.js`, styleUris: [`${origin}/theme.css`, `${origin}/viewer.css`, `${origin}/report.css`] });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    if (url === '/viewer') {
      const html = viewerHtml({ cspSource: origin, nonce: makeNonce(), scriptUri: `${origin}/viewer.js`, styleUri: `${origin}/viewer.css` })
        .replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/theme.css">\n<link rel="stylesheet"`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    const f = files[url];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': `${f.type}; charset=utf-8` }).end(f.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    browser,
    origin,
    async open(theme: Theme = 'vscode-dark', state?: unknown, which: 'report' | 'viewer' = 'report') {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      await page.addInitScript((saved) => {
        const w = window as unknown as Record<string, unknown>;
        const posted: unknown[] = [];
        const violations: string[] = [];
        let st: unknown = saved ?? undefined;
        w.__posted = posted;
        w.__violations = violations;
        document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
        w.acquireVsCodeApi = () => ({
          postMessage: (m: unknown) => posted.push(JSON.parse(JSON.stringify(m))),
          getState: () => st,
          setState: (s: unknown) => {
            st = JSON.parse(JSON.stringify(s));
            w.__state = st;
          },
        });
      }, state === undefined ? null : state);
      await page.goto(which === 'report' ? `${origin}/` : `${origin}/viewer`);
      await page.evaluate((cls) => {
        document.body.className = cls;
      }, theme);
      return page;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Posts a host message to the page, as VS Code delivers one. */
export async function hostPost(page: Page, message: unknown): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message as Record<string, unknown>);
}

/** What the page's stubbed API recorded so far. */
export async function recorded(page: Page): Promise<Recorded> {
  return page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return { posted: w.__posted as Array<Record<string, unknown>>, state: w.__state, cspViolations: w.__violations as string[], pwned: w.__pwned };
  });
}

/** Loads a recorded report from test/fixtures/reports. */
export function fixtureReport(name: string): Record<string, unknown> & { layers: Array<Record<string, unknown>> } {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/reports', name), 'utf8'));
}

/** Where screenshots go. */
export const SHOTS = path.join(ROOT, 'test-output', 'webview');
