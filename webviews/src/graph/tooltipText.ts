import type { GraphNode } from '../../../common/src/pipeline/graph';
import type { NodeRun, StepDetails, StepFile } from '../../../common/src/protocol/graphMessages';
import { formatBytes } from '../../../common/src/text/bytes';
import { stateLine } from './nodeText';

/** One line of a node's tooltip; the page turns each into a text-only element of class `kind`. */
export interface TooltipLine {
  readonly kind: 'title' | 'state' | 'text' | 'section' | 'item' | 'hint' | 'problem';
  readonly label?: string;
  readonly text: string;
}

function fileText(file: StepFile): string {
  const where = file.path || '(no path)';
  switch (file.kind) {
    case 'file':
    case 'folder':
      return `${where} (${file.kind === 'folder' ? 'folder, ' : ''}${formatBytes(file.size ?? 0)})`;
    case 'glob':
      return `${where} (pattern)`;
    case 'missing':
      return `${where} (not there)`;
  }
}

function metricValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, '');
}

/** A node's tooltip: state, description, image, inputs and outputs with sizes, cache key, metrics. */
export function detailsLines(
  stepId: string,
  node: GraphNode | undefined,
  step: NodeRun | undefined,
  details: StepDetails | undefined,
  now: number,
): TooltipLine[] {
  const lines: TooltipLine[] = [{ kind: 'title', text: stepId }];
  if (step) lines.push({ kind: 'state', text: stateLine(step, now) });
  // The state line names the run a cached step came from; its id is here in full.
  if (step?.cachedFrom?.runName) lines.push({ kind: 'text', label: 'Reused run id:', text: step.cachedFrom.runId });
  if (step?.message) lines.push({ kind: 'problem', text: step.message });
  const description = details?.description ?? node?.description;
  if (description) lines.push({ kind: 'text', text: description });
  const image = details?.image ?? node?.image;
  if (image) lines.push({ kind: 'text', label: 'Image:', text: image });
  if (!details) {
    lines.push({ kind: 'hint', text: 'Reading inputs and outputs…' });
    return lines;
  }
  if (details.inputs.length > 0) {
    lines.push({ kind: 'section', text: 'Inputs' });
    for (const f of details.inputs) lines.push({ kind: 'item', text: fileText(f) });
  }
  if (details.outputs.length > 0) {
    lines.push({ kind: 'section', text: 'Outputs' });
    for (const f of details.outputs) lines.push({ kind: 'item', label: `${f.name ?? ''}:`, text: fileText(f) });
  }
  if (details.cacheKey) lines.push({ kind: 'text', label: 'Cache key:', text: details.cacheKey.slice(0, 16) });
  if (details.metrics.length > 0) {
    lines.push({ kind: 'section', text: 'Metrics logged by this step' });
    for (const m of details.metrics) lines.push({ kind: 'item', label: `${m.key}:`, text: metricValue(m.value) });
  }
  if (details.runMetrics.length > 0) {
    lines.push({ kind: 'section', text: 'Run metrics not traced to a step' });
    for (const m of details.runMetrics) lines.push({ kind: 'item', label: `${m.key}:`, text: metricValue(m.value) });
  }
  if (details.problem) lines.push({ kind: 'problem', text: details.problem });
  lines.push({
    kind: 'hint',
    text: step?.hasLog ? 'Click: open log · right-click: Run Step' : 'Click: go to step · right-click: Run Step',
  });
  return lines;
}
