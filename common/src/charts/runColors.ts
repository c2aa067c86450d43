/**
 * Run colours: a run keeps one colour everywhere (every chart, both panels, the Experiments tree),
 * chosen from its id alone. The six colours are VS Code's theme chart colours, so they follow the
 * theme: `charts.blue` is `--vscode-charts-blue` in a webview and `new ThemeColor('charts.blue')`
 * in a tree. Ids are hashed into twelve styles: the six colours, solid or dashed (charts only).
 */
export const RUN_COLORS = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'] as const;
export type RunColor = (typeof RUN_COLORS)[number];

export interface RunStyle {
  /** One of RUN_COLORS: the theme colour `charts.<color>`. */
  color: RunColor;
  /** Charts draw the second half of the styles dashed, so runs sharing a colour still differ. */
  dashed: boolean;
}

/** FNV-1a over the id's UTF-16 code units: small, stable, and spreads similar ids apart. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function runStyle(runId: string): RunStyle {
  const style = hash(runId) % (RUN_COLORS.length * 2);
  return { color: RUN_COLORS[style % RUN_COLORS.length]!, dashed: style >= RUN_COLORS.length };
}
