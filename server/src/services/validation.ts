import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  summarize,
  validateDocument,
  type FileSummary,
  type MlopsDiagnostic,
  type ParsedDocument,
  type ValidationContext,
} from '../../../common/src';
import { nodeValidationContext } from '../../../common/src/node/fileContext';
import { finishDiagnostics, localDiagnostics, workspaceDiagnostics } from '../../../common/src/validation/validate';

/**
 * Validates and remembers the result per document version, so that code
 * actions read the fixes of the diagnostics the user sees without validating again.
 */
export class ValidationService {
  private readonly results = new Map<string, { version: number; diagnostics: MlopsDiagnostic[] }>();
  private readonly heap = new HeapTrim();

  constructor(
    private readonly onRuleError: (rule: string, uri: string, error: unknown) => void,
    private readonly context: ValidationContext = nodeValidationContext(),
  ) {}

  /**
   * Every problem of the document. Features and monitor files join their
   * own problems (kept per version) with those that depend on the workspace
   * and the disk, computed again on each call from `summary` (default: the
   * document's own).
   */
  validate(doc: ParsedDocument, summary?: FileSummary): MlopsDiagnostic[] {
    if (doc.kind !== 'pipeline') {
      const cross = workspaceDiagnostics(summary ?? summarize(doc), {
        context: this.context,
        onRuleError: (rule, error) => this.onRuleError(rule, doc.uri, error),
      });
      return finishDiagnostics(doc.text, [...this.local(doc), ...cross]);
    }
    const cached = this.results.get(doc.uri);
    if (cached && cached.version === doc.version) return cached.diagnostics;
    const diagnostics = validateDocument(doc, {
      context: this.context,
      onRuleError: (rule, error) => this.onRuleError(rule, doc.uri, error),
    });
    this.results.set(doc.uri, { version: doc.version, diagnostics });
    this.heap.afterWork();
    return diagnostics;
  }

  /** The document's problems by itself, once per version. */
  local(doc: ParsedDocument): MlopsDiagnostic[] {
    const cached = this.results.get(doc.uri);
    if (cached && cached.version === doc.version) return cached.diagnostics;
    const diagnostics = localDiagnostics(doc, {
      context: this.context,
      onRuleError: (rule, error) => this.onRuleError(rule, doc.uri, error),
    });
    this.results.set(doc.uri, { version: doc.version, diagnostics });
    this.heap.afterWork();
    return diagnostics;
  }

  forget(uri: string): void {
    this.results.delete(uri);
  }

  /** Every kept result, after a change of what the rules read (a setting). */
  forgetAll(): void {
    this.results.clear();
  }
}

/** How much the heap may grow past what the last full collection left before another one is started. */
const HEAP_SLACK_BYTES = 24 * 2 ** 20;

type FullCollection = (options: { type: 'major'; execution: 'async' }) => Promise<void>;

/**
 * Starts a full garbage collection when the heap has grown well past what
 * the last one left. Editing a large file makes garbage that V8 frees only in
 * a full collection (the text of a 2 MB document is a new 2 MB string after
 * every edit), and V8 puts one off until the heap has about doubled: for a
 * 50,000-line pipeline that would add a hundred megabytes to the server. The
 * collection is asked for on a timer, after the caller has sent what it
 * validated: V8 runs an 'async' collection as a task of its own on the main
 * thread, which would otherwise come before the reply is written (a full
 * collection of a large document's heap takes tens of milliseconds). Where
 * the runtime does not offer it, V8's own schedule applies.
 */
class HeapTrim {
  private readonly collect = exposedCollection();
  private floor = 0;
  private running = false;
  private timer: NodeJS.Timeout | undefined;

  afterWork(): void {
    if (!this.collect || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, 0);
    this.timer.unref();
  }

  private run(): void {
    if (!this.collect || this.running || getHeapStatistics().used_heap_size < this.floor + HEAP_SLACK_BYTES) return;
    this.running = true;
    void this.collect({ type: 'major', execution: 'async' }).finally(() => {
      this.floor = getHeapStatistics().used_heap_size;
      this.running = false;
    });
  }
}

function exposedCollection(): FullCollection | undefined {
  try {
    // The flag makes V8 define `gc` in contexts created from now on.
    setFlagsFromString('--expose-gc');
    const collect: unknown = runInNewContext('gc');
    return typeof collect === 'function' ? (collect as FullCollection) : undefined;
  } catch {
    return undefined;
  }
}
