/**
 * Line charts as standalone SVG text, for docs/benchmarks/*.svg: axes with "nice" ticks (1, 2, 5
 * times a power of ten), an optional log scale on either axis, one polyline with markers per
 * series (ours first, then the anchors), a legend, and every label XML-escaped. Pure: no I/O.
 */

export interface Series {
  readonly name: string;
  /** [x, y] pairs; pairs with a non-finite or (on a log axis) non-positive coordinate are left out. */
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly logX?: boolean;
  readonly logY?: boolean;
  readonly width?: number;
  readonly height?: number;
}

export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
  readonly log: boolean;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** The step of about `count` intervals over `span`: 1, 2 or 5 times a power of ten. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

/** A linear axis covering [lo, hi], its ends on ticks; zero included when every value is positive and near it. */
export function linearAxis(lo: number, hi: number, count = 5): Axis {
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return { min: 0, max: 1, ticks: [0, 1], log: false };
  if (lo > 0 && lo < hi / 2) lo = 0;
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) / 2;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, count);
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; min + i * step <= max + step * 1e-9; i++) ticks.push(Number((min + i * step).toPrecision(12)));
  return { min, max, ticks, log: false };
}

/** A log axis from the power of ten at or below lo to the one at or above hi; 2 and 5 ticks too over at most two decades. */
export function logAxis(lo: number, hi: number): Axis {
  if (!(lo > 0 && hi > 0 && Number.isFinite(lo) && Number.isFinite(hi))) return { min: 1, max: 10, ticks: [1, 10], log: true };
  const a = Math.floor(Math.log10(lo) + 1e-9);
  let b = Math.ceil(Math.log10(hi) - 1e-9);
  if (a === b) b += 1;
  const ticks: number[] = [];
  for (let e = a; e <= b; e++) {
    const p = Number((10 ** e).toPrecision(12));
    ticks.push(p);
    if (b - a <= 2 && e < b) ticks.push(Number((2 * p).toPrecision(12)), Number((5 * p).toPrecision(12)));
  }
  return { min: 10 ** a, max: 10 ** b, ticks, log: true };
}

/** 1,500 as "1.5k", 2,000,000 as "2M", 0.25 as "0.25". */
export function formatTick(value: number): string {
  const abs = Math.abs(value);
  const trim = (x: number) => String(Number(x.toPrecision(3)));
  if (abs >= 1e9) return `${trim(value / 1e9)}G`;
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e3) return `${trim(value / 1e3)}k`;
  return trim(value);
}

function usable(series: readonly Series[], logX: boolean, logY: boolean): [number, number][][] {
  return series.map((s) =>
    s.points
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!logX || x > 0) && (!logY || y > 0))
      .map(([x, y]) => [x, y] as [number, number])
      .sort((p, q) => p[0] - q[0]),
  );
}

/** Both axes for the data (what `lineChart` draws). */
export function chartAxes(spec: ChartSpec): { x: Axis; y: Axis } {
  const points = usable(spec.series, !!spec.logX, !!spec.logY).flat();
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const range = (v: number[]) => (v.length ? [Math.min(...v), Math.max(...v)] : [NaN, NaN]) as [number, number];
  const [x0, x1] = range(xs);
  const [y0, y1] = range(ys);
  return { x: spec.logX ? logAxis(x0, x1) : linearAxis(x0, x1), y: spec.logY ? logAxis(y0, y1) : linearAxis(y0, y1) };
}

const fixed = (v: number) => Number(v.toFixed(1));

export function lineChart(spec: ChartSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 400;
  const margin = { left: 72, right: 24, top: 44, bottom: 86 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const { x, y } = chartAxes(spec);
  const scale = (axis: Axis, v: number, size: number) => {
    const t = axis.log
      ? (Math.log10(v) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min))
      : (v - axis.min) / (axis.max - axis.min);
    return t * size;
  };
  const px = (v: number) => fixed(margin.left + scale(x, v, plotW));
  const py = (v: number) => fixed(margin.top + plotH - scale(y, v, plotH));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(spec.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${fixed(width / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(spec.title)}</text>`,
  );
  for (const t of x.ticks) {
    const at = px(t);
    out.push(
      `<line x1="${at}" y1="${margin.top}" x2="${at}" y2="${margin.top + plotH}" stroke="#e5e5e5"/>`,
      `<text x="${at}" y="${margin.top + plotH + 18}" text-anchor="middle">${escapeXml(formatTick(t))}</text>`,
    );
  }
  for (const t of y.ticks) {
    const at = py(t);
    out.push(
      `<line x1="${margin.left}" y1="${at}" x2="${margin.left + plotW}" y2="${at}" stroke="#e5e5e5"/>`,
      `<text x="${margin.left - 8}" y="${fixed(at + 4)}" text-anchor="end">${escapeXml(formatTick(t))}</text>`,
    );
  }
  out.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333333"/>`,
    `<text x="${fixed(margin.left + plotW / 2)}" y="${margin.top + plotH + 40}" text-anchor="middle">${escapeXml(spec.xLabel + (spec.logX ? ' (log scale)' : ''))}</text>`,
    `<text transform="translate(18 ${fixed(margin.top + plotH / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel + (spec.logY ? ' (log scale)' : ''))}</text>`,
  );
  const data = usable(spec.series, !!spec.logX, !!spec.logY);
  spec.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const pts = data[i]!;
    if (pts.length > 1)
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2"${i > 0 ? ' stroke-dasharray="6 3"' : ''} points="${pts.map(([a, b]) => `${px(a)},${py(b)}`).join(' ')}"/>`,
      );
    for (const [a, b] of pts)
      out.push(
        `<circle cx="${px(a)}" cy="${py(b)}" r="3.5" fill="${color}"><title>${escapeXml(`${s.name}: ${formatTick(a)}, ${formatTick(b)}`)}</title></circle>`,
      );
    // Legend: one row under the x-axis label.
    const lx = margin.left + i * Math.floor(plotW / Math.max(spec.series.length, 1));
    const ly = height - 16;
    out.push(
      `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${i > 0 ? ' stroke-dasharray="6 3"' : ''}/>`,
      `<text x="${lx + 28}" y="${ly}">${escapeXml(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
