import { isMap, isScalar } from 'yaml';
import type { ParsedDocument } from '../document/parsedDocument';
import { featuresModel } from '../features/model';
import { monitorModel } from '../monitor/model';
import { keyOf, scalarText } from '../yaml/nodes';
import type { FileSummary, PipelineSummary } from './types';

/** The index's entry for a parsed document: its model, without the AST. */
export function summarize(doc: ParsedDocument): FileSummary {
  const base = { uri: doc.uri, kind: doc.kind, text: doc.text };
  switch (doc.kind) {
    case 'features':
      return { ...base, features: featuresModel(doc) };
    case 'monitor':
      return { ...base, monitor: monitorModel(doc) };
    case 'pipeline':
      return { ...base, pipeline: pipelineSummary(doc.yaml.contents) };
  }
}

/** The name, description and params of a pipeline, read without building the whole pipeline model. */
function pipelineSummary(root: unknown): PipelineSummary {
  if (!isMap(root)) return { params: [] };
  const params: PipelineSummary['params'][number][] = [];
  const node = root.get('params', true);
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = keyOf(pair);
      if (!key || params.some((p) => p.name === key.name)) continue;
      const spec = isMap(pair.value) ? pair.value : undefined;
      const value = spec ? spec.get('default', true) : pair.value;
      const inferred = isScalar(value)
        ? typeof value.value === 'boolean'
          ? 'bool'
          : typeof value.value === 'number'
            ? Number.isInteger(value.value)
              ? 'int'
              : 'float'
            : 'string'
        : 'string';
      const type = (spec && scalarText(spec.get('type', true))) ?? inferred;
      const description = spec ? scalarText(spec.get('description', true)) : undefined;
      params.push({ name: key.name, start: key.start, end: key.end, type, ...(description !== undefined ? { description } : {}) });
    }
  }
  const name = scalarText(root.get('pipeline', true));
  const description = scalarText(root.get('description', true));
  return { ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}), params };
}
