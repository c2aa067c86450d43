/** The three document kinds of docs/formats.md (section Recognition), recognised by file name only. */
export type DocumentKind = 'pipeline' | 'features' | 'monitor';

export interface KindInfo {
  readonly kind: DocumentKind;
  /** VS Code language id contributed by the extension. */
  readonly languageId: string;
  /** Human name shown in the status bar's language mode. */
  readonly label: string;
  readonly pattern: RegExp;
}

export const KINDS: readonly KindInfo[] = [
  { kind: 'pipeline', languageId: 'mlops-pipeline', label: 'MLOps Pipeline', pattern: /\.pipeline\.ya?ml$/i },
  { kind: 'features', languageId: 'mlops-features', label: 'MLOps Features', pattern: /\.features\.ya?ml$/i },
  { kind: 'monitor', languageId: 'mlops-monitor', label: 'MLOps Monitor', pattern: /\.monitor\.ya?ml$/i },
];

/** Folders that are never indexed or validated in bulk. */
export const IGNORED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.venv', 'venv', '.git', '.mlops']);

/** The kind of a file from its name or URI, or undefined when it is none of ours. */
export function kindOfPath(pathOrUri: string): DocumentKind | undefined {
  const name =
    pathOrUri
      .replace(/[?#].*$/, '')
      .split(/[\\/]/)
      .pop() ?? '';
  return KINDS.find((k) => k.pattern.test(name))?.kind;
}

export function kindOfLanguageId(languageId: string): DocumentKind | undefined {
  return KINDS.find((k) => k.languageId === languageId)?.kind;
}

export function kindInfo(kind: DocumentKind): KindInfo {
  const info = KINDS.find((k) => k.kind === kind);
  if (!info) throw new Error(`unknown document kind ${kind}`);
  return info;
}
