import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeNonce, webviewHtml } from '../../client/src/ui/webviewHtml';

describe('webview page shell', () => {
  const page = {
    cspSource: 'https://ext.vscode-cdn.net',
    scriptUri: 'https://ext/graph.js',
    styleUri: 'https://ext/graph.css',
    title: 'Graph <x> & "y"',
  };

  it('allows only its nonce-tagged script, no inline code and no eval', () => {
    const html = webviewHtml({ ...page, nonce: 'abc123' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
    assert.match(csp, /style-src https:\/\/ext\.vscode-cdn\.net(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(html, /<script nonce="abc123" src="https:\/\/ext\/graph\.js"><\/script>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script, from a file');
    assert.doesNotMatch(html, /<style|style="/, 'no inline style');
  });

  it('escapes the title and uses a fresh nonce each time', () => {
    const html = webviewHtml(page);
    assert.match(html, /<title>Graph &lt;x&gt; &amp; &quot;y&quot;<\/title>/);
    assert.notEqual(makeNonce(), makeNonce());
    assert.match(makeNonce(), /^[A-Za-z0-9_-]{24}$/);
  });
});
