// Pipeline graph benchmark: the graph page (webviews/out/graph.js, media/graph.css) in Chromium
// with 500 steps (20 lanes of 25): the first drawing (layout and SVG), a run state for every
// step (all running, so elapsed times tick), an edit that adds a step (positions kept), one that
// changes no step or edge (typing in a `run`: nothing is redrawn), and pan
// frames. Each figure is the time until the next animation frame after the message or the pan.
// Prints figures, asserts nothing. Usage: npm run build && npx tsx test/bench/graph/draw.ts
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { pipelineGraph } from '../../../common/src/pipeline/graph';
import type { GraphHostMessage, GraphRunState } from '../../../common/src/protocol/graphMessages';
import { parse } from '../../helpers/documents';

const ROOT = path.resolve(__dirname, '../../..');
const lines = ['pipeline: big', 'steps:'];
for (let i = 0; i < 500; i++) {
  lines.push(`  s${i}:`, `    run: echo ${i}`);
  if (i >= 20) lines.push(`    needs: [s${i - 20}${i % 20 ? `, s${i - 21}` : ''}]`);
}
const text = `${lines.join('\n')}\n`;
const graph = pipelineGraph(parse(text));
const grown = pipelineGraph(parse(`${text}  extra:\n    needs: [s7]\n    run: x\n`));
const typed = pipelineGraph(parse(`${text}  extra:\n    needs: [s7]\n    run: xy\n`));
const now = Date.now();
const running: GraphRunState = {
  run: { runId: 'r1', name: 'bench-run', status: 'RUNNING', startTime: now },
  steps: Object.fromEntries(graph.nodes.map((n) => [n.id, { state: 'running' as const, startTime: now, hasLog: true }])),
  mutedEdges: [],
  now,
};
const runState: GraphHostMessage = { type: 'runState', payload: running };

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const html = `<!DOCTYPE html><html><head><style>${readFileSync(path.join(ROOT, 'media/graph.css'), 'utf8')}</style></head>
<body><main id="root"></main><script>window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });</script></body></html>`;
    await page.setContent(html);
    await page.addScriptTag({ content: readFileSync(path.join(ROOT, 'webviews/out/graph.js'), 'utf8') });
    const timed = (message: GraphHostMessage) =>
      page.evaluate(
        (data) =>
          new Promise<number>((resolve) => {
            const start = performance.now();
            window.dispatchEvent(new MessageEvent('message', { data }));
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
          }),
        message,
      );
    const line = (label: string, ms: number) => console.log(`  ${label.padEnd(58)} ${ms.toFixed(1)} ms`);
    console.log(`${graph.nodes.length} steps, ${graph.edges.length} edges, in Chromium`);
    line('first drawing (layout, SVG, fit)', await timed({ type: 'graph', payload: { file: 'big.pipeline.yaml', graph } }));
    line('run state of every step (all running)', await timed(runState));
    line(
      'after an edit adding a step (positions kept)',
      await timed({ type: 'graph', payload: { file: 'big.pipeline.yaml', graph: grown } }),
    );
    line(
      'after typing in a run command (same steps and edges)',
      await timed({ type: 'graph', payload: { file: 'big.pipeline.yaml', graph: typed } }),
    );
    const panFrame = async () =>
      // A string, not a function: tsx would wrap the helpers below in its __name(), unknown in the page.
      (await page.evaluate(`new Promise((resolve) => {
        const canvas = document.querySelector('.canvas');
        const box = canvas.getBoundingClientRect();
        function at(x, type) {
          canvas.dispatchEvent(new PointerEvent(type, { clientX: x, clientY: box.top + 10, pointerId: 1, button: 0, bubbles: true }));
        }
        at(box.left + 10, 'pointerdown');
        const start = performance.now();
        let frames = 0;
        function step() {
          at(box.left + 10 + ++frames * 5, 'pointermove');
          if (frames < 60) requestAnimationFrame(step);
          else {
            at(box.left + 10 + frames * 5, 'pointerup');
            resolve((performance.now() - start) / frames);
          }
        }
        requestAnimationFrame(step);
      })`)) as number;
    const nodes = await page.locator('g.node').count();
    line(`pan, every step running (animated): mean frame of 60`, await panFrame());
    const finished = {
      ...running,
      steps: Object.fromEntries(
        Object.keys(running.steps).map((id) => [id, { state: 'succeeded' as const, startTime: now, endTime: now + 1500, hasLog: true }]),
      ),
    };
    await timed({ type: 'runState', payload: finished });
    line(`pan, every step succeeded: mean frame of 60 (${nodes} nodes)`, await panFrame());
  } finally {
    await browser.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
