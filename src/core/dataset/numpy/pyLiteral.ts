/**
 * A parser for the small subset of Python literals that .npy headers use (a dict of strings, booleans and
 * tuples of ints). Written by hand so a header is never evaluated as code.
 */
export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

export function parsePyLiteral(text: string): PyValue {
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at character ${pos} of ${JSON.stringify(text.slice(0, 200))}`);
  };
  const skipSpace = (): void => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const expect = (ch: string): void => {
    skipSpace();
    if (text[pos] !== ch) fail(`expected '${ch}'`);
    pos++;
  };

  const parseString = (): string => {
    const quote = text[pos]!;
    pos++;
    let out = '';
    while (pos < text.length && text[pos] !== quote) {
      if (text[pos] === '\\') {
        pos++;
        const escaped = text[pos];
        if (escaped === undefined) fail('unterminated escape');
        out += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
      } else {
        out += text[pos];
      }
      pos++;
    }
    if (pos >= text.length) fail('unterminated string');
    pos++;
    return out;
  };

  // Items up to `close`, allowing a trailing comma; `(3,)` is a one-element tuple, `()` an empty one.
  const parseSequence = (close: string): PyValue[] => {
    const items: PyValue[] = [];
    skipSpace();
    while (text[pos] !== close) {
      items.push(parseValue());
      skipSpace();
      if (text[pos] === ',') pos++;
      else if (text[pos] !== close) fail(`expected ',' or '${close}'`);
      skipSpace();
    }
    pos++;
    return items;
  };

  const parseDict = (): { [key: string]: PyValue } => {
    const dict: { [key: string]: PyValue } = {};
    skipSpace();
    while (text[pos] !== '}') {
      const key = parseValue();
      if (typeof key !== 'string') fail('dictionary key is not a string');
      expect(':');
      dict[key as string] = parseValue();
      skipSpace();
      if (text[pos] === ',') pos++;
      else if (text[pos] !== '}') fail("expected ',' or '}'");
      skipSpace();
    }
    pos++;
    return dict;
  };

  function parseValue(): PyValue {
    skipSpace();
    const ch = text[pos];
    if (ch === undefined) return fail('unexpected end');
    if (ch === '{') {
      pos++;
      return parseDict();
    }
    if (ch === '(') {
      pos++;
      return parseSequence(')');
    }
    if (ch === '[') {
      pos++;
      return parseSequence(']');
    }
    if (ch === "'" || ch === '"') return parseString();
    const word = /^(True|False|None|-?\d+L?)/.exec(text.slice(pos));
    if (!word) return fail('unexpected token');
    pos += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    // Python 2 headers wrote longs as `3L`.
    return Number(word[0].replace('L', ''));
  }

  const value = parseValue();
  skipSpace();
  if (pos !== text.length) fail('trailing characters');
  return value;
}
