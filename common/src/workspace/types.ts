import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentKind } from '../kinds';
import type { EntityDef, FeaturesModel, Named, ServiceDef, SourceDef, ViewDef } from '../features/model';
import type { MonitorModel } from '../monitor/model';

/** What the workspace needs of a pipeline file: its name and its params (for monitors' `on_drift`). */
export interface PipelineSummary {
  readonly name?: string;
  readonly description?: string;
  readonly params: readonly (Named & { readonly type: string; readonly description?: string })[];
}

/** One indexed file: its text (for positions) and its model, without an AST. */
export interface FileSummary {
  readonly uri: string;
  readonly kind: DocumentKind;
  readonly text: TextDocument;
  readonly features?: FeaturesModel;
  readonly monitor?: MonitorModel;
  readonly pipeline?: PipelineSummary;
}

export type DefinitionKind = 'entity' | 'source' | 'view' | 'service';

export interface DefinitionOf {
  entity: EntityDef;
  source: SourceDef;
  view: ViewDef;
  service: ServiceDef;
}

/** A definition and the file it is in. */
export interface Located<T> {
  readonly uri: string;
  readonly def: T;
}

/** The columns of a data file, read from its CSV header or Parquet footer. */
export interface DataColumns {
  readonly format: 'csv' | 'parquet';
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  /** CSV: the types are guessed from the first rows. */
  readonly inferred: boolean;
}

/** What cross-file rules, hover, completion and navigation ask of the workspace. */
export interface WorkspaceView {
  definitions<K extends DefinitionKind>(kind: K, name: string): readonly Located<DefinitionOf[K]>[];
  /** Every defined name of a kind, sorted. */
  names(kind: DefinitionKind): readonly string[];
  /** "; did you mean `x`?" over the names of a kind, memoised until the names change. */
  didYouMean(kind: DefinitionKind, name: string): string;
  /** The pipeline file at a decoded absolute path. */
  pipelineAt(path: string): Located<PipelineSummary> | undefined;
  pipelines(): readonly Located<PipelineSummary>[];
  file(uri: string): FileSummary | undefined;
  /** The 1-based line of an offset in an indexed file. */
  lineOf(uri: string, offset: number): number | undefined;
  /** The 0-based line and character of an offset in an indexed file, as LSP counts them. */
  positionOf(uri: string, offset: number): { line: number; character: number } | undefined;
  /** Files that use a definition: views for entities and sources, services for views and fields. */
  users(kind: DefinitionKind, name: string): readonly string[];
  /** Every indexed file of a kind (monitors, to follow a pipeline's renamed param). */
  summaries(kind: DocumentKind): readonly FileSummary[];
}
