// chart.js for every chart page (metrics, compare, and any later report): the parts registered
// once, zoom and pan from chartjs-plugin-zoom, theme colours applied and re-applied on theme change,
// and a background painter so an exported PNG is not transparent. chart.js draws on a canvas and
// needs neither eval nor inline styles, so it runs under the pages' nonce CSP.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type ChartOptions,
  type Plugin,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import { DASH_PATTERNS, type RunStyle } from '../../../common/src/charts/runColors';
import type { ThemeColors } from './theme';

/** Paints the canvas with `options.plugins.mlopsBackground.color` before drawing. */
const backgroundPlugin: Plugin = {
  id: 'mlopsBackground',
  beforeDraw(chart, _args, options: { color?: string }) {
    if (!options.color) return;
    const { ctx } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = options.color;
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

let registered = false;
/** Registers the chart.js parts the pages use (tree-shaken: nothing else is bundled). */
export function registerCharts(): void {
  if (registered) return;
  registered = true;
  Chart.register(
    LineController,
    ScatterController,
    LineElement,
    PointElement,
    LinearScale,
    LogarithmicScale,
    Tooltip,
    Legend,
    zoomPlugin,
    backgroundPlugin,
  );
}

export { Chart };

let barsRegistered = false;
/** The parts of bar charts (histograms) too, registered once. */
export function registerBarCharts(): void {
  if (barsRegistered) return;
  barsRegistered = true;
  registerCharts();
  Chart.register(BarController, BarElement, CategoryScale);
}

/** A bar chart's options: the theme's, no animation, the height of its box, and `extra` merged in deeply. */
export function barOptions(colors: ThemeColors, extra: Record<string, unknown>): ChartConfiguration<'bar'>['options'] {
  const options = { ...themeOptions(colors), animation: false, maintainAspectRatio: false } as Record<string, unknown>;
  mergeOptions(options, extra);
  return options as ChartConfiguration<'bar'>['options'];
}

/** The line colour and dash of a run. */
export function runLine(style: RunStyle, colors: ThemeColors): { borderColor: string; backgroundColor: string; borderDash: number[] } {
  const color = colors.runs[style.color];
  return { borderColor: color, backgroundColor: color, borderDash: [...(DASH_PATTERNS[style.dash ?? (style.dashed ? 1 : 0)] ?? [])] };
}

/** Axis, legend and tooltip colours from the theme; merged into a chart's options. */
export function themeOptions(colors: ThemeColors): ChartOptions<'line'> {
  // One object per axis: a caller merging options into one axis must not change the other.
  const axis = () => ({
    ticks: { color: colors.muted },
    grid: { color: colors.grid },
    border: { color: colors.grid },
    title: { color: colors.muted },
  });
  return {
    color: colors.foreground,
    font: { family: colors.font },
    scales: { x: axis(), y: axis() },
    plugins: {
      legend: { labels: { color: colors.foreground } },
      tooltip: {
        backgroundColor: colors.tooltipBackground,
        borderColor: colors.tooltipBorder,
        borderWidth: 1,
        titleColor: colors.foreground,
        bodyColor: colors.foreground,
      },
      // the background plugin's own options
      mlopsBackground: { color: colors.background },
    },
  } as ChartOptions<'line'>;
}

/** Applies theme colours to a live chart without animation (scales, legend, tooltip, background). */
export function applyTheme(chart: Chart, colors: ThemeColors): void {
  mergeOptions(chart.options as Record<string, unknown>, themeOptions(colors) as Record<string, unknown>);
  chart.update('none');
}

/** Deep-merges plain option objects (arrays and functions are replaced, not merged). */
export function mergeOptions(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    if (value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object')
      mergeOptions(current as Record<string, unknown>, value as Record<string, unknown>);
    else target[key] = value;
  }
}

/** A number for axis ticks and tooltips: short, without float noise. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-4)) return value.toExponential(3);
  return String(Number(value.toPrecision(6)));
}

/** Wall-clock time of an epoch-ms value, as the locale shows it. */
export function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString();
}

/** Seconds as 1h02m, 3m05s or 12.5s. */
export function formatSeconds(seconds: number): string {
  const s = Math.abs(seconds);
  const sign = seconds < 0 ? '-' : '';
  if (s >= 3600) return `${sign}${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${sign}${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${sign}${Number(s.toPrecision(3))}s`;
}

/** The legend's class for a run's line pattern: ` dashed`, ` dotted`, or none for a solid line. */
export function dashClass(style: RunStyle): string {
  const dash = style.dash ?? (style.dashed ? 1 : 0);
  return dash === 2 ? ' dotted' : dash === 1 ? ' dashed' : '';
}
