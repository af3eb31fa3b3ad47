// The viewer's HTML shell: strict CSP with a nonce, only our assets, no model data.
import { strict as assert } from 'node:assert';
import { escapeAttr, makeNonce, viewerCsp, viewerHtml } from '../../src/extension/viewerHtml';

const assets = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'bm9uY2Vub25jZW5vbmNl',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/viewer.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/viewer.css',
};

describe('extension: viewer HTML', () => {
  it('builds the exact strict CSP', () => {
    assert.equal(
      viewerCsp(assets.cspSource, 'abc'),
      "default-src 'none'; style-src https://file+.vscode-resource.vscode-cdn.net; script-src 'nonce-abc'; img-src https://file+.vscode-resource.vscode-cdn.net data:;",
    );
  });

  it('puts the CSP in a meta tag and the nonce on the only script', () => {
    const html = viewerHtml(assets);
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${viewerCsp(assets.cspSource, assets.nonce)}">`));
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.deepEqual(scripts, [`<script nonce="${assets.nonce}" src="${assets.scriptUri}">`]);
    assert.match(html, /<\/script>\n<\/body>/);
  });

  it('has no inline script, inline style or event handler attributes', () => {
    const html = viewerHtml(assets);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/);
    assert.doesNotMatch(html, /<style\b/);
    assert.doesNotMatch(html, /\sstyle=/);
    assert.doesNotMatch(html, /\son[a-z]+=/i);
  });

  it('contains nothing but the fixed shell and the given assets (no model data)', () => {
    const html = viewerHtml(assets);
    const stripped = [assets.scriptUri, assets.styleUri, assets.nonce, assets.cspSource].reduce((s, a) => s.split(a).join('@'), html);
    // What remains is fixed text: the same for any assets, so no model string can be in it.
    const other = viewerHtml({ cspSource: '\u0001', nonce: '\u0002', scriptUri: '\u0003', styleUri: '\u0004' });
    const strippedOther = ['\u0003', '\u0004', '\u0002', '\u0001'].reduce((s, a) => s.split(a).join('@'), other);
    assert.equal(stripped, strippedOther);
    assert.match(html, /<main id="app" data-testid="viewer"><\/main>/);
  });

  it('escapes attribute values', () => {
    assert.equal(escapeAttr('a"b<c>&d'), 'a&quot;b&lt;c&gt;&amp;d');
    const html = viewerHtml({ ...assets, scriptUri: 'x"><script>alert(1)</script>' });
    assert.ok(!html.includes('"><script>alert'));
  });

  it('makes distinct 128-bit base64 nonces', () => {
    const a = makeNonce();
    const b = makeNonce();
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9+/]{22}==$/);
    assert.equal(Buffer.from(a, 'base64').length, 16);
  });
});
