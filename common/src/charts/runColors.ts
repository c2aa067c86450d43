/**
 * Run colours: a run keeps one colour everywhere (every chart, both panels, the Experiments tree),
 * chosen from its id alone. The six colours are VS Code's theme chart colours, so they follow the
 * theme: `charts.blue` is `--vscode-charts-blue` in a webview and `new ThemeColor('charts.blue')`
 * in a tree. Ids are hashed into twelve styles: the six colours, solid or dashed (charts only).
 * Within one panel, `panelStyles` gives the runs distinct styles instead (see there).
 */
export const RUN_COLORS = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'] as const;
export type RunColor = (typeof RUN_COLORS)[number];

export interface RunStyle {
  /** One of RUN_COLORS: the theme colour `charts.<color>`. */
  color: RunColor;
  /** Charts draw the second half of the styles dashed, so runs sharing a colour still differ. */
  dashed: boolean;
  /** The line's pattern: 0 solid, 1 dashed, 2 dotted (panelStyles: after every six runs, the next). */
  dash?: number;
}

/** The dash pattern of each `dash` value, for chart.js's borderDash. */
export const DASH_PATTERNS: readonly (readonly number[])[] = [[], [6, 3], [2, 3]];

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

/**
 * Styles for the runs of one panel: distinct colours in order (oldest run first, then by id), the
 * six theme colours, then the same six dashed, then dotted. The same set of runs gets the same
 * styles in every panel, whatever order the panel lists them in.
 */
export function panelStyles(runs: readonly { readonly runId: string; readonly startTime?: number }[]): Map<string, RunStyle> {
  const ordered = [...new Map(runs.map((r) => [r.runId, r])).values()].sort(
    (a, b) => (a.startTime ?? 0) - (b.startTime ?? 0) || (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0),
  );
  return new Map(
    ordered.map((r, i) => {
      const dash = Math.floor(i / RUN_COLORS.length) % DASH_PATTERNS.length;
      return [r.runId, { color: RUN_COLORS[i % RUN_COLORS.length]!, dashed: dash > 0, dash }];
    }),
  );
}
