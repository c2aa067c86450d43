import type { YAMLMap } from 'yaml';
import type { ModelPart, OutputDecl, PipelineModel } from './model';
import { isStepPart } from './stepModel';

/** Who writes which literal path (normalised, workdir applied). */
export interface Writers {
  /** The last output in the file that writes `path`. */
  lastOf(path: string): OutputDecl | undefined;
  /** The paths that several outputs write, each with all of them in document order. */
  shared(): Iterable<[string, readonly OutputDecl[]]>;
}

/**
 * The outputs of every path, kept per root map and brought up to date from
 * one model to the next by looking only at the step parts that changed (a
 * splice changes one), instead of indexing thousands of paths per version.
 */
class WriterIndex implements Writers {
  private readonly byPath = new Map<string, OutputDecl[]>();
  private readonly sharedPaths = new Set<string>();

  constructor(public parts: readonly ModelPart[]) {
    for (const part of parts) this.add(part);
  }

  /** Moves the index from its parts to `parts`; false (and untouched) when they differ too much. */
  update(parts: readonly ModelPart[]): boolean {
    const before = this.parts;
    if (before.length !== parts.length) return false;
    const changed: number[] = [];
    for (let i = 0; i < parts.length; i++) if (parts[i] !== before[i]) changed.push(i);
    if (changed.length > parts.length / 4) return false;
    for (const i of changed) this.remove(before[i]!);
    for (const i of changed) this.add(parts[i]!);
    this.parts = parts;
    return true;
  }

  lastOf(path: string): OutputDecl | undefined {
    return this.byPath.get(path)?.at(-1);
  }

  *shared(): Iterable<[string, readonly OutputDecl[]]> {
    for (const path of this.sharedPaths) yield [path, this.byPath.get(path)!];
  }

  private add(part: ModelPart): void {
    if (!isStepPart(part)) return;
    for (const { path, at } of part.writes) {
      const list = this.byPath.get(path);
      if (!list) {
        this.byPath.set(path, [at]);
        continue;
      }
      let i = list.length;
      while (i > 0 && list[i - 1]!.start > at.start) i--;
      list.splice(i, 0, at);
      this.sharedPaths.add(path);
    }
  }

  private remove(part: ModelPart): void {
    if (!isStepPart(part)) return;
    for (const { path, at } of part.writes) {
      const list = this.byPath.get(path)!;
      list.splice(list.indexOf(at), 1);
      if (list.length === 0) this.byPath.delete(path);
      if (list.length < 2) this.sharedPaths.delete(path);
    }
  }
}

const byRoot = new WeakMap<YAMLMap, { model: PipelineModel; index: WriterIndex }>();

/**
 * The writers of a model's paths. One index per document moves on to each
 * model asked about, so the answer is good until another model of the same
 * document is asked about.
 */
export function outputWriters(model: PipelineModel): Writers {
  const kept = model.root && byRoot.get(model.root);
  if (kept?.model === model) return kept.index;
  const index = kept && kept.index.update(model.parts) ? kept.index : new WriterIndex(model.parts);
  if (model.root) byRoot.set(model.root, { model, index });
  return index;
}
