/**
 * A fast reader for the plain block YAML that features and monitor files are
 * written in: block maps and lists, one-line flow lists and maps of plain
 * scalars, plain and simply quoted scalars, comments. It builds the same
 * `yaml` nodes, with the same ranges, that the `yaml` package's parser would,
 * and gives up (undefined) on anything else: anchors, tags, block scalars,
 * multi-line flow collections or scalars, repeated keys, escapes, tabs,
 * several documents. The workspace index reads hundreds of files with it
 * (the full parser reads about 1 MB/s); a file it gives up on is parsed fully.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';

class GiveUp extends Error {}

interface Line {
  readonly start: number;
  readonly indent: number;
  /** The line's text without its indentation, its comment and trailing blanks. */
  readonly content: string;
}

const KEY = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)\s*:(?:\s+|$)/;

/** The document's root, or undefined when the text leaves the subset. */
export function quickParse(text: string): Document.Parsed | undefined {
  try {
    const lines = splitLines(text);
    const reader = new Reader(lines);
    const root = lines.length === 0 ? null : reader.block(lines[0]!.indent);
    if (reader.at < lines.length) return undefined;
    const doc = new Document() as unknown as Document.Parsed;
    doc.contents = root as Document.Parsed['contents'];
    return doc;
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
}

function giveUp(): never {
  throw new GiveUp();
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end);
    if (raw.includes('\t') || raw.includes('\r')) giveUp();
    let indent = 0;
    while (raw[indent] === ' ') indent++;
    let content = stripComment(raw.slice(indent));
    content = content.trimEnd();
    if (content !== '') {
      if (indent === 0 && /^(---|\.\.\.|%)/.test(content)) giveUp();
      out.push({ start: start + indent, indent, content });
    }
    if (end === text.length) break;
    start = end + 1;
  }
  return out;
}

/** The line without a ` #` comment; quotes may not hold `#` (give up). */
function stripComment(text: string): string {
  if (text.startsWith('#')) return '';
  const hash = text.indexOf(' #');
  if (hash < 0) return text;
  if (/["']/.test(text.slice(0, hash))) giveUp();
  return text.slice(0, hash);
}

function scalar(value: unknown, start: number, end: number): Scalar {
  const node = new Scalar(value);
  node.range = [start, end, end];
  return node;
}

/** A plain or simply quoted scalar at `start` with text `raw` (trimmed), as YAML's core schema reads it. */
function readScalar(raw: string, start: number, flow: boolean): Scalar {
  const end = start + raw.length;
  const first = raw[0];
  if (first === '"' || first === "'") {
    if (raw.length < 2 || raw[raw.length - 1] !== first) giveUp();
    const inner = raw.slice(1, -1);
    if (inner.includes(first) || inner.includes('\\')) giveUp();
    const node = scalar(inner, start, end);
    node.type = first === '"' ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE;
    return node;
  }
  if (raw === '' || /^[,[\]{}#&*!|>'"%@`]/.test(raw) || /^[-?:](\s|$)/.test(raw) || raw.includes(': ') || raw.endsWith(':')) giveUp();
  if (flow && /[,[\]{}]/.test(raw)) giveUp();
  const node = scalar(resolve(raw), start, end);
  node.type = Scalar.PLAIN;
  return node;
}

function resolve(raw: string): unknown {
  // Most scalars are names: a letter that starts no null, boolean or special number.
  if (/^[A-MO-SU-Za-eg-mo-su-z_]/.test(raw)) return raw;
  if (/^(~|null|Null|NULL)$/.test(raw)) giveUp();
  if (/^(true|True|TRUE)$/.test(raw)) return true;
  if (/^(false|False|FALSE)$/.test(raw)) return false;
  if (/^[-+]?[0-9]+$/.test(raw)) return Number(raw);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(raw)) return Number(raw);
  if (/^(0o|0x|[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$)/.test(raw)) giveUp();
  return raw;
}

class Reader {
  at = 0;

  constructor(private readonly lines: readonly Line[]) {}

  /** A block map or list whose lines are at `indent`. */
  block(indent: number): Node {
    const line = this.lines[this.at];
    if (!line || line.indent !== indent) giveUp();
    return isDash(line.content) ? this.seq(indent) : this.map(indent, line.start, line.content);
  }

  /** A block map at `indent`; its first key may sit after a `- ` (then `start`/`content` are that part of the line). */
  private map(indent: number, start: number, content: string): YAMLMap {
    const map = new YAMLMap();
    const seen = new Set<string>();
    let first = true;
    for (;;) {
      const line = this.lines[this.at];
      if (!first && (!line || line.indent !== indent || isDash(line.content))) break;
      const from = first ? start : line!.start;
      const text = first ? content : line!.content;
      first = false;
      const match = KEY.exec(text);
      if (!match) giveUp();
      const name = match[1]!;
      if (seen.has(name)) giveUp();
      seen.add(name);
      const key = readScalar(name, from, false);
      this.at++;
      const rest = text.slice(match[0].length);
      const value = rest === '' ? this.below(indent) : this.inline(rest, from + match[0].length);
      map.items.push(new Pair(key, value));
    }
    const last = map.items[map.items.length - 1]!;
    map.range = [start, endOf(last.value as Node), endOf(last.value as Node)];
    return map;
  }

  /** The value on the lines below a `key:` at `indent`: a deeper block, or a list at the same column. */
  private below(indent: number): Node {
    const next = this.lines[this.at];
    if (next && (next.indent > indent || (next.indent === indent && isDash(next.content)))) return this.block(next.indent);
    return giveUp();
  }

  private seq(indent: number): YAMLSeq {
    const seq = new YAMLSeq();
    const start = this.lines[this.at]!.start;
    for (;;) {
      const line = this.lines[this.at];
      if (!line || line.indent !== indent || !isDash(line.content)) break;
      const afterDash = line.content.slice(1);
      const pad = afterDash.length - afterDash.trimStart().length;
      const rest = afterDash.trimStart();
      const at = line.start + 1 + pad;
      if (rest === '' || isDash(rest)) giveUp();
      if (KEY.test(rest)) {
        seq.items.push(this.map(indent + 1 + pad, at, rest));
        continue;
      }
      this.at++;
      seq.items.push(this.inline(rest, at));
    }
    const last = seq.items[seq.items.length - 1] as Node;
    seq.range = [start, endOf(last), endOf(last)];
    return seq;
  }

  /** A value on the key's own line: a one-line flow list or map, or a scalar. */
  private inline(text: string, start: number): Node {
    if (text.startsWith('[')) return flowSeq(text, start);
    if (text.startsWith('{')) return flowMap(text, start);
    return readScalar(text, start, false);
  }
}

function isDash(content: string): boolean {
  return content === '-' || content.startsWith('- ');
}

function endOf(node: Node | null | undefined): number {
  return node?.range?.[1] ?? giveUp();
}

/** The parts of a one-line flow collection's body between commas, with their offsets; nested brackets give up unless `allowLists`. */
function parts(text: string, start: number, close: string): { text: string; start: number }[] {
  if (text[text.length - 1] !== close) giveUp();
  const body = text.slice(1, -1);
  const out: { text: string; start: number }[] = [];
  let from = 0;
  let depth = 0;
  for (let i = 0; i <= body.length; i++) {
    const c = body[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '{' || c === '}' || c === '"' || c === "'") giveUp();
    if (depth < 0 || depth > 1) giveUp();
    if ((c === ',' && depth === 0) || i === body.length) {
      const raw = body.slice(from, i);
      const lead = raw.length - raw.trimStart().length;
      const trimmed = raw.trim();
      if (trimmed !== '') out.push({ text: trimmed, start: start + 1 + from + lead });
      else if (i < body.length) giveUp();
      from = i + 1;
    }
  }
  return out;
}

function flowSeq(text: string, start: number): YAMLSeq {
  const seq = new YAMLSeq();
  seq.flow = true;
  for (const part of parts(text, start, ']')) {
    if (part.text.startsWith('[')) giveUp();
    seq.items.push(readScalar(part.text, part.start, true));
  }
  seq.range = [start, start + text.length, start + text.length];
  return seq;
}

function flowMap(text: string, start: number): YAMLMap {
  const map = new YAMLMap();
  map.flow = true;
  const seen = new Set<string>();
  for (const part of parts(text, start, '}')) {
    const match = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)\s*:\s+(.*)$/.exec(part.text);
    if (!match || seen.has(match[1]!)) giveUp();
    seen.add(match[1]!);
    const valueText = match[2]!;
    const valueStart = part.start + part.text.length - valueText.length;
    const value = valueText.startsWith('[') ? flowSeq(valueText, valueStart) : readScalar(valueText, valueStart, true);
    map.items.push(new Pair(readScalar(match[1]!, part.start, true), value));
  }
  map.range = [start, start + text.length, start + text.length];
  return map;
}
