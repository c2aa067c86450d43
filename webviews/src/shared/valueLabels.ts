// A chart.js plugin of our own that writes each bar's value above it (inside its top when the bar
// reaches the chart's top). Passed inline to the charts that want it; `canvas.dataset.valueLabels`
// records what it drew (text and position), which tests read instead of pixels.
import type { Chart, Plugin } from 'chart.js';

export interface ValueLabelOptions {
  /** The text for the value at `index` of dataset `datasetIndex`. */
  format(datasetIndex: number, index: number): string;
  color: string;
  font: string;
}

export function valueLabels(options: () => ValueLabelOptions): Plugin<'bar'> {
  return {
    id: 'mlopsValueLabels',
    afterDatasetsDraw(chart: Chart<'bar'>) {
      const { ctx, chartArea } = chart;
      const { format, color, font } = options();
      const drawn: { text: string; x: number; y: number }[] = [];
      ctx.save();
      ctx.font = font;
      ctx.fillStyle = color;
      ctx.textAlign = 'center';
      chart.data.datasets.forEach((_dataset, datasetIndex) => {
        const meta = chart.getDatasetMeta(datasetIndex);
        if (meta.hidden) return;
        meta.data.forEach((bar, index) => {
          const text = format(datasetIndex, index);
          if (!text) return;
          const { x, y, base } = bar.getProps(['x', 'y', 'base'], true) as { x: number; y: number; base: number };
          const up = y <= base;
          // Above a rising bar (into the chart's top padding if need be), below a falling one; inside
          // the bar's end when there is no room.
          let ty = up ? y - 4 : y + 4;
          ctx.textBaseline = up ? 'bottom' : 'top';
          if (up && ty - 12 < 0) {
            ty = y + 4;
            ctx.textBaseline = 'top';
          } else if (!up && ty + 12 > chartArea.bottom) {
            ty = y - 4;
            ctx.textBaseline = 'bottom';
          }
          ctx.fillText(text, x, ty);
          drawn.push({ text, x: Math.round(x), y: Math.round(ty) });
        });
      });
      ctx.restore();
      chart.canvas.dataset['valueLabels'] = JSON.stringify(drawn);
    },
  };
}
