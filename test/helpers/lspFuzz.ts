/**
 * Documents and checks for the language-server fuzz test (test/lsp/fuzz.test.ts): mutations,
 * truncations and line shuffles of real files, random YAML, plausible-but-wrong pipelines, and
 * the invariants every LSP answer must keep.
 */
import type { Position, Range } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DiagnosticCode, DocumentKind } from '../../common/src';
import type { Random } from './lspRandom';

export const KIND_LIST: readonly DocumentKind[] = ['pipeline', 'features', 'monitor'];

/** The diagnostic codes of docs/formats.md (section Diagnostic codes): every diagnostic must carry one. */
export const DIAGNOSTIC_CODES: ReadonlySet<string> = new Set<DiagnosticCode>([
  'yaml-syntax',
  'duplicate-key',
  'unknown-key',
  'missing-key',
  'type-mismatch',
  'invalid-name',
  'invalid-duration',
  'bad-expression',
  'unknown-param',
  'unknown-step',
  'unknown-output',
  'cycle',
  'param-default',
  'output-conflict',
  'unused-param',
  'missing-file',
  'invalid-dtype',
  'unknown-entity',
  'unknown-source',
  'unknown-feature-view',
  'unknown-feature',
  'duplicate-name',
  'join-key-type',
  'column-not-found',
  'unknown-method',
  'unknown-pipeline',
  'deprecated-key',
  'missing-image',
  'quoted-expression',
]);

const VOCABULARY: Record<DocumentKind, readonly string[]> = {
  pipeline: [
    'pipeline',
    'description',
    'experiment',
    'image',
    'params',
    'env',
    'steps',
    'register',
    'run',
    'needs',
    'inputs',
    'outputs',
    'workdir',
    'cache',
    'retries',
    'timeout',
    'resources',
    'cpu',
    'memory',
    'gpu',
    'type',
    'default',
    'min',
    'max',
    'enum',
    'path',
    'model',
    'from',
    'when',
    'stage',
    'alias',
    'train',
    'evaluate',
    'prepare',
  ],
  features: [
    'project',
    'entities',
    'sources',
    'feature_views',
    'feature_services',
    'name',
    'join_keys',
    'value_type',
    'description',
    'type',
    'path',
    'timestamp_field',
    'created_timestamp_column',
    'field_mapping',
    'ttl',
    'online',
    'source',
    'schema',
    'dtype',
    'tags',
    'owner',
    'features',
    'batch_source',
    'customer',
    'entities',
  ],
  monitor: [
    'monitor',
    'model',
    'stage',
    'alias',
    'reference',
    'current',
    'columns',
    'ignore',
    'data_drift',
    'method',
    'threshold',
    'dataset_drift_share',
    'performance',
    'metrics',
    'alert_threshold',
    'current_metrics',
    'schedule',
    'on_drift',
    'notify',
    'run_pipeline',
    'params',
  ],
};

const TOKENS = [
  '${{',
  '}}',
  '${{ ',
  ' }}',
  '[',
  ']',
  '{',
  '}',
  ':',
  ': ',
  ',',
  '\t',
  '- ',
  '? ',
  '#',
  '&a ',
  '*a',
  '!!str ',
  '!!int ',
  '!custom ',
  '|',
  '>-',
  '|+',
  '---\n',
  '...\n',
  '"',
  "'",
  '\\',
  '%YAML 1.2\n',
  '<<: *a',
  '${{ steps.',
  '${{ params.',
  '${{ outputs.',
  'steps.',
  '.outputs.',
  'params.',
  '${{ steps.train.outputs.model }}',
  '${{ metrics.auc >= 0.9 && !x }}',
  "${{ (params.a == 'b') || run.id }}",
  'needs: [',
  'needs: [train, ',
  'run: ',
  'type: ',
  'dtype: Array(',
  '\u0000',
  '\r',
  '\r\n',
  '\u2028',
  '\uFEFF',
  '\uD83D',
  '\uDE00',
  'é',
  '中文',
  '😀',
  'ß',
  '\u0301',
];

const UNICODE = [
  'é',
  'ü',
  'ß',
  '中',
  '文',
  '😀',
  '🚀',
  '\u00A0',
  '\u200B',
  '\u2028',
  '\u2029',
  '\uFEFF',
  '\u0000',
  '\u0007',
  '\u001B',
  '\uFFFD',
  '\uD800',
  '\uDFFF',
  'İ',
  'ﬁ',
];
const CHARS = 'abcxyz_-09 :{}[],#&*!|>\'"%@`$.\t\n';

/** Picks a character for insertion: mostly YAML-significant ASCII, sometimes unicode. */
function randomChar(random: Random): string {
  return random.chance(0.8) ? CHARS[random.below(CHARS.length)]! : random.pick(UNICODE);
}

function lines(text: string): string[] {
  return text.split('\n');
}

function withLine(ls: readonly string[], index: number, line: string | undefined, insert = false): string {
  const before = ls.slice(0, index);
  const after = ls.slice(insert ? index : index + 1);
  return (line === undefined ? [...before, ...after] : [...before, line, ...after]).join('\n');
}

/** One random edit of `text`. */
export function mutateOnce(text: string, random: Random, kind: DocumentKind): string {
  const at = random.below(text.length + 1);
  const ls = lines(text);
  const line = random.below(ls.length);
  const op = random.weighted<() => string>([
    [4, () => text.slice(0, at) + randomChar(random) + text.slice(at)],
    [3, () => text.slice(0, at) + text.slice(Math.min(text.length, at + random.int(1, 12)))],
    [3, () => text.slice(0, at) + randomChar(random) + text.slice(at + 1)],
    [3, () => text.slice(0, at) + random.pick(TOKENS) + text.slice(at)],
    [2, () => text.slice(0, at) + random.pick(VOCABULARY[kind]) + random.pick([': ', ':', '.', ' ', '']) + text.slice(at)],
    [2, () => withLine(ls, line, ls[line], true)],
    [2, () => withLine(ls, line, undefined)],
    [2, () => withLine(ls, line, ' '.repeat(random.int(1, 4)) + ls[line]!)],
    [2, () => withLine(ls, line, ls[line]!.replace(/^ {1,4}/, ''))],
    [
      1,
      () =>
        withLine(
          ls,
          line,
          ls[line]!.replace(/^ +/, (s) => '\t'.repeat(Math.max(1, s.length >> 1))),
        ),
    ],
    [
      1,
      () => {
        const other = random.below(ls.length);
        const copy = [...ls];
        [copy[line], copy[other]] = [copy[other]!, copy[line]!];
        return copy.join('\n');
      },
    ],
    [
      1,
      () => text.slice(0, at) + random.pick(['x', 'a', '${{ params.p }} ', '[', 'é', '😀']).repeat(random.int(200, 6000)) + text.slice(at),
    ],
    [1, () => text.replace(/\n/g, '\r\n')],
    [1, () => text.slice(0, at) + random.pick(UNICODE).repeat(random.int(1, 5)) + text.slice(at)],
    [1, () => withLine(ls, line, ls[line]!.slice(0, random.below(ls[line]!.length + 1)))],
  ]);
  return op();
}

export function mutate(text: string, random: Random, kind: DocumentKind): string {
  let out = text;
  for (let n = random.int(1, 6); n > 0; n--) out = mutateOnce(out, random, kind);
  return out;
}

export function truncate(text: string, random: Random): string {
  return text.slice(0, random.below(text.length + 1));
}

export function shuffleLines(text: string, random: Random): string {
  const ls = lines(text);
  const mode = random.below(3);
  if (mode === 0) return random.shuffle(ls).join('\n');
  const start = random.below(ls.length);
  const end = Math.min(ls.length, start + random.int(2, 10));
  if (mode === 1) return [...ls.slice(0, start), ...random.shuffle(ls.slice(start, end)), ...ls.slice(end)].join('\n');
  // Move a block elsewhere.
  const block = ls.slice(start, end);
  const rest = [...ls.slice(0, start), ...ls.slice(end)];
  const to = random.below(rest.length + 1);
  return [...rest.slice(0, to), ...block, ...rest.slice(to)].join('\n');
}

// ---------------------------------------------------------------- random YAML

const SCALARS = [
  'x',
  'train',
  'prepare',
  '42',
  '-1',
  '0.5',
  '1e3',
  '.inf',
  '.nan',
  '0x1F',
  '0o17',
  'true',
  'False',
  'yes',
  'null',
  '~',
  "''",
  '""',
  '30m',
  '90s',
  '2h',
  '1d',
  '10x',
  'Int64',
  'Array(Float32)',
  'Array(Nope)',
  'String',
  'Staging',
  'auto',
  'ks',
  'psi',
  'data/churn.csv',
  'steps/train.py',
  'data/*.csv',
  '"quoted: string"',
  "'single ''quoted'''",
  '"esc\\n\\t\\u00e9\\x41"',
  '${{ params.epochs }}',
  '${{ steps.train.outputs.model }}',
  '${{ outputs.model }}',
  '${{ steps.nope.outputs.x }}',
  '${{ params }}',
  '${{ steps. }}',
  '${{ }}',
  '${{',
  '}}',
  '${{ run.id }}/${{ run.dir }}',
  '${{ pipeline.name }}',
  '${{ env.HOME }}',
  '${{ metrics.auc >= 0.9 && (params.q || !false) }}',
  "${{ 'str' == params.kind }}",
  '${{ 1 +* 2 }}',
  '${{ steps.a.outputs.b.c.d }}',
  '${{ params.a.b }}',
  '2001-12-14t21:59:43.10-05:00',
  'é中😀',
  '"\\uD83D"',
  '<<',
];

interface YamlGen {
  readonly random: Random;
  readonly vocab: readonly string[];
  anchors: number;
  depthLimit: number;
}

function scalar(g: YamlGen): string {
  const r = g.random;
  const roll = r.next();
  if (roll < 0.55) return r.pick(SCALARS);
  if (roll < 0.75) return r.pick(g.vocab);
  if (roll < 0.85 && g.anchors > 0) return `*a${r.below(g.anchors + 1)}`;
  if (roll < 0.9)
    return `${r.pick(['!!str', '!!int', '!!float', '!!bool', '!!null', '!custom', '!<tag:yaml.org,2002:str>', '!'])} ${r.pick(SCALARS)}`;
  return `${r.pick(g.vocab)}_${r.below(100)}`;
}

function flow(g: YamlGen, depth: number): string {
  const r = g.random;
  if (depth > 3 || r.chance(0.4)) return scalar(g);
  const n = r.int(0, 4);
  if (r.chance(0.5))
    return `[${Array.from({ length: n }, () => flow(g, depth + 1)).join(r.pick([', ', ',', ' , ']))}${r.chance(0.1) ? ',' : ''}]`;
  return `{${Array.from({ length: n }, () => `${r.pick(g.vocab)}: ${flow(g, depth + 1)}`).join(', ')}}`;
}

function props(g: YamlGen): string {
  const r = g.random;
  let out = '';
  if (r.chance(0.08)) out += `&a${g.anchors++} `;
  if (r.chance(0.05)) out += `${r.pick(['!!map', '!!seq', '!!str', '!custom', '!!omap', '!!set'])} `;
  return out;
}

function blockScalar(g: YamlGen, indent: string): string {
  const r = g.random;
  const header = r.pick(['|', '>', '|-', '>+', '|2', '>-1', '|+']);
  const body = Array.from({ length: r.int(0, 4) }, () => `${indent}  ${r.chance(0.2) ? '  ' : ''}${r.pick(SCALARS)} ${r.pick(g.vocab)}`);
  return [header, ...body].join('\n');
}

function block(g: YamlGen, indent: string, depth: number): string[] {
  const r = g.random;
  const out: string[] = [];
  const n = r.int(1, depth === 0 ? 8 : 5);
  const asSeq = depth > 0 && r.chance(0.35);
  for (let i = 0; i < n; i++) {
    if (r.chance(0.05)) out.push(`${indent}# ${r.pick(g.vocab)} ${r.pick(SCALARS)}`);
    const head = asSeq
      ? `${indent}- `
      : `${indent}${r.chance(0.05) ? '? ' : ''}${r.chance(0.1) ? `"${r.pick(g.vocab)}"` : r.pick(g.vocab)}${r.chance(0.03) ? '' : ':'}`;
    const roll = r.next();
    if (depth < g.depthLimit && roll < 0.35) {
      const child = block(g, indent + (r.chance(0.9) ? '  ' : r.pick([' ', '   ', '\t'])), depth + 1);
      if (asSeq) out.push(`${head}${props(g)}${child[0]!.trimStart()}`, ...child.slice(1));
      else {
        const p = props(g);
        out.push(`${head}${p ? ` ${p.trimEnd()}` : ''}`, ...child);
      }
    } else if (roll < 0.45) {
      out.push(`${head}${asSeq ? '' : ' '}${blockScalar(g, indent)}`);
    } else if (roll < 0.6) {
      out.push(`${head}${asSeq ? '' : ' '}${props(g)}${flow(g, 0)}`);
    } else if (roll < 0.62) {
      out.push(`${indent}<<: *a${r.below(g.anchors + 1)}`);
    } else {
      out.push(`${head}${asSeq ? '' : ' '}${props(g)}${scalar(g)}${r.chance(0.05) ? ` # ${r.pick(SCALARS)}` : ''}`);
    }
  }
  return out;
}

/** Random YAML: nested maps and sequences, flow collections, anchors and aliases, tags, block scalars, several documents. */
export function randomYaml(random: Random, kind: DocumentKind): string {
  const vocab = random.chance(0.7) ? VOCABULARY[kind] : [...VOCABULARY[kind], ...VOCABULARY[random.pick(KIND_LIST)]];
  const g: YamlGen = { random, vocab, anchors: 0, depthLimit: random.int(1, 5) };
  const docs: string[] = [];
  for (let n = random.chance(0.8) ? 1 : random.int(2, 4); n > 0; n--) {
    const prefix = random.chance(0.1)
      ? random.pick(['%YAML 1.2\n---\n', '%TAG ! tag:example.com,2000:\n---\n', '--- ', '--- !!map\n'])
      : '';
    const body = random.chance(0.1) ? flow(g, 0) : block(g, '', 0).join('\n');
    docs.push(prefix + body + (random.chance(0.1) ? '\n...' : ''));
  }
  return docs.join('\n---\n') + (random.chance(0.8) ? '\n' : '');
}

// ---------------------------------------------------------------- plausible documents with wrong parts

/** A pipeline that looks right but has random references (unknown, self, cycles), bad types and durations. */
export function plausiblePipeline(random: Random): string {
  const steps = Array.from({ length: random.int(1, 7) }, (_, i) =>
    random.pick(['prepare', 'train', 'evaluate', 'score', 'export', `s${i}`, 'bad id', '9x']),
  );
  const params = Array.from({ length: random.int(0, 4) }, (_, i) => `p${i}`);
  const ref = (): string =>
    random.weighted<string>([
      [4, `\${{ steps.${random.pick([...steps, 'nope'])}.outputs.${random.pick(['model', 'data', 'metrics', 'x'])} }}`],
      [3, `\${{ params.${random.pick([...params, 'missing'])} }}`],
      [2, `\${{ outputs.${random.pick(['model', 'data', 'x'])} }}`],
      [
        1,
        random.pick([
          '${{ run.id }}',
          '${{ run.dir }}',
          '${{ pipeline.name }}',
          '${{ env.HOME }}',
          '${{ metrics.auc }}',
          '${{ foo.bar }}',
          '${{ steps }}',
          '${{ params.p0 > 1 }}',
        ]),
      ],
    ]);
  const out = [`pipeline: ${random.pick(['demo', 'Demo Pipeline', 'x', '-bad', 'a'.repeat(random.int(1, 140))])}`];
  if (params.length) {
    out.push('params:');
    for (const p of params) {
      out.push(
        `  ${p}: ${random.pick([
          `{ type: int, default: ${random.pick(['3', '0', '-2', '1.5', 'x'])}, min: 1, max: 10 }`,
          `{ type: float, default: ${random.pick(['0.5', '2', 'abc'])}, min: 0, max: 1 }`,
          `{ type: string, default: ${random.pick(['rf', 'gbm', '3'])}, enum: [rf, logreg] }`,
          '{ type: bool, default: maybe }',
          '{ type: path, default: data/x.csv }',
          '{ type: nope }',
          'false',
          '42',
          '[1, 2]',
        ])}`,
      );
    }
  }
  out.push('steps:');
  for (const [i, id] of steps.entries()) {
    out.push(`  ${id}:`);
    if (random.chance(0.5))
      out.push(`    needs: [${Array.from({ length: random.int(0, 3) }, () => random.pick([...steps, 'ghost'])).join(', ')}]`);
    if (random.chance(0.9)) out.push(`    run: python ${id}.py ${Array.from({ length: random.int(0, 3) }, ref).join(' ')}`);
    if (random.chance(0.4)) out.push(`    inputs: [${random.pick(['steps/train.py', 'data/*.csv', '"${{ params.p0 }}"', ref()])}]`);
    if (random.chance(0.7)) {
      out.push('    outputs:');
      for (const name of ['model', 'data', 'metrics'].slice(0, random.int(0, 3))) {
        out.push(
          `      ${name}: ${random.pick([`out/${i}/${name}`, 'out/shared.csv', `{ path: out/${name}.json, type: ${random.pick(['metrics', 'model', 'dir', 'file', 'blob'])} }`, '{ type: model }', '[]'])}`,
        );
      }
    }
    if (random.chance(0.3)) out.push(`    timeout: ${random.pick(['30m', '90s', '1d', '10x', '5', 'soon'])}`);
    if (random.chance(0.3)) out.push(`    retries: ${random.pick(['1', '0', '-1', 'two', '1.5'])}`);
    if (random.chance(0.1))
      out.push(
        `    ${random.pick(['neds', 'runn', 'output', 'cache', 'workdir', 'resources'])}: ${random.pick(['x', 'true', '[a]', '{ cpu: 1 }'])}`,
      );
  }
  if (random.chance(0.4)) {
    out.push('register:', `  model: ${random.pick(['m', ''])}`, `  from: ${ref()}`);
    if (random.chance(0.5))
      out.push(
        `  when: ${random.pick(['${{ metrics.auc >= 0.9 && metrics.acc > 0.8 }}', '${{ metrics.auc >=', '${{ (metrics.a }}', 'true'])}`,
      );
    if (random.chance(0.5)) out.push(`  stage: ${random.pick(['Staging', 'Production', 'Prod', 'None'])}`);
  }
  return out.join('\n') + '\n';
}

/** Documents at the edges: empty, only comments, deep nesting, alias bombs, huge lines. */
export function edgeDocument(random: Random, kind: DocumentKind): string {
  const key = kind === 'pipeline' ? 'pipeline' : kind === 'features' ? 'project' : 'monitor';
  return random.pick<() => string>([
    () => '',
    () => '\n\n\n',
    () => '   ',
    () => '# only a comment',
    () => '---',
    () => '---\n---\n...\n',
    () => '\uFEFF' + `${key}: bom`,
    () => `${key}:`,
    () => `${key}: x\r\nsteps:\r\n  a:\r\n    run: echo\r\n`,
    () => `${key}: x\rsteps:\r  a:\r    run: echo\r`,
    () => '['.repeat(random.int(50, 1500)),
    () => '{a: '.repeat(random.int(50, 800)),
    () => Array.from({ length: random.int(50, 400) }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n'),
    () => Array.from({ length: random.int(50, 400) }, (_, i) => `${' '.repeat(i * 2)}- `).join('\n'),
    () => {
      // "Billion laughs": each level aliases the previous one nine times.
      const out = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
      for (let i = 1; i < 10; i++) out.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
      out.push(`${key}: *a9`, 'steps: *a9', 'params: { p: *a9 }');
      return out.join('\n');
    },
    () => `${key}: ${'x'.repeat(random.int(10_000, 200_000))}`,
    () => `steps:\n  a:\n    run: ${'${{ steps.a.outputs.b }} '.repeat(random.int(100, 3000))}`,
    () =>
      Array.from({ length: random.int(500, 3000) }, (_, i) => `k${i}: &x${i} v`).join('\n') +
      '\nall: [' +
      Array.from({ length: 500 }, (_, i) => `*x${i}`).join(', ') +
      ']',
    () => `${key}: x\n${'steps:\n  a:\n    run: y\n'.repeat(random.int(2, 50))}`,
    () => `a: &r\n  b: *r\n${key}: *r\nsteps: *r`,
    () => '\u0000\u0001\u0002: \u0003',
    () => '\uD800\uDC00\uD800: \uDFFF',
    () => `${key}: "unterminated`,
    () => `${key}: 'unterminated\n  next: line`,
    () => `${key}: |\n  block\n\tbad indent\n`,
    () => `? [a, b]\n: c\n? { x: 1 }\n: d\n${key}: !!binary aGVsbG8=`,
    () =>
      `${key}: x\nsteps:\n  a:\n    run: echo \${{ steps.a.outputs.o }}\n    outputs: { o: out.txt }\n    needs: [a]\n  b:\n    needs: [a, b]\n    run: \${{ steps.b.outputs.p }}\n`,
  ])();
}

// ---------------------------------------------------------------- positions and changes

/** A random position: anywhere, at interesting spots, past the end of a line, or at the ends. */
export function randomPosition(doc: TextDocument, random: Random): Position {
  const text = doc.getText();
  const roll = random.next();
  if (roll < 0.5 || text.length === 0) return doc.positionAt(random.below(text.length + 1));
  if (roll < 0.85) {
    const token = random.pick([
      '${{ ',
      'steps.',
      '.outputs.',
      'params.',
      'outputs.',
      '[',
      ', ',
      ': ',
      '\n  ',
      '\n    ',
      '- ',
      'type: ',
      'dtype: ',
      'method: ',
      'stage: ',
      'needs',
    ]);
    const hits: number[] = [];
    for (let at = text.indexOf(token); at >= 0 && hits.length < 200; at = text.indexOf(token, at + 1)) hits.push(at + token.length);
    if (hits.length) return doc.positionAt(random.pick(hits) - (random.chance(0.2) ? random.int(0, 2) : 0));
    return doc.positionAt(random.below(text.length + 1));
  }
  if (roll < 0.95) {
    // LSP: a character past the end of the line means the end of the line.
    const line = random.below(doc.lineCount);
    const length = doc.offsetAt({ line: line + 1, character: 0 }) - doc.offsetAt({ line, character: 0 });
    return { line, character: length + random.int(0, 5) };
  }
  return random.chance(0.5) ? { line: 0, character: 0 } : doc.positionAt(text.length);
}

export function randomRange(doc: TextDocument, random: Random): Range {
  const a = doc.offsetAt(randomPosition(doc, random));
  const b = random.chance(0.3) ? a : doc.offsetAt(randomPosition(doc, random));
  return { start: doc.positionAt(Math.min(a, b)), end: doc.positionAt(Math.max(a, b)) };
}

/**
 * The smallest single-range change from `before` to `after` (common prefix and suffix), or
 * undefined when a range cannot express it exactly (a boundary inside `\r\n`).
 */
export function incrementalChange(before: TextDocument, after: string): { range: Range; text: string } | undefined {
  const old = before.getText();
  let prefix = 0;
  const max = Math.min(old.length, after.length);
  while (prefix < max && old.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && old.charCodeAt(old.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const change = {
    range: { start: before.positionAt(prefix), end: before.positionAt(old.length - suffix) },
    text: after.slice(prefix, after.length - suffix),
  };
  // positionAt never points between \r and \n; check that the server will rebuild exactly `after`.
  const applied = TextDocument.update(
    TextDocument.create(before.uri, before.languageId, before.version, old),
    [change],
    before.version + 1,
  );
  return applied.getText() === after ? change : undefined;
}

// ---------------------------------------------------------------- invariants of answers

interface Bounds {
  /** The document's last line index. */
  readonly lastLine: number;
  /** When given, characters are checked against line lengths too. */
  readonly doc?: TextDocument;
}

function isPosition(value: unknown): value is Position {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Position).line === 'number' &&
    typeof (value as Position).character === 'number'
  );
}

function lineLength(doc: TextDocument, line: number): number {
  const start = doc.offsetAt({ line, character: 0 });
  const end = line + 1 < doc.lineCount ? doc.offsetAt({ line: line + 1, character: 0 }) : doc.getText().length;
  // The position right before the line break is still valid; a character past it is not.
  return doc
    .getText()
    .slice(start, end)
    .replace(/\r?\n$|\r$/, '').length;
}

/**
 * Every `{start, end}` range below `value`: non-negative integers, start before end, and within
 * `bounds` when given. Returns the problems found, as paths into the value.
 */
export function rangeProblems(value: unknown, bounds?: Bounds, where = '$'): string[] {
  const problems: string[] = [];
  const visit = (node: unknown, at: string, depth: number): void => {
    if (depth > 40 || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${at}[${i}]`, depth + 1));
      return;
    }
    const record = node as Record<string, unknown>;
    if (isPosition(record.start) && isPosition(record.end)) {
      const { start, end } = record as unknown as Range;
      for (const [name, p] of [
        ['start', start],
        ['end', end],
      ] as const) {
        if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0)
          problems.push(`${at}.${name} is not a valid position: ${JSON.stringify(p)}`);
        else if (bounds && p.line > bounds.lastLine)
          problems.push(`${at}.${name} is past the last line ${bounds.lastLine}: ${JSON.stringify(p)}`);
        else if (bounds?.doc && p.character > lineLength(bounds.doc, p.line))
          problems.push(`${at}.${name} is past the end of line ${p.line} (length ${lineLength(bounds.doc, p.line)}): ${JSON.stringify(p)}`);
      }
      if (start.line > end.line || (start.line === end.line && start.character > end.character))
        problems.push(`${at}: start after end: ${JSON.stringify({ start, end })}`);
    }
    for (const [key, child] of Object.entries(record)) visit(child, `${at}.${key}`, depth + 1);
  };
  visit(value, where, 0);
  return problems;
}

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

/** DocumentSymbol[]: each selectionRange inside its range (VS Code rejects the symbols otherwise). */
export function symbolProblems(value: unknown): string[] {
  const problems: string[] = [];
  const visit = (items: unknown, at: string): void => {
    if (!Array.isArray(items)) return;
    items.forEach((item: { name?: unknown; range?: Range; selectionRange?: Range; children?: unknown }, i) => {
      if (typeof item?.name !== 'string' || item.name === '')
        problems.push(`${at}[${i}].name must be a non-empty string: ${JSON.stringify(item?.name)}`);
      if (item?.range && item.selectionRange && !contains(item.range, item.selectionRange))
        problems.push(`${at}[${i}] (${String(item.name)}): selectionRange is not inside range`);
      visit(item?.children, `${at}[${i}].children`);
    });
  };
  visit(value, '$');
  return problems;
}

/** FoldingRange[]: lines inside the document, start not after end. */
export function foldingProblems(value: unknown, lastLine: number): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((r: { startLine?: unknown; endLine?: unknown }, i) => {
    const { startLine, endLine } = r ?? {};
    if (!Number.isInteger(startLine) || !Number.isInteger(endLine))
      return [`$[${i}]: startLine/endLine must be integers: ${JSON.stringify(r)}`];
    if ((startLine as number) < 0 || (endLine as number) > lastLine || (startLine as number) > (endLine as number))
      return [`$[${i}]: lines ${String(startLine)}..${String(endLine)} outside 0..${lastLine} or reversed`];
    return [];
  });
}

interface TextEditLike {
  readonly range: Range;
  readonly newText?: unknown;
}

/**
 * WorkspaceEdits (a rename's answer, a code action's `edit`): the edits of one document must not
 * overlap, or the editor refuses the whole edit; each needs a string `newText`.
 */
export function workspaceEditProblems(value: unknown): string[] {
  const problems: string[] = [];
  const check = (uri: string, edits: unknown, at: string): void => {
    if (!Array.isArray(edits)) return;
    const sorted = (edits as TextEditLike[])
      .filter((e) => e && isPosition(e.range?.start) && isPosition(e.range?.end))
      .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    for (const [i, e] of sorted.entries()) {
      if (typeof e.newText !== 'string') problems.push(`${at}: an edit for ${uri} has no string newText`);
      const next = sorted[i + 1];
      if (
        next &&
        (next.range.start.line < e.range.end.line ||
          (next.range.start.line === e.range.end.line && next.range.start.character < e.range.end.character))
      ) {
        problems.push(`${at}: overlapping edits for ${uri}: ${JSON.stringify(e.range)} and ${JSON.stringify(next.range)}`);
      }
    }
  };
  const visitEdit = (edit: unknown, at: string): void => {
    if (typeof edit !== 'object' || edit === null) return;
    const { changes, documentChanges } = edit as { changes?: Record<string, unknown>; documentChanges?: unknown };
    for (const [uri, edits] of Object.entries(changes ?? {})) check(uri, edits, `${at}.changes`);
    if (Array.isArray(documentChanges)) {
      const byUri = new Map<string, unknown[]>();
      for (const change of documentChanges as { textDocument?: { uri?: string }; edits?: unknown[] }[]) {
        const uri = change?.textDocument?.uri;
        if (uri && Array.isArray(change.edits)) byUri.set(uri, [...(byUri.get(uri) ?? []), ...change.edits]);
      }
      for (const [uri, edits] of byUri) check(uri, edits, `${at}.documentChanges`);
    }
  };
  if (Array.isArray(value)) value.forEach((action: { edit?: unknown }, i) => visitEdit(action?.edit, `$[${i}].edit`));
  else visitEdit(value, '$');
  return problems;
}
