// The report panel's HTML shell, as a pure function of the webview's CSP source, a nonce and the
// asset URIs (unit-tested). It holds no report data: the report arrives by postMessage.
import { escapeAttr } from './viewerHtml';

export { makeNonce } from './viewerHtml';

/** What the shell needs from the webview. */
export interface ReportAssets {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** A fresh crypto-random nonce (makeNonce). */
  readonly nonce: string;
  /** Webview URI of dist/webview/report.js. */
  readonly scriptUri: string;
  /** Webview URIs of the stylesheets: media/viewer.css (the shared base), then media/report.css. */
  readonly styleUris: readonly string[];
}

/** The Content-Security-Policy: nothing by default, our stylesheets, our nonce'd script, no network. */
export function reportCsp(cspSource: string, nonce: string): string {
  return `default-src 'none'; style-src ${cspSource}; script-src 'nonce-${nonce}'; img-src ${cspSource} data:; font-src ${cspSource};`;
}

/** The report document: an empty mount point the script fills in. */
export function reportHtml(a: ReportAssets): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttr(reportCsp(a.cspSource, a.nonce))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    ...a.styleUris.map((u) => `<link rel="stylesheet" href="${escapeAttr(u)}">`),
    '<title>ReLU Doctor report</title>',
    '</head>',
    '<body>',
    '<main id="app" data-testid="report"></main>',
    `<script nonce="${escapeAttr(a.nonce)}" src="${escapeAttr(a.scriptUri)}"></script>`,
    '</body>',
    '</html>',
  ].join('\n');
}
