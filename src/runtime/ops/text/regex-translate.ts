// Translates an RE2 pattern (RegexFullMatch's syntax) into an equivalent JavaScript RegExp source
// for the 'u' flag, or refuses it. Refused: features whose meaning differs or that JS lacks
// (flags, lookaround, backreferences, \p classes, \Q…\E, POSIX classes, octal escapes), and
// patterns that could backtrack catastrophically in JS (RE2 is linear-time, JS is not): a
// repeated group that contains a quantifier or an alternation, or more than two unbounded
// quantifiers. The pattern text is only ever compiled as a RegExp, never evaluated otherwise.

/** The JS source, or the reason the pattern is refused. */
export type Translation = { readonly ok: true; readonly source: string } | { readonly ok: false; readonly reason: string };

const HEX = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
const SPACE = '\\t\\n\\f\\r ';

interface Frame { quant: boolean; alt: boolean }

/** Translates `re2` (see the file comment). */
export function translateRe2(re2: string): Translation {
  const out: string[] = [];
  const frames: Frame[] = [{ quant: false, alt: false }];
  let lastGroup: Frame | undefined; // the group just closed, if the last atom was one
  let unbounded = 0;
  let i = 0;
  const n = re2.length;
  const fail = (reason: string): Translation => ({ ok: false, reason });
  while (i < n) {
    const c = re2[i];
    if (c === '[') {
      const r = translateClass(re2, i);
      if (!r.ok) return fail(r.reason);
      out.push(r.source);
      i = r.end;
      lastGroup = undefined;
      continue;
    }
    if (c === '\\') {
      const r = translateEscape(re2, i, false);
      if (!r.ok) return fail(r.reason);
      out.push(r.source);
      i = r.end;
      lastGroup = undefined;
      continue;
    }
    if (c === '(') {
      if (re2[i + 1] === '?') {
        if (re2[i + 2] === ':') { out.push('(?:'); i += 3; } else if (re2.startsWith('?P<', i + 1)) { out.push('(?<'); i += 4; } else if (re2[i + 2] === '<' && re2[i + 3] !== '=' && re2[i + 3] !== '!') { out.push('(?<'); i += 3; } else return fail('flags and lookaround groups "(?…" are not supported');
      } else { out.push('('); i++; }
      frames.push({ quant: false, alt: false });
      lastGroup = undefined;
      continue;
    }
    if (c === ')') {
      if (frames.length < 2) return fail('unbalanced ")"');
      lastGroup = frames.pop();
      out.push(')');
      i++;
      continue;
    }
    if (c === '|') { frames[frames.length - 1].alt = true; out.push('|'); i++; lastGroup = undefined; continue; }
    const q = quantifier(re2, i);
    if (q) {
      const repeats = q.max === undefined || q.max > 1;
      if (lastGroup && repeats && (lastGroup.quant || lastGroup.alt)) {
        return fail('a repeated group containing a quantifier or "|" could backtrack catastrophically');
      }
      if (q.max === undefined || q.max - q.min > 100) unbounded++;
      if (unbounded > 2) return fail('more than two unbounded quantifiers could backtrack catastrophically');
      frames[frames.length - 1].quant = true;
      out.push(q.source);
      i = q.end;
      if (re2[i] === '?') { out.push('?'); i++; }
      if (quantifier(re2, i)) return fail('a quantifier cannot follow a quantifier');
      continue;
    }
    lastGroup = undefined;
    if (c === '.') out.push('[^\\n]');
    else if (c === '{' || c === '}' || c === ']') out.push(HEX(c));
    else out.push(c);
    i++;
  }
  if (frames.length !== 1) return fail('unbalanced "("');
  return { ok: true, source: out.join('') };
}

function quantifier(s: string, i: number): { source: string; min: number; max: number | undefined; end: number } | undefined {
  const c = s[i];
  if (c === '*') return { source: '*', min: 0, max: undefined, end: i + 1 };
  if (c === '+') return { source: '+', min: 1, max: undefined, end: i + 1 };
  if (c === '?') return { source: '?', min: 0, max: 1, end: i + 1 };
  if (c !== '{') return undefined;
  const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(s.slice(i));
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? undefined : Number(m[3]);
  if (min > 1000 || (max !== undefined && (max > 1000 || max < min))) return undefined;
  return { source: m[0], min, max, end: i + m[0].length };
}

type Piece = { ok: true; source: string; end: number } | { ok: false; reason: string };

/** One escape at s[i] === '\\', inside a class or not. */
function translateEscape(s: string, i: number, inClass: boolean): Piece {
  const e = s[i + 1];
  if (e === undefined) return { ok: false, reason: 'trailing "\\"' };
  const end = i + 2;
  switch (e) {
    case 'd': case 'D': case 'w': case 'W': case 't': case 'n': case 'r': case 'f':
      return { ok: true, source: `\\${e}`, end };
    case 'b': case 'B':
      return inClass ? { ok: false, reason: '"\\b" inside a class is not supported' } : { ok: true, source: `\\${e}`, end };
    case 's': return { ok: true, source: inClass ? SPACE : `[${SPACE}]`, end };
    case 'S': return inClass ? { ok: false, reason: '"\\S" inside a class is not supported' } : { ok: true, source: `[^${SPACE}]`, end };
    case 'v': return { ok: true, source: '\\x0b', end };
    case 'a': return { ok: true, source: '\\x07', end };
    case 'A': return inClass ? { ok: false, reason: '"\\A" inside a class' } : { ok: true, source: '^', end };
    case 'z': return inClass ? { ok: false, reason: '"\\z" inside a class' } : { ok: true, source: '$', end };
    case 'x': {
      const m = /^\\x(?:([0-9A-Fa-f]{2})|\{([0-9A-Fa-f]{1,6})\})/.exec(s.slice(i));
      if (!m) return { ok: false, reason: 'malformed "\\x" escape' };
      const cp = parseInt(m[1] ?? m[2], 16);
      if (cp > 0x10ffff) return { ok: false, reason: 'code point out of range' };
      return { ok: true, source: `\\u{${cp.toString(16)}}`, end: i + m[0].length };
    }
    default:
      if (/[!-/:-@[-`{-~]/.test(e)) return { ok: true, source: HEX(e), end };
      return { ok: false, reason: `the escape "\\${e}" is not supported` };
  }
}

/** A character class starting at s[i] === '['. */
function translateClass(s: string, i: number): Piece {
  const out: string[] = ['['];
  let j = i + 1;
  if (s[j] === '^') { out.push('^'); j++; }
  if (s[j] === ']') { out.push('\\x5d'); j++; }
  while (j < s.length && s[j] !== ']') {
    const c = s[j];
    if (c === '[') {
      if (s[j + 1] === ':') return { ok: false, reason: 'POSIX classes "[:…:]" are not supported' };
      out.push('\\x5b');
      j++;
    } else if (c === '\\') {
      const r = translateEscape(s, j, true);
      if (!r.ok) return r;
      out.push(r.source);
      j = r.end;
    } else {
      out.push(c);
      j++;
    }
  }
  if (j >= s.length) return { ok: false, reason: 'unterminated "["' };
  out.push(']');
  return { ok: true, source: out.join(''), end: j + 1 };
}
