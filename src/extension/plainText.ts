// Untrusted text (model strings, file names, errors that quote them) made safe for VS Code's
// notifications, which turn `[label](command:…)`, `[label](https://…)` and `[label](file:…)` in a
// message into live links (commands included). Pure: unit-tested without VS Code.

/** Zero-width space: invisible, and it breaks the `](` that a notification link needs. */
const BREAK = '\u200b';

/** `s` on one line with every `](` split by a zero-width space, so no part of it becomes a link. */
export function notificationText(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\]\s*\(/g, (m) => `]${BREAK}${m.slice(1)}`);
}
