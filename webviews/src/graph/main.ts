import type { PipelineGraph } from '../../../common/src/pipeline/graph';
import type { GraphHostMessage, GraphViewMessage } from '../../../common/src/protocol/graphMessages';
import { connectToHost, el, svg } from '../shared/host';
import { layoutGraph } from './layout';

const root = document.getElementById('root')!;
const host = connectToHost<GraphViewMessage, GraphHostMessage>(handle);

function handle(message: GraphHostMessage): void {
  switch (message.type) {
    case 'graph':
      render(message.payload.file, message.payload.graph);
      break;
    case 'problem':
      root.replaceChildren(el('p', 'problem', message.payload.message));
      break;
  }
}

const measureCanvas = document.createElement('canvas').getContext('2d');
function measure(text: string): number {
  if (!measureCanvas) return text.length * 8;
  measureCanvas.font = getComputedStyle(document.body).font;
  return measureCanvas.measureText(text).width;
}

function render(file: string, graph: PipelineGraph): void {
  const header = el('header');
  header.append(el('h1', undefined, graph.pipeline ?? '(unnamed pipeline)'), el('span', 'file', file));
  if (graph.nodes.length === 0) {
    root.replaceChildren(header, el('p', 'empty', 'This pipeline has no steps yet. Add them under `steps:`.'));
    return;
  }
  const layout = layoutGraph(graph, measure);
  const drawing = svg('svg', { width: layout.width, height: layout.height, viewBox: `0 0 ${layout.width} ${layout.height}`, role: 'img' });
  drawing.setAttribute('aria-label', `Step graph of ${graph.pipeline ?? 'the pipeline'}`);
  const defs = svg('defs');
  const marker = svg('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 9,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }));
  defs.append(marker);
  drawing.append(defs);

  for (const edge of layout.edges) {
    if (edge.points.length < 2) continue;
    const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
    const path = svg('path', { d, class: `edge ${edge.kind}`, 'marker-end': 'url(#arrow)' });
    path.append(svg('title', {}, edge.kind === 'data' ? `${edge.from} -> ${edge.to}: ${edge.label}` : `${edge.to} needs ${edge.from}`));
    drawing.append(path);
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const node of layout.nodes) {
    const info = byId.get(node.id);
    const group = svg('g', {
      class: 'node',
      tabindex: 0,
      role: 'button',
      'data-step': node.id,
      transform: `translate(${node.x - node.width / 2}, ${node.y - node.height / 2})`,
    });
    group.setAttribute('aria-label', `Step ${node.id}`);
    group.append(svg('rect', { width: node.width, height: node.height, rx: 6, ry: 6 }));
    group.append(svg('text', { x: node.width / 2, y: node.height / 2, 'dominant-baseline': 'central', 'text-anchor': 'middle' }, node.id));
    const tooltip = [info?.description, info?.outputs.length ? `outputs: ${info.outputs.join(', ')}` : undefined]
      .filter(Boolean)
      .join('\n');
    group.append(svg('title', {}, tooltip || node.id));
    const reveal = () => host.send({ type: 'revealStep', payload: { stepId: node.id } });
    group.addEventListener('click', reveal);
    group.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        reveal();
      }
    });
    drawing.append(group);
  }
  const canvas = el('div', 'canvas');
  canvas.append(drawing);
  root.replaceChildren(header, canvas);
}
