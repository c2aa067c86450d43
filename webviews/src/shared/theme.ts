// Theme colours for canvas drawing. CSS reads var(--vscode-*) by itself; a canvas (chart.js) needs
// the resolved values, read here and read again whenever VS Code switches the theme (it changes the
// body's class: vscode-light, vscode-dark, vscode-high-contrast...).
import type { RunColor } from '../../../common/src/charts/runColors';

export interface ThemeColors {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  tooltipBackground: string;
  tooltipBorder: string;
  font: string;
  /** `--vscode-charts-<name>` for each run colour. */
  runs: Record<RunColor, string>;
}

const FALLBACK_RUNS: Record<RunColor, string> = {
  blue: '#3794ff',
  orange: '#d18616',
  green: '#89d185',
  purple: '#b180d7',
  red: '#f14c4c',
  yellow: '#cca700',
};

/** The value of a `--vscode-*` variable on the body, or `fallback` when the theme does not set it. */
export function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

export function themeColors(): ThemeColors {
  const runs = {} as Record<RunColor, string>;
  for (const [name, fallback] of Object.entries(FALLBACK_RUNS) as [RunColor, string][])
    runs[name] = cssVar(`--vscode-charts-${name}`, fallback);
  return {
    foreground: cssVar('--vscode-editor-foreground', cssVar('--vscode-foreground', '#cccccc')),
    muted: cssVar('--vscode-descriptionForeground', '#999999'),
    grid: cssVar('--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    background: cssVar('--vscode-editor-background', '#1e1e1e'),
    tooltipBackground: cssVar('--vscode-editorHoverWidget-background', '#252526'),
    tooltipBorder: cssVar('--vscode-editorHoverWidget-border', '#454545'),
    font: cssVar('--vscode-font-family', 'sans-serif'),
    runs,
  };
}

/** Calls `apply` with fresh colours whenever the theme changes; returns a function that stops it. */
export function onThemeChange(apply: (colors: ThemeColors) => void): () => void {
  const observer = new MutationObserver(() => apply(themeColors()));
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
  return () => observer.disconnect();
}

/** `color` at `alpha` opacity, for hex (#rgb, #rrggbb, #rrggbbaa) and rgb()/rgba() colours. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3,8})$/i.exec(color)?.[1];
  if (hex) {
    const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/i.exec(color);
  return rgb ? `rgba(${rgb[1]!.trim()}, ${rgb[2]!.trim()}, ${rgb[3]!.trim()}, ${alpha})` : color;
}
