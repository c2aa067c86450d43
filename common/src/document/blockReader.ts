/**
 * An exact reader for one chunk (./chunks.ts) written in the plain block YAML
 * that pipeline steps are made of: block maps, block lists of scalars, flow
 * lists and maps on one line, plain and simply quoted scalars. It builds the
 * nodes the `yaml` package's parser builds for the same text: the same
 * classes, values (scalars resolved by the package's own core-schema tags),
 * styles, `source`s and ranges (`range[2]` included). It is about ten times
 * faster, because it makes no token stream and no syntax tree (and its nodes
 * without the package's constructors: ./nodeFactory.ts).
 *
 * It gives up (undefined) on everything else, and the caller parses the chunk
 * with the package: comments, blank lines other than trailing ones, tabs,
 * carriage returns, anchors, aliases, tags, block scalars, keys that are not
 * plain names, empty values, lists of maps, multi-line scalars and flow
 * collections, escapes, a `:` in a flow scalar. test/unit/blockReader.test.ts
 * compares it with the package on generated and randomly edited chunks.
 */
import { isScalar, parseDocument, Scalar, type Node, type Pair, type Range, type YAMLMap, type YAMLSeq } from 'yaml';
import { NodeFactory } from './nodeFactory';

/** What a chunk reads to: its one pair, and where its map and its document end, in the chunk's offsets plus `base`. */
export interface BlockEntry {
  readonly pair: Pair;
  readonly mapRange: Range;
  readonly docRange: Range;
}

class GiveUp extends Error {}
const GIVE_UP = new GiveUp();

function giveUp(): never {
  throw GIVE_UP;
}

interface ScalarTag {
  readonly default?: boolean | 'key';
  readonly test?: RegExp;
  readonly format?: string;
  resolve(value: string, onError: (message: string) => void, options: object): unknown;
}

interface Core {
  readonly tags: readonly ScalarTag[];
  readonly options: object;
  readonly nodes: NodeFactory;
}

let core: Core | undefined;

/** The tags, options and nodes (of its schema) a parse with chunks.ts's YAML_OPTIONS uses. */
function coreSchema(): Core {
  if (!core) {
    const doc = parseDocument('a: 1', { prettyErrors: false, uniqueKeys: false, keepSourceTokens: false });
    core = {
      tags: doc.schema.tags as unknown as ScalarTag[],
      options: doc.options,
      nodes: new NodeFactory(doc.schema),
    };
  }
  return core;
}

const SPACE = 32;
const NEWLINE = 10;

const INDICATOR = new Set([...',[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));

/** Starts no value of the core schema's null, bool, int and float tags (whose tests all start with one of `~nNtTfF0-9+-.`). */
const UNTAGGED = /^[A-EG-MO-SU-Za-eg-mo-su-z_$/]/;

/** A key: a plain name followed by `:`. */
const KEY = /[A-Za-z0-9_$][A-Za-z0-9_.$/-]*/y;

interface Line {
  readonly start: number;
  /** Where its content starts. */
  readonly at: number;
  readonly indent: number;
  /** Where its content ends, trailing blanks excluded. */
  readonly end: number;
  /** Where the next line starts (or the text's end). */
  readonly next: number;
}

/**
 * Reads `text` (a chunk: its first line holds the key, at `column`) as the
 * package would, with every offset moved by `base`; undefined when it leaves
 * the subset above.
 */
export function readBlockEntry(text: string, column: number, base: number): BlockEntry | undefined {
  try {
    return new Reader(text, base).entry(column);
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

class Reader {
  private readonly lines: Line[] = [];
  private at = 0;
  private readonly core = coreSchema();

  constructor(
    private readonly text: string,
    private readonly base: number,
  ) {
    this.split();
  }

  entry(column: number): BlockEntry {
    const first = this.lines[0];
    if (!first || first.indent !== column) giveUp();
    const map = this.map(column);
    if (map.items.length !== 1 || this.at !== this.lines.length) giveUp();
    const end = map.range![2];
    return { pair: map.items[0]!, mapRange: map.range!, docRange: [this.base, end, this.base + this.text.length] };
  }

  /** The lines with content; blank lines may only close the text. */
  private split(): void {
    const text = this.text;
    let blankSeen = false;
    for (let start = 0; start < text.length;) {
      let next = text.indexOf('\n', start);
      next = next < 0 ? text.length : next + 1;
      let at = start;
      while (text.charCodeAt(at) === SPACE) at++;
      let end = next;
      while (end > at && (text.charCodeAt(end - 1) === NEWLINE || text.charCodeAt(end - 1) === SPACE)) end--;
      if (end > at) {
        if (blankSeen) giveUp();
        for (let i = at; i < end; i++) {
          const c = text.charCodeAt(i);
          // Comments, tabs, carriage returns and control characters are left to the package.
          if (c === 35 || c < 32 || c === 127) giveUp();
        }
        this.lines.push({ start, at, indent: at - start, end, next });
      } else blankSeen = true;
      start = next;
    }
  }

  private offset(local: number): number {
    return local + this.base;
  }

  private range(start: number, valueEnd: number, nodeEnd: number): Range {
    return [start + this.base, valueEnd + this.base, nodeEnd + this.base];
  }

  /** A block map whose keys are at `indent`, from the current line on. */
  private map(indent: number): YAMLMap {
    const map = this.core.nodes.map();
    let start = -1;
    let end = 0;
    for (let line = this.lines[this.at]; line && line.indent === indent; line = this.lines[this.at]) {
      if (start < 0) start = line.at;
      KEY.lastIndex = line.at;
      if (!KEY.test(this.text)) giveUp();
      const keyEnd = KEY.lastIndex;
      if (this.text.charCodeAt(keyEnd) !== 58 /* : */) giveUp();
      const key = this.plain(line.at, keyEnd, true, keyEnd);
      let value: Node;
      if (keyEnd + 1 === line.end) {
        this.at++;
        const below = this.lines[this.at];
        if (!below || below.indent <= indent) giveUp();
        value = this.isDash(below) ? this.seq(below.indent) : this.map(below.indent);
      } else {
        if (this.text.charCodeAt(keyEnd + 1) !== SPACE) giveUp();
        let from = keyEnd + 1;
        while (this.text.charCodeAt(from) === SPACE) from++;
        value = this.inline(from, line);
        this.at++;
      }
      map.items.push(this.core.nodes.pair(key, value));
      end = value.range![2];
    }
    if (start < 0) giveUp();
    map.range = [this.offset(start), end, end];
    return map;
  }

  private isDash(line: Line): boolean {
    return this.text.charCodeAt(line.at) === 45 /* - */ && this.text.charCodeAt(line.at + 1) === SPACE;
  }

  /** A block list of scalars and flow collections, its dashes at `indent`. */
  private seq(indent: number): YAMLSeq {
    const seq = this.core.nodes.seq();
    let start = -1;
    let end = 0;
    for (let line = this.lines[this.at]; line && line.indent === indent; line = this.lines[this.at]) {
      if (!this.isDash(line)) giveUp();
      if (start < 0) start = line.at;
      let from = line.at + 2;
      while (this.text.charCodeAt(from) === SPACE) from++;
      const item = this.inline(from, line);
      this.at++;
      seq.items.push(item);
      end = item.range![2];
    }
    seq.range = [this.offset(start), end, end];
    return seq;
  }

  /** The value that fills the rest of `line` from `from`: a flow collection or a scalar. */
  private inline(from: number, line: Line): Node {
    const c = this.text.charCodeAt(from);
    if (c === 91 /* [ */ || c === 123 /* { */) {
      const { node, close } = this.flow(from);
      if (close !== line.end) giveUp();
      node.range = this.range(from, close, line.next);
      return node;
    }
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const close = this.quoteEnd(from);
      if (close !== line.end) giveUp();
      return this.quoted(from, close, line.next);
    }
    return this.plain(from, line.end, false, line.next);
  }

  /** Where the quoted scalar at `from` ends (after its closing quote), on its line; no escapes. */
  private quoteEnd(from: number): number {
    const text = this.text;
    const quote = text.charCodeAt(from);
    for (let i = from + 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === quote) {
        if (text.charCodeAt(i + 1) === quote) giveUp();
        return i + 1;
      }
      if (c === 92 /* \ */ || c === NEWLINE) giveUp();
    }
    return giveUp();
  }

  private quoted(from: number, close: number, nodeEnd: number): Scalar {
    const value = this.text.slice(from + 1, close - 1);
    const scalar = this.core.nodes.scalar(value);
    scalar.range = this.range(from, close, nodeEnd);
    scalar.source = value;
    scalar.type = this.text.charCodeAt(from) === 34 ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE;
    return scalar;
  }

  /** A plain scalar `[from, to)`, resolved as the core schema does. */
  private plain(from: number, to: number, atKey: boolean, nodeEnd: number, flow = false): Scalar {
    const text = this.text;
    if (to <= from) giveUp();
    const first = text.charCodeAt(from);
    // Indicators that start something else: , [ ] { } # & * ! | > ' " % @ `
    if (INDICATOR.has(first)) giveUp();
    if ((first === 45 || first === 63 || first === 58) /* - ? : */ && (from + 1 === to || text.charCodeAt(from + 1) === SPACE)) giveUp();
    const source = text.slice(from, to);
    if (!atKey && (source.includes(': ') || source.endsWith(':') || (flow && source.includes(':')))) giveUp();
    const { tags, options } = this.core;
    let tag: ScalarTag | undefined;
    // A letter that starts no null, boolean or number: a string, as most names and paths are.
    if (!UNTAGGED.test(source))
      for (const t of tags) {
        if ((t.default === true || (atKey && t.default === 'key')) && t.test?.test(source)) {
          tag = t;
          break;
        }
      }
    let scalar: Scalar;
    if (tag) {
      const resolved = tag.resolve(source, giveUp, options);
      scalar = isScalar(resolved) ? resolved : this.core.nodes.scalar(resolved);
    } else scalar = this.core.nodes.scalar(source);
    scalar.range = this.range(from, to, nodeEnd);
    scalar.source = source;
    scalar.type = Scalar.PLAIN;
    if (tag?.format) scalar.format = tag.format;
    return scalar;
  }

  /** A flow collection at `from`, on one line; `close` is just after its bracket. Its range is the caller's to set. */
  private flow(from: number): { node: YAMLMap | YAMLSeq; close: number } {
    const text = this.text;
    const isMap = text.charCodeAt(from) === 123;
    const node = isMap ? this.core.nodes.map() : this.core.nodes.seq();
    node.flow = true;
    const closer = isMap ? 125 : 93;
    let at = this.skip(from + 1);
    if (text.charCodeAt(at) === closer) return { node, close: at + 1 };
    for (;;) {
      if (isMap) {
        KEY.lastIndex = at;
        if (!KEY.test(text)) giveUp();
        const keyEnd = KEY.lastIndex;
        if (text.charCodeAt(keyEnd) !== 58 || text.charCodeAt(keyEnd + 1) !== SPACE) giveUp();
        const key = this.plain(at, keyEnd, true, keyEnd, true);
        const value = this.flowItem(this.skip(keyEnd + 1));
        (node as YAMLMap).items.push(this.core.nodes.pair(key, value));
        at = value.range![2] - this.base;
      } else {
        const item = this.flowItem(at);
        (node as YAMLSeq).items.push(item);
        at = item.range![2] - this.base;
      }
      const c = text.charCodeAt(at);
      if (c === closer) return { node, close: at + 1 };
      if (c !== 44 /* , */) giveUp();
      at = this.skip(at + 1);
      if (text.charCodeAt(at) === closer) giveUp();
    }
  }

  private skip(at: number): number {
    while (this.text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  /** An item of a flow collection at `from`; its range ends after the blanks that follow it. */
  private flowItem(from: number): Node {
    const text = this.text;
    const c = text.charCodeAt(from);
    if (c === 91 || c === 123) {
      const { node, close } = this.flow(from);
      node.range = this.range(from, close, this.skip(close));
      return node;
    }
    if (c === 34 || c === 39) {
      const close = this.quoteEnd(from);
      return this.quoted(from, close, this.skip(close));
    }
    let to = from;
    for (;;) {
      const d = text.charCodeAt(to);
      if (d === 44 || d === 91 || d === 93 || d === 123 || d === 125 || d === NEWLINE || Number.isNaN(d)) break;
      to++;
    }
    const after = to;
    while (to > from && text.charCodeAt(to - 1) === SPACE) to--;
    return this.plain(from, to, false, after, true);
  }
}
