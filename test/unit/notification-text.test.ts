// notificationText: untrusted text shown in VS Code notifications keeps its letters but can never
// form the `[label](command:…)` links that notifications turn into live commands.
import * as assert from 'node:assert/strict';
import { notificationText } from '../../src/extension/plainText';

/** VS Code's pattern for links in notification messages (workbench/common/notifications, 1.100). */
const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

describe('notificationText', () => {
  it('breaks every Markdown link while keeping the visible letters', () => {
    for (const s of ['input "x[run](command:workbench.action.quit)"', '[a](https://evil.example) [b] (file:///etc/passwd)', '[[x]](command:a)(command:b)']) {
      const out = notificationText(s);
      assert.equal(out.match(LINK), null, out);
      assert.equal(out.replace(/\u200b/g, ''), s);
    }
  });

  it('leaves text without links as it is, and flattens control characters', () => {
    assert.equal(notificationText('ReLU Doctor: model.onnx: 3 of 8 dead (2 proven)'), 'ReLU Doctor: model.onnx: 3 of 8 dead (2 proven)');
    assert.equal(notificationText('a\nb\u2028c'), 'a b c');
  });
});
