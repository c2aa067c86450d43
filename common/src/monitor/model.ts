import { isMap, isSeq, type Node } from 'yaml';
import type { ParsedDocument } from '../document/parsedDocument';
import type { Span } from '../expressions/ast';
import { named, type Named } from '../features/model';
import { keyOf, scalarText } from '../yaml/nodes';

/** What a monitor file names, with document offsets; plain data, like the features model. */
export interface MonitorModel {
  readonly name?: Named;
  /** The `monitor:` key, where the code lens goes. */
  readonly nameKey?: Span;
  readonly model?: Named;
  /** Untagged values only: a `!tag` value is not a path of ours. */
  readonly reference?: Named;
  readonly current?: Named;
  readonly columns: readonly Named[];
  readonly ignore: readonly Named[];
  readonly method?: Named;
  readonly runPipeline?: Named;
  /** The keys of `on_drift.params`. */
  readonly params: readonly Named[];
}

const cache = new WeakMap<ParsedDocument, MonitorModel>();

export function monitorModel(doc: ParsedDocument): MonitorModel {
  let model = cache.get(doc);
  if (!model) {
    model = read(doc.yaml.contents);
    cache.set(doc, model);
  }
  return model;
}

function untagged(node: unknown): Named | undefined {
  return (node as Node | null | undefined)?.tag ? undefined : named(node);
}

function list(node: unknown): Named[] {
  if (isSeq(node)) return node.items.map(named).filter((n): n is Named => n !== undefined);
  const one = named(node);
  return one ? [one] : [];
}

function read(root: unknown): MonitorModel {
  if (!isMap(root)) return { columns: [], ignore: [], params: [] };
  const get = (key: string) => root.get(key, true);
  const drift = get('data_drift');
  const onDrift = get('on_drift');
  const params = isMap(onDrift) ? onDrift.get('params', true) : undefined;
  const namePair = root.items.find((p) => scalarText(p.key) === 'monitor');
  const nameKey = namePair ? keyOf(namePair) : undefined;
  const fields: Partial<Record<'name' | 'model' | 'reference' | 'current' | 'method' | 'runPipeline', Named | undefined>> = {
    name: named(get('monitor')),
    model: named(get('model')),
    reference: untagged(get('reference')),
    current: untagged(get('current')),
    method: isMap(drift) ? named(drift.get('method', true)) : undefined,
    runPipeline: isMap(onDrift) ? untagged(onDrift.get('run_pipeline', true)) : undefined,
  };
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return {
    ...defined,
    ...(nameKey ? { nameKey: { start: nameKey.start, end: nameKey.end } } : {}),
    columns: list(get('columns')),
    ignore: list(get('ignore')),
    params: isMap(params) ? params.items.map(keyOf).filter((k): k is Named => k !== undefined) : [],
  };
}
