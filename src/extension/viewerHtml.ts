// The model viewer's HTML shell, as a pure function of the webview's CSP source, a nonce and the
// asset URIs. It holds no model data: everything model-related arrives later by postMessage.
import { randomBytes } from 'node:crypto';

/** What the shell needs from the webview. */
export interface ViewerAssets {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** A fresh random nonce (see makeNonce). */
  readonly nonce: string;
  /** Webview URI of dist/webview/viewer.js. */
  readonly scriptUri: string;
  /** Webview URI of media/viewer.css. */
  readonly styleUri: string;
}

/** A 128-bit crypto-random nonce, base64. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The Content-Security-Policy: nothing by default, our styles, our nonce'd script, our images. */
export function viewerCsp(cspSource: string, nonce: string): string {
  return `default-src 'none'; style-src ${cspSource}; script-src 'nonce-${nonce}'; img-src ${cspSource} data:;`;
}

const ATTR_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };

/** Escapes a string for a double-quoted HTML attribute. */
export function escapeAttr(s: string): string {
  return s.replace(/[&"<>]/g, (c) => ATTR_ESCAPES[c]);
}

/** The viewer document. The body is an empty mount point the script fills in. */
export function viewerHtml(a: ViewerAssets): string {
  const nonce = escapeAttr(a.nonce);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttr(viewerCsp(a.cspSource, a.nonce))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    `<link rel="stylesheet" href="${escapeAttr(a.styleUri)}">`,
    '<title>ReLU Doctor</title>',
    '</head>',
    '<body>',
    '<main id="app" data-testid="viewer"></main>',
    `<script nonce="${nonce}" src="${escapeAttr(a.scriptUri)}"></script>`,
    '</body>',
    '</html>',
  ].join('\n');
}
