import type { ChartConfiguration, Plugin } from 'chart.js';
import { binLabel } from '../../../common/src/charts/niceBins';
import type { PreviewColumn } from '../../../common/src/features/preview';
import { applyTheme, barOptions, Chart, registerBarCharts } from '../shared/charts';
import { el } from '../shared/host';
import { onThemeChange, themeColors, withAlpha } from '../shared/theme';

// One bar chart per numeric field of the preview: counts per bin of a nice scale.

const live: Chart[] = [];
let stopTheme: (() => void) | undefined;

/** Marks the figure with the number of bars painted with a height, after each draw (what the e2e test reads). */
const barsDrawn: Plugin<'bar'> = {
  id: 'mlopsBarsDrawn',
  afterRender(chart) {
    const bars = chart.getDatasetMeta(0).data.filter((bar) => Math.abs((bar as unknown as { height: number }).height) > 0.5).length;
    chart.canvas.closest('figure')?.setAttribute('data-bars-drawn', String(bars));
  },
};

export function clearHistograms(): void {
  for (const chart of live.splice(0)) chart.destroy();
  stopTheme?.();
  stopTheme = undefined;
}

/** A box per numeric column, each with its canvas, drawn into `into`. */
export function drawHistograms(into: HTMLElement, columns: readonly PreviewColumn[]): void {
  clearHistograms();
  registerBarCharts();
  const colors = themeColors();
  const boxes: HTMLElement[] = [];
  const pending: { canvas: HTMLCanvasElement; config: ChartConfiguration<'bar'> }[] = [];
  for (const column of columns) {
    const h = column.histogram;
    if (!h || h.counts.length === 0) continue;
    const box = el('figure', 'chart');
    box.setAttribute('data-field', column.name);
    box.setAttribute('data-bins', String(h.counts.length));
    const canvas = el('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `Histogram of ${column.name}`);
    const frame = el('div', 'canvas-box');
    frame.append(canvas);
    box.append(el('figcaption', undefined, `${column.name}${column.dtype ? ` (${column.dtype})` : ''}`), frame);
    boxes.push(box);
    const config: ChartConfiguration<'bar'> = {
      type: 'bar',
      data: {
        labels: h.counts.map((_, i) => binLabel(h.edges[i]!, h.edges[i + 1]!, h.step, h.integer)),
        datasets: [
          {
            label: 'rows',
            data: [...h.counts],
            backgroundColor: withAlpha(colors.runs.blue, 0.6),
            borderColor: colors.runs.blue,
            borderWidth: 1,
            barPercentage: 1,
            categoryPercentage: 1,
          },
        ],
      },
      options: barOptions(colors, {
        plugins: { legend: { display: false } },
        scales: {
          x: { ticks: { maxRotation: 45, autoSkip: true } },
          y: { beginAtZero: true, title: { display: true, text: 'rows' } },
        },
      }),
    };
    pending.push({ canvas, config });
  }
  // In the page first: chart.js sizes a chart from its box, which a detached canvas does not have.
  into.replaceChildren(...(boxes.length ? boxes : [el('p', 'note', 'No numeric fields to draw.')]));
  for (const { canvas, config } of pending)
    live.push(new Chart(canvas, { ...config, plugins: [barsDrawn] } as unknown as ChartConfiguration));
  stopTheme = onThemeChange((c) => {
    for (const chart of live) {
      const dataset = chart.data.datasets[0]!;
      dataset.backgroundColor = withAlpha(c.runs.blue, 0.6);
      dataset.borderColor = c.runs.blue;
      applyTheme(chart, c);
    }
  });
}
