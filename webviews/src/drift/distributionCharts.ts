import { rangeLabels } from '../../../common/src/charts/niceBins';
import type { ChartConfiguration, Plugin } from 'chart.js';
import type { ColumnDistribution, MonitorColumnResult } from '../../../common/src/monitor/result';
import { applyTheme, barOptions, Chart, formatNumber, registerBarCharts, themeOptions } from '../shared/charts';
import { el } from '../shared/host';
import { onThemeChange, themeColors, withAlpha, type ThemeColors } from '../shared/theme';

/**
 * Reference against current for one column: overlaid histograms (shares per
 * Sturges bin, or per category) and, for numbers, both ECDFs with the KS
 * distance drawn where it occurs.
 */
const live: Chart[] = [];
let stopTheme: (() => void) | undefined;

/** Destroys the charts of the previous render. */
export function clearCharts(): void {
  for (const chart of live.splice(0)) chart.destroy();
  stopTheme?.();
  stopTheme = undefined;
}

const shares = (counts: readonly number[]) => {
  const total = counts.reduce((a, b) => a + b, 0) || 1;
  return counts.map((c) => c / total);
};

/** The KS gap: a vertical segment between the two ECDFs at the location, labelled with D. */
function gapPlugin(gap: Extract<ColumnDistribution, { kind: 'numeric' }>['gap'], color: () => string): Plugin<'line'> {
  return {
    id: 'mlopsKsGap',
    afterDatasetsDraw(chart) {
      const x = chart.scales.x!.getPixelForValue(gap.location);
      const y1 = chart.scales.y!.getPixelForValue(gap.reference);
      const y2 = chart.scales.y!.getPixelForValue(gap.current);
      const { ctx } = chart;
      ctx.save();
      ctx.strokeStyle = color();
      ctx.fillStyle = color();
      ctx.lineWidth = 2;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(x, y1);
      ctx.lineTo(x, y2);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.font = '11px sans-serif';
      ctx.fillText(`D = ${gap.distance.toFixed(3)} at ${formatNumber(gap.location)}`, x + 6, (y1 + y2) / 2);
      ctx.restore();
    },
  };
}

function canvasBox(className: string, label: string): { box: HTMLElement; canvas: HTMLCanvasElement } {
  const box = el('div', `chart ${className}`);
  const canvas = el('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  box.append(canvas);
  return { box, canvas };
}

/** Draws the charts of `column` into `into` (replacing what was there). */
export function drawDistribution(into: HTMLElement, column: MonitorColumnResult): void {
  clearCharts();
  const d = column.distribution;
  if (!d) {
    into.replaceChildren(el('p', 'note', 'No distribution was stored with this check.'));
    return;
  }
  registerBarCharts();
  const colors = themeColors();
  const referenceColor = (c: ThemeColors) => c.runs.blue;
  const currentColor = (c: ThemeColors) => c.runs.orange;
  const hist = canvasBox('histogram', `Histogram of ${column.column}, reference against current`);
  const parts: HTMLElement[] = [hist.box];
  const labels =
    d.kind === 'numeric' ? rangeLabels(d.edges).slice(0, d.reference.length) : [...d.categories, ...(d.other ? ['(other)'] : [])];
  const refCounts = d.kind === 'numeric' ? d.reference : [...d.reference, ...(d.other ? [d.other.reference] : [])];
  const curCounts = d.kind === 'numeric' ? d.current : [...d.current, ...(d.other ? [d.other.current] : [])];
  const barConfig: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: 'reference',
          data: shares(refCounts),
          backgroundColor: withAlpha(referenceColor(colors), 0.55),
          borderColor: referenceColor(colors),
          borderWidth: 1,
          grouped: false,
          barPercentage: 1,
          categoryPercentage: 1,
        },
        {
          label: 'current',
          data: shares(curCounts),
          backgroundColor: withAlpha(currentColor(colors), 0.45),
          borderColor: currentColor(colors),
          borderWidth: 1,
          grouped: false,
          barPercentage: 1,
          categoryPercentage: 1,
        },
      ],
    },
    options: barOptions(colors, {
      plugins: { title: { display: false } },
      scales: {
        x: { title: { display: true, text: column.column } },
        y: { title: { display: true, text: 'share of values' }, beginAtZero: true },
      },
    }),
  };
  if (d.kind === 'numeric') {
    const ecdf = canvasBox('ecdf', `ECDFs of ${column.column}, reference against current, with the KS distance`);
    ecdf.box.setAttribute('data-gap-location', String(d.gap.location));
    ecdf.box.setAttribute('data-gap-distance', String(d.gap.distance));
    parts.push(ecdf.box);
    into.replaceChildren(...parts);
    const points = (p: readonly (readonly [number, number])[]) => p.map(([x, y]) => ({ x, y }));
    let markColor = colors.foreground;
    const lineConfig: ChartConfiguration<'line'> = {
      type: 'line',
      data: {
        datasets: [
          {
            label: 'reference',
            data: points(d.ecdf.reference),
            borderColor: referenceColor(colors),
            backgroundColor: referenceColor(colors),
            stepped: 'after',
            pointRadius: 0,
            borderWidth: 2,
          },
          {
            label: 'current',
            data: points(d.ecdf.current),
            borderColor: currentColor(colors),
            backgroundColor: currentColor(colors),
            stepped: 'after',
            pointRadius: 0,
            borderWidth: 2,
          },
        ],
      },
      options: {
        ...themeOptions(colors),
        animation: false,
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: { ...(themeOptions(colors).scales!.x as object), type: 'linear', title: { display: true, text: column.column } },
          y: { ...(themeOptions(colors).scales!.y as object), min: 0, max: 1, title: { display: true, text: 'ECDF' } },
        },
      } as ChartConfiguration<'line'>['options'],
      plugins: [gapPlugin(d.gap, () => markColor)],
    };
    live.push(
      new Chart(hist.canvas, barConfig as unknown as ChartConfiguration),
      new Chart(ecdf.canvas, lineConfig as unknown as ChartConfiguration),
    );
    stopTheme = onThemeChange((c) => {
      markColor = c.foreground;
      for (const chart of live) applyTheme(chart, c);
    });
    return;
  }
  into.replaceChildren(...parts, el('p', 'note', 'Text column: category shares; an ECDF needs numbers.'));
  live.push(new Chart(hist.canvas, barConfig as unknown as ChartConfiguration));
  stopTheme = onThemeChange((c) => {
    for (const chart of live) applyTheme(chart, c);
  });
}
