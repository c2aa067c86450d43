import type { PipelineGraph } from '../../../common/src/pipeline/graph';
import type { GraphHostMessage, GraphRunState, GraphViewMessage, RunChoice, StepDetails } from '../../../common/src/protocol/graphMessages';
import { connectToHost, el, svg } from '../shared/host';
import { fitTransform, layoutGraph, type Layout, type Position } from './layout';
import { nodeLabel, stateLine } from './nodeText';
import { detailsLines } from './tooltipText';

const root = document.getElementById('root')!;
const host = connectToHost<GraphViewMessage, GraphHostMessage>(handle);

/** What is drawn: one SVG whose single `<g>` carries the pan and zoom. */
interface Drawing {
  readonly file: string;
  readonly graph: PipelineGraph;
  readonly layout: Layout;
  readonly svg: SVGSVGElement;
  readonly viewport: SVGGElement;
  readonly nodes: Map<string, { group: SVGGElement; status: SVGTextElement }>;
  readonly edges: Map<string, SVGPathElement>;
  /** What the drawing depends on: an edit that leaves it alone (most typing) redraws nothing. */
  readonly shape: string;
}

function shapeOf(graph: PipelineGraph): string {
  return JSON.stringify([graph.nodes.map((n) => n.id), graph.edges.map((e) => [e.from, e.to, e.kind, e.outputs])]);
}

let drawing: Drawing | undefined;
let runs: { runs: readonly RunChoice[]; selected: string; trackingOff?: string } = { runs: [], selected: 'latest' };
let runState: GraphRunState | null = null;
/** Host clock minus page clock: elapsed times count on the host's clock. */
let clockSkew = 0;
let tick: number | undefined;
/** Positions of the last drawing per file: kept while the file is edited. */
let positions: { file: string; at: Map<string, Position> } | undefined;
let view = { k: 1, x: 0, y: 0 };
let fitted = false;
/** The view was last set by a fit (not by panning or zooming): it fits again when the panel resizes. */
let autoFit: 'first' | 'fit' | undefined;

const header = el('header');
const title = el('h1');
const fileLabel = el('span', 'file');
const picker = el('select');
picker.id = 'run-picker';
picker.setAttribute('aria-label', 'Run shown on the graph');
picker.addEventListener('change', () => host.send({ type: 'selectRun', payload: { runId: picker.value } }));
const pickerLabel = el('label', 'control', 'Run ');
pickerLabel.append(picker);
const runSummary = el('span', 'run-summary');
const fitButton = el('button', undefined, 'Fit');
fitButton.type = 'button';
fitButton.title = 'Show the whole graph (F)';
fitButton.addEventListener('click', () => fit());
const relayoutButton = el('button', undefined, 'Re-layout');
relayoutButton.type = 'button';
relayoutButton.title = 'Lay every node out afresh';
relayoutButton.addEventListener('click', () => {
  positions = undefined;
  fitted = false;
  if (drawing) render(drawing.file, drawing.graph, true);
});
header.append(title, fileLabel, pickerLabel, runSummary, fitButton, relayoutButton);
const canvas = el('div', 'canvas');
canvas.tabIndex = 0;
canvas.setAttribute('aria-label', 'Pipeline graph: drag to pan, wheel or +/- to zoom, F to fit');
const tooltip = el('div', 'tooltip');
tooltip.setAttribute('role', 'tooltip');
tooltip.id = 'step-tooltip';
tooltip.hidden = true;
const menu = el('div', 'menu');
menu.setAttribute('role', 'menu');
menu.hidden = true;
const message = el('p', 'empty');
root.replaceChildren(header, message, canvas, tooltip, menu);

function handle(msg: GraphHostMessage): void {
  switch (msg.type) {
    case 'graph':
      message.textContent = '';
      render(msg.payload.file, msg.payload.graph);
      break;
    case 'problem':
      message.className = 'problem';
      message.textContent = msg.payload.message;
      break;
    case 'runs':
      runs = msg.payload;
      renderPicker();
      break;
    case 'runState':
      runState = msg.payload;
      if (runState) clockSkew = runState.now - Date.now();
      applyRunState();
      break;
    case 'stepDetails':
      if (tooltipStep === msg.payload.stepId) fillTooltip(msg.payload.stepId, msg.payload);
      break;
  }
}

// ---- drawing ----

const measureCanvas = document.createElement('canvas').getContext('2d');
function measure(text: string): number {
  if (!measureCanvas) return text.length * 8;
  return measureCanvas.measureText(text).width;
}

function render(file: string, graph: PipelineGraph, force = false): void {
  title.textContent = graph.pipeline ?? '(unnamed pipeline)';
  fileLabel.textContent = file;
  const shape = shapeOf(graph);
  if (!force && drawing?.file === file && drawing.shape === shape) {
    drawing = { ...drawing, graph };
    applyRunState();
    return;
  }
  hideTooltip();
  hideMenu();
  if (graph.nodes.length === 0) {
    message.className = 'empty';
    message.textContent = 'This pipeline has no steps yet. Add them under `steps:`.';
    canvas.replaceChildren();
    drawing = undefined;
    return;
  }
  if (measureCanvas) measureCanvas.font = getComputedStyle(document.body).font;
  const previous = positions?.file === file ? positions.at : undefined;
  if (!previous) fitted = false;
  const layout = layoutGraph(graph, measure, previous);
  positions = { file, at: new Map(layout.nodes.map((n) => [n.id, { x: n.x, y: n.y }])) };

  const drawingSvg = svg('svg', { class: 'graph', role: 'group' });
  drawingSvg.setAttribute('aria-label', `Step graph of ${graph.pipeline ?? 'the pipeline'}`);
  const defs = svg('defs');
  for (const [id, cls] of [
    ['arrow', 'arrow'],
    ['arrow-muted', 'arrow muted'],
  ] as const) {
    const marker = svg('marker', {
      id,
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: 'auto-start-reverse',
    });
    marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: cls }));
    defs.append(marker);
  }
  const viewport = svg('g', { class: 'viewport' });
  const edgeLayer = svg('g', { class: 'edges' });
  const nodeLayer = svg('g', { class: 'nodes' });
  viewport.append(edgeLayer, nodeLayer);
  drawingSvg.append(defs, viewport);

  const edges = new Map<string, SVGPathElement>();
  for (const edge of layout.edges) {
    const { start: a, end: b } = edge;
    const bend = Math.max(24, Math.abs(b.y - a.y) / 2);
    const d = `M ${a.x.toFixed(1)} ${a.y.toFixed(1)} C ${a.x.toFixed(1)} ${(a.y + bend).toFixed(1)} ${b.x.toFixed(1)} ${(b.y - bend).toFixed(1)} ${b.x.toFixed(1)} ${b.y.toFixed(1)}`;
    const path = svg('path', { d, class: `edge ${edge.kind}`, 'marker-end': 'url(#arrow)', 'data-from': edge.from, 'data-to': edge.to });
    path.append(svg('title', {}, edge.kind === 'data' ? `${edge.from} -> ${edge.to}: ${edge.label}` : `${edge.to} needs ${edge.from}`));
    edges.set(`${edge.from}\u0000${edge.to}`, path);
    edgeLayer.append(path);
  }
  const nodes = new Map<string, { group: SVGGElement; status: SVGTextElement }>();
  for (const node of layout.nodes) {
    const group = svg('g', {
      class: 'node',
      tabindex: 0,
      role: 'button',
      'data-step': node.id,
      'data-state': 'none',
      'aria-describedby': 'step-tooltip',
      transform: `translate(${(node.x - node.width / 2).toFixed(1)}, ${(node.y - node.height / 2).toFixed(1)})`,
    });
    group.append(svg('rect', { width: node.width, height: node.height, rx: 6, ry: 6 }));
    group.append(svg('text', { class: 'label', x: 12, y: 19 }, node.id));
    const status = svg('text', { class: 'status', x: 12, y: 38 }, '');
    group.append(status);
    nodes.set(node.id, { group, status });
    nodeLayer.append(group);
  }
  canvas.replaceChildren(drawingSvg);
  drawing = { file, graph, layout, svg: drawingSvg, viewport, nodes, edges, shape };
  if (!fitted) {
    fitted = true;
    fit(true);
  } else applyView();
  applyRunState();
}

function applyView(): void {
  drawing?.viewport.setAttribute('transform', `translate(${view.x.toFixed(1)} ${view.y.toFixed(1)}) scale(${view.k.toFixed(4)})`);
}

/** Shows the whole graph; the first drawing of a small graph stays at full size rather than blown up. */
function fit(first = false): void {
  if (!drawing) return;
  const box = canvas.getBoundingClientRect();
  view = fitTransform(drawing.layout, box.width || 800, box.height || 600, first ? 1 : 1.5);
  autoFit = first ? 'first' : 'fit';
  applyView();
}
new ResizeObserver(() => {
  if (autoFit) fit(autoFit === 'first');
}).observe(canvas);

// ---- run state ----

function renderPicker(): void {
  const options: HTMLOptionElement[] = [];
  const latest = el('option', undefined, runs.runs.length > 0 ? `Latest run (${runs.runs[0]!.name})` : 'Latest run');
  latest.value = 'latest';
  options.push(latest);
  for (const run of runs.runs) {
    const option = el(
      'option',
      undefined,
      `${run.name} · ${run.status.toLowerCase()}${run.startTime ? ` · ${new Date(run.startTime).toLocaleString()}` : ''}`,
    );
    option.value = run.runId;
    options.push(option);
  }
  picker.replaceChildren(...options);
  picker.value = runs.selected;
  picker.disabled = runs.runs.length === 0;
  picker.title = runs.trackingOff ?? (runs.runs.length === 0 ? 'This pipeline has not run yet' : '');
}

function elapsedNow(): number {
  return Date.now() + clockSkew;
}

function applyRunState(): void {
  if (!drawing) return;
  const state = runState;
  document.body.dataset['runId'] = state?.run.runId ?? '';
  runSummary.textContent = state
    ? `${state.run.name} · ${state.run.status.toLowerCase()}`
    : (runs.trackingOff ?? (runs.runs.length ? '' : 'not run yet'));
  const now = elapsedNow();
  let running = false;
  for (const [id, { group, status }] of drawing.nodes) {
    const step = state?.steps[id];
    // Only what changed is touched: a run update of 500 steps re-lays out a few texts, not all.
    const shown = step?.state ?? 'none';
    if (group.dataset['state'] !== shown) group.dataset['state'] = shown;
    const line = step ? stateLine(step, now) : state ? 'not in this run' : '';
    if (status.textContent !== line) status.textContent = line;
    const label = nodeLabel(id, step, now);
    if (group.getAttribute('aria-label') !== label) group.setAttribute('aria-label', label);
    running ||= step?.state === 'running';
  }
  const muted = new Set((state?.mutedEdges ?? []).map((e) => `${e.from}\u0000${e.to}`));
  for (const [key, path] of drawing.edges) {
    const isMuted = muted.has(key);
    if (path.classList.contains('muted') === isMuted) continue;
    path.classList.toggle('muted', isMuted);
    path.setAttribute('marker-end', isMuted ? 'url(#arrow-muted)' : 'url(#arrow)');
  }
  if (running && tick === undefined) tick = window.setInterval(tickRunning, 1000);
  if (!running && tick !== undefined) {
    window.clearInterval(tick);
    tick = undefined;
  }
  if (tooltipStep) fillTooltip(tooltipStep, tooltipDetails);
}

/** Once a second while a step runs: only the running nodes' state lines change. */
function tickRunning(): void {
  if (!drawing || !runState) return;
  const now = elapsedNow();
  for (const [id, step] of Object.entries(runState.steps)) {
    if (step.state !== 'running') continue;
    const node = drawing.nodes.get(id);
    const line = stateLine(step, now);
    if (node && node.status.textContent !== line) node.status.textContent = line;
  }
}

// ---- pan and zoom ----

let drag: { id: number; x: number; y: number; moved: boolean } | undefined;
let frame: number | undefined;
function scheduleView(): void {
  autoFit = undefined;
  frame ??= requestAnimationFrame(() => {
    frame = undefined;
    applyView();
  });
}

canvas.addEventListener('pointerdown', (event) => {
  if (event.button !== 0 || (event.target as Element).closest('.node')) return;
  drag = { id: event.pointerId, x: event.clientX, y: event.clientY, moved: false };
  canvas.setPointerCapture(event.pointerId);
  canvas.classList.add('panning');
  hideMenu();
});
canvas.addEventListener('pointermove', (event) => {
  if (!drag || drag.id !== event.pointerId) return;
  view.x += event.clientX - drag.x;
  view.y += event.clientY - drag.y;
  drag = { ...drag, x: event.clientX, y: event.clientY, moved: true };
  scheduleView();
});
const endDrag = (event: PointerEvent) => {
  if (drag?.id !== event.pointerId) return;
  drag = undefined;
  canvas.classList.remove('panning');
};
canvas.addEventListener('pointerup', endDrag);
canvas.addEventListener('pointercancel', endDrag);

function zoomAt(factor: number, cx: number, cy: number): void {
  const k = Math.max(0.01, Math.min(4, view.k * factor));
  view = { k, x: cx - ((cx - view.x) * k) / view.k, y: cy - ((cy - view.y) * k) / view.k };
  scheduleView();
  hideTooltip();
}
canvas.addEventListener(
  'wheel',
  (event) => {
    event.preventDefault();
    const box = canvas.getBoundingClientRect();
    zoomAt(Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.0015)), event.clientX - box.left, event.clientY - box.top);
  },
  { passive: false },
);
canvas.addEventListener('keydown', (event) => {
  if ((event.target as Element).closest('.node') && (event.key === 'Enter' || event.key === ' ')) return;
  const box = canvas.getBoundingClientRect();
  const step = 40;
  switch (event.key) {
    case '+':
    case '=':
      zoomAt(1.2, box.width / 2, box.height / 2);
      break;
    case '-':
      zoomAt(1 / 1.2, box.width / 2, box.height / 2);
      break;
    case 'f':
    case 'F':
    case '0':
      fit();
      break;
    case 'ArrowLeft':
      view.x += step;
      scheduleView();
      break;
    case 'ArrowRight':
      view.x -= step;
      scheduleView();
      break;
    case 'ArrowUp':
      view.y += step;
      scheduleView();
      break;
    case 'ArrowDown':
      view.y -= step;
      scheduleView();
      break;
    case 'Escape':
      hideMenu();
      hideTooltip();
      return;
    default:
      return;
  }
  event.preventDefault();
});

// ---- nodes: click, keyboard, context menu, tooltip ----

function stepOf(target: EventTarget | null): string | undefined {
  return (target as Element | null)?.closest?.<SVGGElement>('.node')?.dataset['step'];
}

/** A click opens the log of the step in the run shown; a step with no log (or no run) is revealed in the editor. */
function activate(stepId: string): void {
  if (runState?.steps[stepId]?.hasLog) host.send({ type: 'openLog', payload: { stepId } });
  else host.send({ type: 'revealStep', payload: { stepId } });
}

canvas.addEventListener('click', (event) => {
  const stepId = stepOf(event.target);
  if (stepId) activate(stepId);
});
canvas.addEventListener('keydown', (event) => {
  const stepId = stepOf(event.target);
  if (!stepId) return;
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    activate(stepId);
  } else if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
    event.preventDefault();
    const box = (event.target as Element).getBoundingClientRect();
    showMenu(stepId, box.left + 8, box.bottom);
  }
});
canvas.addEventListener('contextmenu', (event) => {
  const stepId = stepOf(event.target);
  if (!stepId) return;
  event.preventDefault();
  event.stopPropagation();
  showMenu(stepId, event.clientX, event.clientY);
});

function showMenu(stepId: string, x: number, y: number): void {
  hideTooltip();
  const item = (label: string, enabled: boolean, action: () => void) => {
    const b = el('button', 'menu-item', label);
    b.type = 'button';
    b.setAttribute('role', 'menuitem');
    b.disabled = !enabled;
    b.addEventListener('click', () => {
      hideMenu();
      action();
    });
    return b;
  };
  menu.replaceChildren(
    item('Open Log', runState?.steps[stepId]?.hasLog === true, () => host.send({ type: 'openLog', payload: { stepId } })),
    item('Run Step', true, () => host.send({ type: 'runStep', payload: { stepId } })),
    item('Go to Step in Editor', true, () => host.send({ type: 'revealStep', payload: { stepId } })),
  );
  menu.dataset['step'] = stepId;
  menu.hidden = false;
  placeFloating(menu, x, y);
  menu.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
}
function hideMenu(): void {
  menu.hidden = true;
}
menu.addEventListener('keydown', (event) => {
  const items = [...menu.querySelectorAll<HTMLButtonElement>('button:not(:disabled)')];
  const at = items.indexOf(document.activeElement as HTMLButtonElement);
  if (event.key === 'Escape') {
    hideMenu();
    drawing?.nodes.get(menu.dataset['step'] ?? '')?.group.focus();
  } else if (event.key === 'ArrowDown') items[(at + 1) % items.length]?.focus();
  else if (event.key === 'ArrowUp') items[(at - 1 + items.length) % items.length]?.focus();
  else return;
  event.preventDefault();
});
document.addEventListener('pointerdown', (event) => {
  if (!menu.hidden && !menu.contains(event.target as Node)) hideMenu();
});

let tooltipStep: string | undefined;
let tooltipDetails: StepDetails | undefined;
let tooltipTimer: number | undefined;
let tooltipAnchor: Element | undefined;

function openTooltip(stepId: string, anchor: Element): void {
  window.clearTimeout(tooltipTimer);
  tooltipTimer = window.setTimeout(() => {
    if (!menu.hidden) return;
    tooltipStep = stepId;
    tooltipAnchor = anchor;
    tooltipDetails = undefined;
    fillTooltip(stepId, undefined);
    host.send({ type: 'stepDetails', payload: { stepId } });
  }, 350);
}
function hideTooltip(): void {
  window.clearTimeout(tooltipTimer);
  tooltipStep = undefined;
  tooltipAnchor = undefined;
  tooltip.hidden = true;
}
function fillTooltip(stepId: string, details: StepDetails | undefined): void {
  tooltipDetails = details;
  const node = drawing?.graph.nodes.find((n) => n.id === stepId);
  const lines = detailsLines(stepId, node, runState?.steps[stepId], details, elapsedNow());
  tooltip.replaceChildren(
    ...lines.map((line) => {
      const p = el('div', line.kind);
      if (line.label) p.append(el('span', 'key', line.label), ' ');
      p.append(line.text);
      return p;
    }),
  );
  tooltip.hidden = false;
  const box = tooltipAnchor?.getBoundingClientRect();
  if (box) placeFloating(tooltip, box.left, box.bottom + 6);
}
function placeFloating(element: HTMLElement, x: number, y: number): void {
  element.style.left = '0px';
  element.style.top = '0px';
  const { width, height } = element.getBoundingClientRect();
  const left = Math.max(4, Math.min(x, window.innerWidth - width - 4));
  const top = y + height > window.innerHeight - 4 ? Math.max(4, y - height - 60) : y;
  element.style.left = `${left}px`;
  element.style.top = `${top}px`;
}

canvas.addEventListener('pointerover', (event) => {
  const node = (event.target as Element).closest?.('.node');
  const stepId = node?.getAttribute('data-step');
  if (!node || !stepId || drag) return;
  if (tooltipStep !== stepId) openTooltip(stepId, node);
});
canvas.addEventListener('pointerout', (event) => {
  const from = (event.target as Element).closest?.('.node');
  const to = (event.relatedTarget as Element | null)?.closest?.('.node');
  if (from && from !== to) hideTooltip();
});
canvas.addEventListener('focusin', (event) => {
  const node = (event.target as Element).closest?.('.node');
  const stepId = node?.getAttribute('data-step');
  if (node && stepId) openTooltip(stepId, node);
});
canvas.addEventListener('focusout', () => hideTooltip());
window.addEventListener('resize', () => hideTooltip());
