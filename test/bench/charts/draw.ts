// Charts benchmark 2 (issue 8, "Speed"): 10 runs x 2,000 points of one metric drawn by the metrics
// panel in Chromium, in a real VS Code through the end-to-end harness (goal <= 500 ms). The page
// times its own drawing (chart.js updates of every chart until each has its data) and exposes it
// as data attributes; redraws (log scale, smoothing) are timed around the control's event.
// Prints figures, asserts nothing.
// Usage: bash test/e2e/setup.sh && npm run package && npx tsx test/bench/charts/draw.ts
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { pickRunsFromPalette, readMetricsPage, seedRuns, webviewFrame } from '../../e2e/chartFrames';
import { fixtureWorkspace, launchWorkbench, packagedVsix } from '../../e2e/harness';

const RUNS = 10;
const POINTS = 2000;
const line = (label: string, value: string) => console.log(`  ${label.padEnd(60)} ${value}`);

async function main(): Promise<void> {
  console.log(
    `charts draw benchmark; machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const workspace = fixtureWorkspace('test/fixtures/e2e-tracking', 'mlops-bench-charts-');
  const names = Array.from({ length: RUNS }, (_, i) => `bench-run-${i}`);
  await seedRuns(
    workspace,
    names.map((name) => ({ name, experiment: 'bench', metrics: { loss: POINTS } })),
  );
  const wb = await launchWorkbench({ vsix: packagedVsix(), workspace, name: 'bench-charts' });
  try {
    await wb.openFile('register.pipeline.yaml');
    await wb.waitFor('the tracking status bar item', async () => (await wb.statusBarTexts()).some((t) => t.includes('Tracking')), 60_000);
    await pickRunsFromPalette(wb, 'MLOps: Show Metrics Charts', names);
    const frame = await webviewFrame(wb, 'the metrics panel to draw', 'body[data-draw-ms]', 60_000);
    const page = await readMetricsPage(frame);
    const chart = page.charts[0]!;
    line('series x points drawn', `${chart.datasets.length} x ${Number(page.points) / chart.datasets.length} (${page.points} points)`);
    line('first draw in Chromium (chart.js, all charts)', `${page.drawMs} ms`);
    line('panel opened -> drawn (host queries through the worker included)', `${page.loadMs} ms`);
    const timeControl = (selector: string, act: 'click' | 'input', value?: string) =>
      frame.evaluate(
        ({ selector, act, value }) => {
          const input = document.querySelector<HTMLInputElement>(selector)!;
          const started = performance.now();
          if (act === 'click') input.click();
          else {
            input.value = value!;
            input.dispatchEvent(new Event('input'));
          }
          return performance.now() - started;
        },
        { selector, act, value },
      );
    const samples: number[] = [];
    for (let i = 0; i < 6; i++) samples.push(await timeControl('input[type=checkbox]', 'click'));
    samples.sort((a, b) => a - b);
    line('redraw on log scale toggle (median of 6)', `${samples[3]!.toFixed(1)} ms`);
    const smooth: number[] = [];
    for (const v of ['0.6', '0.8', '0.9', '0.5', '0.7', '0.95']) smooth.push(await timeControl('input[type=range]', 'input', v));
    smooth.sort((a, b) => a - b);
    line('redraw on smoothing change, raw + smoothed lines (median of 6)', `${smooth[3]!.toFixed(1)} ms`);
    await wb.screenshot('draw');
  } finally {
    await wb.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

void main();
