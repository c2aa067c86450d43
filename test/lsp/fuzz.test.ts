/**
 * Fuzz test of the real language server over stdio (issue 3, "Robustness"). At least 2,000
 * documents — mutated, truncated and line-shuffled versions of the samples and fixtures, random
 * YAML, plausible pipelines with wrong parts, edge cases — each followed by a batch of requests at
 * random positions. The server must never exit, answer every request (an InternalError answer
 * means a handler threw), publish diagnostics for every version, keep every range valid, and log
 * no uncaught exception, unhandled rejection or stack trace.
 *
 * The seed is fixed so that CI is repeatable; MLOPS_FUZZ_SEED=random explores new cases, and
 * MLOPS_FUZZ_SEED=<seed printed by the test> reproduces a run: node scripts/run-tests.mjs test/lsp
 * More documents: MLOPS_FUZZ_DOCS=20000; documents in flight at once: MLOPS_FUZZ_LANES (default 2).
 * A failing case is printed and written, with its request, to test/e2e/artifacts/fuzz-<seed>/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  DiagnosticSeverity,
  ErrorCodes,
  ResponseError,
  type ClientCapabilities,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { kindInfo, kindOfLanguageId, kindOfPath, type DocumentKind } from '../../common/src';
import {
  DIAGNOSTIC_CODES,
  edgeDocument,
  foldingProblems,
  incrementalChange,
  KIND_LIST,
  mutate,
  plausiblePipeline,
  randomPosition,
  randomRange,
  randomYaml,
  rangeProblems,
  shuffleLines,
  symbolProblems,
  truncate,
  workspaceEditProblems,
} from '../helpers/lspFuzz';
import { Random, seedFromEnv } from '../helpers/lspRandom';
import { LspServer } from '../helpers/lspServer';

const ROOT = path.resolve(__dirname, '../..');
const SEED = seedFromEnv('MLOPS_FUZZ_SEED', 20261127);
const DOCUMENTS = Number(process.env.MLOPS_FUZZ_DOCS ?? 2000);
/** Documents in flight at once: two keep both the client and the server busy on a two-core machine. */
const LANES = Number(process.env.MLOPS_FUZZ_LANES ?? 2);
const REQUEST_TIMEOUT_MS = 10_000;
/** Distinct kinds of failure reported in full; the fuzzing stops after MAX_FAILURE_EVENTS in all. */
const MAX_FAILURES = 10;
const MAX_FAILURE_EVENTS = 40;
const ARTIFACTS = path.join(ROOT, 'test/e2e/artifacts', `fuzz-${SEED}`);
/** Where the fuzzed documents claim to live: a real folder, so that path features see files. */
const WORKSPACE = path.join(ROOT, 'samples/churn');

const CAPABILITIES: ClientCapabilities = {
  workspace: { workspaceFolders: true, workspaceEdit: { documentChanges: true } },
  textDocument: {
    synchronization: { didSave: false },
    completion: {
      completionItem: {
        snippetSupport: true,
        documentationFormat: ['markdown', 'plaintext'],
        resolveSupport: { properties: ['documentation', 'detail'] },
      },
      contextSupport: true,
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } },
      isPreferredSupport: true,
      resolveSupport: { properties: ['edit'] },
    },
    rename: { prepareSupport: true },
    foldingRange: { lineFoldingOnly: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
  },
};

/** Stderr or log text that means something went wrong inside the server. */
const BAD_OUTPUT = /uncaught|unhandled|rejection|\bat \S.*:\d+:\d+|\n\s+at \S|FATAL|out of memory|Maximum call stack/i;
/** Logs that say a validation rule threw (the server survives, but the rule has a bug). */
const RULE_FAILED = /\brule \S+ failed\b/;

interface Corpus {
  readonly name: string;
  readonly kind: DocumentKind | undefined;
  readonly text: string;
}

function loadCorpus(): Corpus[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(full);
      else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) files.push(full);
    }
  };
  for (const name of readdirSync(path.join(ROOT, 'samples/churn')))
    if (/\.ya?ml$/.test(name)) files.push(path.join(ROOT, 'samples/churn', name));
  walk(path.join(ROOT, 'test/fixtures'));
  return files.sort().map((file) => ({ name: path.relative(ROOT, file), kind: kindOfPath(file), text: readFileSync(file, 'utf8') }));
}

interface FuzzDocument {
  readonly origin: string;
  readonly kind: DocumentKind;
  readonly text: string;
}

function makeDocument(random: Random, corpus: readonly Corpus[], previous: FuzzDocument | undefined): FuzzDocument {
  // Half of the changes keep editing the open document, as a user does.
  if (previous && random.chance(0.5))
    return { origin: `${previous.origin} + mutation`, kind: previous.kind, text: mutate(previous.text, random, previous.kind) };
  const base = random.pick(corpus);
  const kind = base.kind && random.chance(0.85) ? base.kind : random.pick(KIND_LIST);
  return random.weighted<() => FuzzDocument>([
    [35, () => ({ origin: `mutation of ${base.name}`, kind, text: mutate(base.text, random, kind) })],
    [12, () => ({ origin: `truncation of ${base.name}`, kind, text: truncate(base.text, random) })],
    [12, () => ({ origin: `line shuffle of ${base.name}`, kind, text: shuffleLines(base.text, random) })],
    [
      22,
      () => {
        const k = random.pick(KIND_LIST);
        return { origin: `random YAML (${k})`, kind: k, text: randomYaml(random, k) };
      },
    ],
    [
      12,
      () => ({
        origin: 'plausible pipeline',
        kind: 'pipeline',
        text: random.chance(0.3) ? mutate(plausiblePipeline(random), random, 'pipeline') : plausiblePipeline(random),
      }),
    ],
    [
      7,
      () => {
        const k = random.pick(KIND_LIST);
        return { origin: `edge case (${k})`, kind: k, text: edgeDocument(random, k) };
      },
    ],
  ])();
}

interface Failure {
  readonly what: string;
  readonly detail: string;
  readonly doc?: { uri: string; languageId: string; version: number; origin: string; text: string };
  readonly request?: { method: string; params: unknown };
}

describe('language server fuzz (real server over stdio)', () => {
  let server: LspServer;
  before(async () => {
    server = await LspServer.start(
      { validationDelayMs: 0 },
      {
        capabilities: CAPABILITIES,
        rootUri: pathToFileURL(WORKSPACE).href,
        workspaceFolders: [{ uri: pathToFileURL(WORKSPACE).href, name: 'churn' }],
      },
    );
  });
  after(async () => {
    await server?.stop();
  });

  it(`survives ${DOCUMENTS} fuzzed documents with requests after each`, { timeout: 180_000 }, async (t) => {
    console.log(`fuzz: seed ${SEED} (reproduce with MLOPS_FUZZ_SEED=${SEED}), ${DOCUMENTS} documents, ${LANES} lanes`);
    const corpus = loadCorpus();
    assert.ok(corpus.length >= 3, 'the samples and fixtures are the corpus');
    const started = performance.now();
    const failures: Failure[] = [];
    const outcomes = new Map<string, number>();
    let documents = 0;
    let requests = 0;
    let stderrSeen = 0;
    let logsSeen = 0;
    const inFlight = new Map<number, NonNullable<Failure['doc']>>();

    const seenKinds = new Map<string, number>();
    let failureEvents = 0;
    let unanswered = 0;
    // A server that stopped answering will not start again: stop after a few timeouts.
    const stopped = (): boolean => failureEvents >= MAX_FAILURE_EVENTS || unanswered >= 4 || server.exitCode !== undefined;
    const fail = (failure: Failure): void => {
      failureEvents++;
      const seen = seenKinds.get(failure.what) ?? 0;
      seenKinds.set(failure.what, seen + 1);
      // The first two cases of each kind are enough to reproduce it.
      if (seen >= 2 || failures.length >= MAX_FAILURES) return;
      failures.push(failure);
      mkdirSync(ARTIFACTS, { recursive: true });
      const base = path.join(ARTIFACTS, `${failures.length}`);
      if (failure.doc)
        writeFileSync(
          `${base}.${kindOfPath(failure.doc.uri) ?? kindOfLanguageId(failure.doc.languageId) ?? 'plain'}.yaml`,
          failure.doc.text,
        );
      writeFileSync(
        `${base}.json`,
        JSON.stringify({ seed: SEED, ...failure, doc: failure.doc && { ...failure.doc, text: undefined } }, null, 2),
      );
    };
    const count = (key: string): void => {
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    };

    /** Stderr and error logs since the last look; blamed on the documents being processed. */
    const checkOutput = (doc: NonNullable<Failure['doc']>): void => {
      const err = server.stderr.slice(stderrSeen).join('');
      stderrSeen = server.stderr.length;
      const logs = server.logs.slice(logsSeen);
      logsSeen = server.logs.length;
      const others = [...inFlight.values()].filter((d) => d !== doc).map((d) => `${d.uri}@${d.version}`);
      const blame = others.length ? ` (documents in flight at the same time: ${others.join(', ')})` : '';
      if (err.trim() && BAD_OUTPUT.test(err)) fail({ what: 'server stderr', detail: err.slice(0, 4000) + blame, doc });
      for (const log of logs) {
        if (log.type === 1 && (BAD_OUTPUT.test(log.message) || RULE_FAILED.test(log.message)))
          fail({ what: 'server error log', detail: log.message.slice(0, 4000) + blame, doc });
      }
    };

    const call = async (doc: NonNullable<Failure['doc']>, method: string, params: unknown): Promise<unknown> => {
      requests++;
      try {
        const result = await server.request(method, params, REQUEST_TIMEOUT_MS);
        count(`${method} ${result === null ? 'null' : Array.isArray(result) ? (result.length ? 'items' : 'empty') : 'result'}`);
        return result;
      } catch (error) {
        if (error instanceof ResponseError) {
          count(`${method} error ${error.code}`);
          if (error.code === ErrorCodes.InternalError)
            fail({ what: `${method} answered InternalError (the handler threw)`, detail: error.message, doc, request: { method, params } });
          return undefined;
        }
        count(`${method} no answer`);
        unanswered++;
        fail({
          what: `${method}: no answer`,
          detail: error instanceof Error ? error.message : String(error),
          doc,
          request: { method, params },
        });
        return undefined;
      }
    };

    const checkAnswer = (doc: NonNullable<Failure['doc']>, method: string, params: unknown, problems: string[]): void => {
      if (problems.length)
        fail({ what: `${method}: invalid answer`, detail: problems.slice(0, 10).join('\n'), doc, request: { method, params } });
    };

    /** Requests at random positions after one version; every one awaited. */
    const exercise = async (
      random: Random,
      doc: NonNullable<Failure['doc']>,
      text: TextDocument,
      diagnostics: Diagnostic[],
    ): Promise<void> => {
      const textDocument = { uri: doc.uri };
      const lastLine = text.lineCount - 1;
      const at = () => randomPosition(text, random);
      const caps = server.capabilities;
      const batch: Promise<void>[] = [];
      const send = (
        method: string,
        params: unknown,
        check?: (result: unknown) => string[],
        then?: (result: unknown) => Promise<void>,
      ): void => {
        batch.push(
          call(doc, method, params).then(async (result) => {
            if (result === undefined) return;
            if (check) checkAnswer(doc, method, params, check(result));
            if (then) await then(result);
          }),
        );
      };
      for (let n = 0; n < 2; n++) {
        const position = at();
        const before = text.getText().charAt(text.offsetAt(position) - 1);
        const trigger =
          random.chance(0.5) && ['.', ' ', '[', ':', '{', '$', ','].includes(before)
            ? { triggerKind: 2, triggerCharacter: before }
            : { triggerKind: 1 };
        send(
          'textDocument/completion',
          { textDocument, position, context: trigger },
          (r) => rangeProblems(r, { lastLine }),
          async (result) => {
            const items = Array.isArray(result) ? result : ((result as { items?: unknown[] } | null)?.items ?? []);
            if (items.length && (caps.completionProvider as { resolveProvider?: boolean } | undefined)?.resolveProvider) {
              await call(doc, 'completionItem/resolve', items[0]);
            }
          },
        );
      }
      send('textDocument/hover', { textDocument, position: at() }, (r) => rangeProblems(r, { lastLine }));
      send('textDocument/definition', { textDocument, position: at() }, (r) => rangeProblems(r));
      send('textDocument/references', { textDocument, position: at(), context: { includeDeclaration: random.chance(0.5) } }, (r) =>
        rangeProblems(r),
      );
      send('textDocument/documentSymbol', { textDocument }, (r) => [...rangeProblems(r, { lastLine, doc: text }), ...symbolProblems(r)]);
      send('textDocument/foldingRange', { textDocument }, (r) => foldingProblems(r, lastLine));
      send(
        'textDocument/codeLens',
        { textDocument },
        (r) => rangeProblems(r, { lastLine, doc: text }),
        async (result) => {
          const lenses = Array.isArray(result) ? (result as { command?: unknown }[]) : [];
          const unresolved = lenses.find((l) => !l.command);
          if (unresolved && (caps.codeLensProvider as { resolveProvider?: boolean } | undefined)?.resolveProvider)
            await call(doc, 'codeLens/resolve', unresolved);
        },
      );
      const chosen = diagnostics.length && random.chance(0.6) ? diagnostics[random.below(diagnostics.length)] : undefined;
      const range = chosen?.range ?? randomRange(text, random);
      const overlapping = chosen
        ? [chosen]
        : diagnostics.filter((d) => !(d.range.end.line < range.start.line || d.range.start.line > range.end.line));
      send(
        'textDocument/codeAction',
        { textDocument, range, context: { diagnostics: overlapping, triggerKind: random.pick([1, 2]) } },
        (r) => [...rangeProblems(r), ...workspaceEditProblems(r)],
        async (result) => {
          const actions = Array.isArray(result) ? (result as { edit?: unknown; data?: unknown; command?: unknown; title?: unknown }[]) : [];
          const lazy = actions.find((a) => a && !a.edit && a.data !== undefined);
          if (lazy && (caps.codeActionProvider as { resolveProvider?: boolean } | undefined)?.resolveProvider)
            await call(doc, 'codeAction/resolve', lazy);
        },
      );
      const renameAt = at();
      send('textDocument/prepareRename', { textDocument, position: renameAt }, (r) => rangeProblems(r, { lastLine }));
      const newName = random.pick(['renamed', 'x', 'a-b_c', 'train2', '', 'has space', '${{', '日本', 'n'.repeat(300), '1abc']);
      send('textDocument/rename', { textDocument, position: random.chance(0.7) ? renameAt : at(), newName }, (r) => [
        ...rangeProblems(r),
        ...workspaceEditProblems(r),
      ]);
      await Promise.all(batch);
    };

    const lane = async (laneIndex: number): Promise<void> => {
      const random = new Random((SEED ^ Math.imul(laneIndex + 1, 0x9e3779b1)) >>> 0);
      let open: { uri: string; languageId: string; doc: FuzzDocument; text: TextDocument } | undefined;
      let session = 0;
      // A fixed share per lane, so that a seed gives every lane the same documents on every run.
      const share = Math.ceil(DOCUMENTS / LANES);
      for (let n = 0; n < share && !stopped(); n++) {
        // A new file, or the next version of the open one.
        if (open && random.chance(0.25)) {
          if (!(await sent(() => server.close(open!.uri)))) break;
          open = undefined;
        }
        const doc = makeDocument(random, corpus, open?.doc);
        let version: number;
        const mark = server.published.length;
        if (!open) {
          const kind = doc.kind;
          const untitled = random.chance(0.1);
          const ext = random.chance(0.2) ? 'yml' : 'yaml';
          const uri = untitled
            ? `untitled:Fuzz-${laneIndex}-${session++}`
            : pathToFileURL(path.join(WORKSPACE, `fuzz-${laneIndex}-${session++}.${kind}.${ext}`)).href;
          const languageId = untitled || random.chance(0.8) ? kindInfo(kind).languageId : 'yaml';
          version = 1;
          open = { uri, languageId, doc, text: TextDocument.create(uri, languageId, version, doc.text) };
          inFlight.set(laneIndex, { uri, languageId, version, origin: doc.origin, text: doc.text });
          if (!(await sent(() => server.open(uri, languageId, doc.text, version)))) break;
        } else {
          version = open.text.version + 1;
          const change = random.chance(0.7) ? incrementalChange(open.text, doc.text) : undefined;
          const { uri } = open;
          open = { ...open, doc, text: TextDocument.create(open.uri, open.languageId, version, doc.text) };
          inFlight.set(laneIndex, { uri, languageId: open.languageId, version, origin: doc.origin, text: doc.text });
          if (!(await sent(() => server.change(uri, version, [change ?? { text: doc.text }])))) break;
        }
        documents++;
        const record = inFlight.get(laneIndex)!;
        let diagnostics: Diagnostic[] = [];
        try {
          diagnostics = (await server.diagnosticsFor(open.uri, version, REQUEST_TIMEOUT_MS, mark)).params.diagnostics;
          // Related information in this document is checked against its text; in another file (a
          // cross-file duplicate), only that it is a well-formed location there.
          const ownUri = open.uri;
          const here = diagnostics.map((d) => ({
            ...d,
            relatedInformation: d.relatedInformation?.filter((r) => r.location.uri === ownUri),
          }));
          const problems = [...rangeProblems(here, { lastLine: open.text.lineCount - 1, doc: open.text })];
          for (const d of diagnostics)
            for (const r of d.relatedInformation ?? []) {
              if (r.location.uri === ownUri) continue;
              const { start, end } = r.location.range;
              if (
                !/^[a-z][\w+.-]*:/i.test(r.location.uri) ||
                start.line < 0 ||
                start.character < 0 ||
                end.line < start.line ||
                (end.line === start.line && end.character < start.character)
              )
                problems.push(`related information elsewhere is not a location: ${JSON.stringify(r.location)}`);
            }
          for (const d of diagnostics) {
            if (d.source !== 'mlops') problems.push(`source ${JSON.stringify(d.source)} is not "mlops"`);
            if (!DIAGNOSTIC_CODES.has(String(d.code))) problems.push(`code ${JSON.stringify(d.code)} is not a docs/formats.md code`);
            if (typeof d.message !== 'string' || !d.message.trim()) problems.push(`empty message for ${String(d.code)}`);
            if (![1, 2, 3, 4].includes(d.severity ?? 0)) problems.push(`severity ${String(d.severity)} for ${String(d.code)}`);
          }
          if (problems.length) fail({ what: 'invalid diagnostics', detail: problems.slice(0, 10).join('\n'), doc: record });
        } catch (error) {
          if (server.exitCode !== undefined) break;
          unanswered++;
          fail({
            what: 'no publishDiagnostics for this version',
            detail: error instanceof Error ? error.message : String(error),
            doc: record,
          });
        }
        await exercise(random, record, open.text, diagnostics);
        checkOutput(record);
        inFlight.delete(laneIndex);
      }
      if (open) await sent(() => server.close(open!.uri));
    };
    /** Sends a notification; false when the server is gone (reported after the lanes stop). */
    const sent = async (send: () => Promise<void>): Promise<boolean> => {
      try {
        await send();
        return true;
      } catch (error) {
        if (server.exitCode !== undefined) return false;
        throw error;
      }
    };

    await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));
    if (server.exitCode !== undefined) {
      // Blame the documents that were being processed when it died.
      for (const doc of inFlight.values())
        fail({
          what: 'server exited',
          detail: `${server.exitDescription ?? '?'} while this document was in flight; stderr: ${server.stderr.join('').slice(-4000)}`,
          doc,
        });
    }

    // Afterwards the server still works: the churn sample validates clean and answers.
    if (server.exitCode === undefined) {
      const sample = path.join(ROOT, 'samples/churn/churn.pipeline.yaml');
      const uri = pathToFileURL(sample).href;
      const text = readFileSync(sample, 'utf8');
      const record = { uri, languageId: 'mlops-pipeline', version: 1, origin: 'final check: the churn sample', text };
      const mark = server.published.length;
      await server.open(uri, 'mlops-pipeline', text, 1);
      try {
        const { params } = await server.diagnosticsFor(uri, 1, REQUEST_TIMEOUT_MS, mark);
        const errors = params.diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
        if (errors.length)
          fail({ what: 'final check: the churn sample has errors', detail: JSON.stringify(errors).slice(0, 3000), doc: record });
      } catch (error) {
        fail({
          what: 'final check: no diagnostics for the churn sample',
          detail: error instanceof Error ? error.message : String(error),
          doc: record,
        });
      }
      const line = text.split('\n').findIndex((l) => l.startsWith('  train:'));
      const answered = await Promise.all([
        call(record, 'textDocument/hover', { textDocument: { uri }, position: { line, character: 3 } }),
        call(record, 'textDocument/documentSymbol', { textDocument: { uri } }),
      ]);
      t.diagnostic(
        `final check: hover ${answered[0] === undefined ? 'error' : 'answered'}, documentSymbol ${answered[1] === undefined ? 'error' : 'answered'}`,
      );
      checkOutput(record);
    }
    if (server.exitCode !== undefined && !seenKinds.has('server exited'))
      fail({ what: 'server exited', detail: `${server.exitDescription ?? '?'}; stderr: ${server.stderr.join('').slice(-4000)}` });

    const seconds = (performance.now() - started) / 1000;
    const summary = [...outcomes]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    const line1 = `fuzz: seed ${SEED}: ${documents} documents, ${requests} requests in ${seconds.toFixed(1)} s`;
    console.log(`${line1}\nfuzz answers: ${summary}`);
    t.diagnostic(line1);

    if (failures.length) {
      const shown = failures.map((f, i) => {
        const doc = f.doc
          ? `\n  document ${f.doc.uri} (${f.doc.languageId}) version ${f.doc.version}, ${f.doc.origin}:\n${indent(f.doc.text.length > 3000 ? `${f.doc.text.slice(0, 3000)}\n… (${f.doc.text.length} characters)` : f.doc.text)}`
          : '';
        const request = f.request ? `\n  request ${f.request.method}: ${JSON.stringify(f.request.params).slice(0, 1500)}` : '';
        return `#${i + 1} ${f.what}: ${f.detail}${request}${doc}`;
      });
      const kinds = [...seenKinds].map(([what, n]) => `${n} × ${what}`).join('\n  ');
      assert.fail(
        `fuzz seed ${SEED}: ${failureEvents} failure(s) after ${documents} documents${stopped() ? ' (stopped early)' : ''}:\n  ${kinds}\n(reproduce with MLOPS_FUZZ_SEED=${SEED}; the first cases of each kind follow, and are written to ${path.relative(ROOT, ARTIFACTS)}/)\n\n${shown.join('\n\n')}`,
      );
    }
    assert.ok(documents >= Math.min(DOCUMENTS, 2000), `sent ${documents} documents`);
  });
});

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    | ${l}`)
    .join('\n');
}
