import { didYouMean } from '../text/suggest';
import { isLiteralPath } from '../yaml/paths';
import type { DocumentKind } from '../kinds';
import type { DefinitionKind, DefinitionOf, FileSummary, Located, PipelineSummary, WorkspaceView } from './types';
import { pathOfUri, resolveFrom } from './uris';

type Key = string;
const DEFINITION_KINDS: readonly DefinitionKind[] = ['entity', 'source', 'view', 'service'];

/** What one file contributes: its definitions with a signature of what others check of them, and the keys it depends on. */
interface Contribution {
  /** `entity:customer` -> a text that changes when anything a user of it checks changes. */
  readonly signatures: ReadonlyMap<Key, string>;
  readonly uses: ReadonlySet<Key>;
}

/**
 * Every features, monitor and pipeline file of the workspace, by URI, with
 * lookups across files. `set` and `delete` answer which other files must be
 * validated again: those that use a definition whose signature changed, and
 * those that define the same name (duplicate-name).
 */
export class WorkspaceIndex implements WorkspaceView {
  private readonly files = new Map<string, { summary: FileSummary; contribution: Contribution }>();
  private readonly defs: Record<DefinitionKind, Map<string, Located<DefinitionOf[DefinitionKind]>[]>> = {
    entity: new Map(),
    source: new Map(),
    view: new Map(),
    service: new Map(),
  };
  private readonly usersOf = new Map<Key, Set<string>>();
  private readonly pipelinesByPath = new Map<string, Located<PipelineSummary>>();
  private sortedNames = new Map<DefinitionKind, readonly string[]>();
  private suggestionMemo = new Map<string, string>();
  /** Monitors whose `current` is a glob: any data file may change what they read. */
  private readonly globMonitors = new Set<string>();

  get size(): number {
    return this.files.size;
  }

  uris(): IterableIterator<string> {
    return this.files.keys();
  }

  file(uri: string): FileSummary | undefined {
    return this.files.get(uri)?.summary;
  }

  /** Adds or replaces a file; returns the other files whose cross-file problems may have changed. */
  set(summary: FileSummary): Set<string> {
    const previous = this.files.get(summary.uri);
    if (previous) this.remove(previous.summary, previous.contribution);
    const contribution = contributionOf(summary);
    this.files.set(summary.uri, { summary, contribution });
    this.add(summary, contribution);
    return this.affected(summary.uri, previous?.contribution, contribution);
  }

  delete(uri: string): Set<string> {
    const previous = this.files.get(uri);
    if (!previous) return new Set();
    this.remove(previous.summary, previous.contribution);
    this.files.delete(uri);
    return this.affected(uri, previous.contribution, undefined);
  }

  definitions<K extends DefinitionKind>(kind: K, name: string): readonly Located<DefinitionOf[K]>[] {
    return (this.defs[kind].get(name) ?? []) as Located<DefinitionOf[K]>[];
  }

  names(kind: DefinitionKind): readonly string[] {
    let names = this.sortedNames.get(kind);
    if (!names) {
      names = [...this.defs[kind].keys()].sort();
      this.sortedNames.set(kind, names);
    }
    return names;
  }

  didYouMean(kind: DefinitionKind, name: string): string {
    const key = `${kind}:${name}`;
    let hint = this.suggestionMemo.get(key);
    if (hint === undefined) {
      hint = didYouMean(name, this.names(kind));
      this.suggestionMemo.set(key, hint);
    }
    return hint;
  }

  pipelineAt(path: string): Located<PipelineSummary> | undefined {
    return this.pipelinesByPath.get(path);
  }

  pipelines(): readonly Located<PipelineSummary>[] {
    return [...this.pipelinesByPath.values()];
  }

  lineOf(uri: string, offset: number): number | undefined {
    const text = this.files.get(uri)?.summary.text;
    return text ? text.positionAt(offset).line + 1 : undefined;
  }

  positionOf(uri: string, offset: number): { line: number; character: number } | undefined {
    return this.files.get(uri)?.summary.text.positionAt(offset);
  }

  summaries(kind: DocumentKind): readonly FileSummary[] {
    return [...this.files.values()].map((f) => f.summary).filter((f) => f.kind === kind);
  }

  users(kind: DefinitionKind, name: string): readonly string[] {
    return [...(this.usersOf.get(`${kind}:${name}`) ?? [])];
  }

  /** Files that read a data file: sources on it, the views using those sources, monitors comparing it. */
  dataDependents(path: string): Set<string> {
    const out = new Set<string>(this.usersOf.get(`data:${path}`) ?? []);
    for (const uri of [...out]) {
      for (const source of this.files.get(uri)?.summary.features?.sources ?? []) {
        if (source.path && resolveFrom(uri, source.path.name) === path)
          for (const user of this.usersOf.get(`source:${source.name}`) ?? []) out.add(user);
      }
    }
    for (const uri of this.globMonitors) out.add(uri);
    return out;
  }

  private add(summary: FileSummary, contribution: Contribution): void {
    const uri = summary.uri;
    const features = summary.features;
    if (features) {
      for (const kind of DEFINITION_KINDS) {
        for (const def of definitionsOf(summary, kind)) {
          const list = this.defs[kind].get(def.name);
          if (list) list.push({ uri, def });
          else this.defs[kind].set(def.name, [{ uri, def }]);
        }
      }
    }
    const path = pathOfUri(uri);
    if (summary.pipeline && path !== undefined) this.pipelinesByPath.set(path, { uri, def: summary.pipeline });
    if (summary.monitor?.current && !isLiteralPath(summary.monitor.current.name)) this.globMonitors.add(uri);
    for (const key of contribution.uses) {
      const set = this.usersOf.get(key);
      if (set) set.add(uri);
      else this.usersOf.set(key, new Set([uri]));
    }
    this.namesChanged();
  }

  private remove(summary: FileSummary, contribution: Contribution): void {
    const uri = summary.uri;
    for (const kind of DEFINITION_KINDS) {
      for (const def of definitionsOf(summary, kind)) {
        const list = this.defs[kind].get(def.name)?.filter((d) => d.uri !== uri);
        if (list && list.length > 0) this.defs[kind].set(def.name, list);
        else this.defs[kind].delete(def.name);
      }
    }
    const path = pathOfUri(uri);
    if (path !== undefined && this.pipelinesByPath.get(path)?.uri === uri) this.pipelinesByPath.delete(path);
    this.globMonitors.delete(uri);
    for (const key of contribution.uses) {
      const set = this.usersOf.get(key);
      set?.delete(uri);
      if (set?.size === 0) this.usersOf.delete(key);
    }
    this.namesChanged();
  }

  private namesChanged(): void {
    if (this.sortedNames.size > 0) this.sortedNames = new Map();
    if (this.suggestionMemo.size > 0) this.suggestionMemo = new Map();
  }

  private affected(uri: string, before: Contribution | undefined, after: Contribution | undefined): Set<string> {
    const out = new Set<string>();
    const changed = new Set<Key>();
    for (const [key, signature] of before?.signatures ?? []) if (after?.signatures.get(key) !== signature) changed.add(key);
    for (const [key, signature] of after?.signatures ?? []) if (before?.signatures.get(key) !== signature) changed.add(key);
    for (const key of changed) {
      for (const user of this.usersOf.get(key) ?? []) out.add(user);
      const colon = key.indexOf(':');
      const kind = key.slice(0, colon) as DefinitionKind;
      if (DEFINITION_KINDS.includes(kind)) for (const d of this.definitions(kind, key.slice(colon + 1))) out.add(d.uri);
    }
    out.delete(uri);
    return out;
  }
}

function definitionsOf(summary: FileSummary, kind: DefinitionKind): readonly DefinitionOf[DefinitionKind][] {
  const f = summary.features;
  if (!f) return [];
  switch (kind) {
    case 'entity':
      return f.entities;
    case 'source':
      return f.sources.filter((s) => s.name !== '');
    case 'view':
      return f.views;
    case 'service':
      return f.services;
  }
}

function contributionOf(summary: FileSummary): Contribution {
  const signatures = new Map<Key, string>();
  const uses = new Set<Key>();
  const sign = (key: Key, text: string) => signatures.set(key, signatures.has(key) ? `${signatures.get(key)!}\n${text}` : text);
  const f = summary.features;
  if (f) {
    for (const e of f.entities) sign(`entity:${e.name}`, `${e.joinKey}|${e.valueType ?? ''}`);
    for (const s of f.sources) {
      if (s.name !== '')
        sign(
          `source:${s.name}`,
          [
            s.path?.name,
            s.timestampField?.name,
            s.createdTimestampColumn?.name,
            ...s.fieldMapping.map((m) => `${m.column.name}=${m.feature.name}`),
          ].join('|'),
        );
      const data = s.path && resolveFrom(summary.uri, s.path.name);
      if (data !== undefined) uses.add(`data:${data}`);
    }
    for (const v of f.views) {
      sign(`view:${v.name}`, v.fields.map((x) => `${x.name}:${x.dtype ?? ''}`).join(','));
      for (const e of v.entities) uses.add(`entity:${e.name}`);
      if (v.source) uses.add(`source:${v.source.name}`);
    }
    for (const s of f.services) {
      sign(`service:${s.name}`, '');
      for (const p of s.projections) uses.add(`view:${p.view.name}`);
    }
  }
  const m = summary.monitor;
  if (m) {
    const pipeline = m.runPipeline && resolveFrom(summary.uri, m.runPipeline.name);
    if (pipeline !== undefined) uses.add(`pipeline:${pipeline}`);
    for (const data of [m.reference, m.current]) {
      const path = data && isLiteralPath(data.name) ? resolveFrom(summary.uri, data.name) : undefined;
      if (path !== undefined) uses.add(`data:${path}`);
    }
  }
  const p = summary.pipeline;
  const path = pathOfUri(summary.uri);
  if (p && path !== undefined) sign(`pipeline:${path}`, p.params.map((x) => x.name).join(','));
  return { signatures, uses };
}
