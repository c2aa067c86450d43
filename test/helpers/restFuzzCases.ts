// The requests of the REST fuzzer (test/helpers/restFuzz.ts): generated from the request messages
// the server declares (rest/server.ts ROUTES, MLflow's shapes) and the bodies MLflow 2.12.2's client
// sent (test/fixtures/mlflow-2.12.2), then mutated.
import * as path from 'node:path';
import { ROUTES } from '../../client/src/core/tracking/rest/server';
import type { FieldType, MessageSchema, Scalar } from '../../client/src/core/tracking/rest/validate';
import type { Random } from './lspRandom';
import { readTraffic } from './mlflowTraffic';

/** The store's known contents the generator aims at: runs and a model made before the fuzzing. */
export interface FuzzPool {
  experimentIds: string[];
  runIds: string[];
  modelName: string;
}

export interface FuzzCase {
  /** What was done to the request, for failure messages and the tally. */
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** The request must be refused (4xx): a body no MLflow server reads. */
  mustRefuse?: boolean;
  /** The message as sent, when the body is its plain JSON: what a 200 stores is derived from it. */
  message?: Record<string, unknown>;
  routePath?: string;
  /** Sent over a raw socket that half-closes before the declared body is complete. */
  cutShort?: boolean;
}

export const API = '/api/2.0';
const KEYS = ['loss', 'acc', 'lr', 'val/loss', 'x.y', 'm-1', 'with space', 'ключ', 'a:b'];
const TEXT = [
  '',
  'a',
  'hello world',
  '🦉🦉',
  'line\nbreak',
  'tab\tin',
  'quote"s',
  "it's",
  '<script>',
  'null',
  '0',
  'ünïcödé',
  '\u0007bell',
  'lone \udc00 surrogate',
];

/** MLflow's limits (mlflow/utils/validation.py) and the lengths just past them. */
const LIMIT_LENGTHS = [250, 251, 500, 501, 5000, 5001, 6000, 6001, 8000, 8001, 65536, 1_000_001];

/** Request bodies MLflow's own client sent, by path: starting points besides the generated ones. */
function recordedBodies(root: string): Map<string, Record<string, unknown>[]> {
  const byPath = new Map<string, Record<string, unknown>[]>();
  for (const file of ['client-traffic.jsonl', 'cli-traffic.jsonl']) {
    for (const exchange of readTraffic(path.join(root, 'test/fixtures/mlflow-2.12.2', file))) {
      if (!exchange.request || !('json' in exchange.request)) continue;
      const body = exchange.request.json;
      if (!body || typeof body !== 'object' || Array.isArray(body)) continue;
      const key = `${exchange.method} ${exchange.path.split('?')[0]!.replace(/^\/(?:ajax-)?api\/2\.0/, '')}`;
      byPath.set(key, [...(byPath.get(key) ?? []), body as Record<string, unknown>]);
    }
  }
  return byPath;
}

const isMessage = (t: FieldType): t is MessageSchema => typeof t === 'object' && 'fields' in t;
const isList = (t: FieldType): t is { list: Scalar | MessageSchema } => typeof t === 'object' && 'list' in t;

export class FuzzGenerator {
  private readonly recorded: Map<string, Record<string, unknown>[]>;
  private readonly routes = ROUTES.filter((r) => !r.path.startsWith('/mlops/import/'));

  constructor(
    private readonly rnd: Random,
    private readonly pool: FuzzPool,
    private readonly token: string,
    root: string,
  ) {
    this.recorded = recordedBodies(root);
  }

  private stringFor(name: string): string {
    const r = this.rnd;
    switch (name) {
      case 'run_id':
      case 'run_uuid':
        return r.chance(0.9) ? r.pick(this.pool.runIds) : r.pick(['0123456789abcdef0123456789abcdef', 'nope', '../..']);
      case 'experiment_id':
        return r.chance(0.9) ? r.pick(this.pool.experimentIds) : r.pick(['0', '999', '-1', 'x']);
      case 'key':
      case 'metric_key':
        return r.pick(KEYS);
      case 'name':
        return r.chance(0.7) ? this.pool.modelName : `fuzz-${r.int(0, 50)}`;
      case 'new_name':
      case 'experiment_name':
      case 'run_name':
        return `fuzz-${r.int(0, 50)}`;
      case 'version':
        return String(r.int(0, 3));
      case 'stage':
        return r.pick(['None', 'Staging', 'Production', 'Archived', 'staging', 'Bogus']);
      case 'alias':
        return r.pick(['champion', 'v1', 'latest', 'a-b_c']);
      case 'filter':
        return r.pick([
          '',
          'metrics.loss < 1',
          "params.lr = '0.1'",
          "tags.`x.y` != 'a'",
          'attributes.status = "RUNNING"',
          'metrics.loss >',
        ]);
      case 'order_by':
        return r.pick(['metrics.loss DESC', 'start_time', 'attributes.run_name ASC', 'bogus']);
      case 'source':
        return r.pick(['models:/x/1', 'file:///tmp/fuzz-model', 'runs:/abc/model']);
      case 'model_json':
        return JSON.stringify({ artifact_path: 'model', flavors: { python_function: {} } });
      case 'path':
        return r.pick(['', 'model', 'a/b', '../x', '/etc']);
      case 'page_token':
        return r.pick(['', 'eyJvZmZzZXQiOiAxfQ==', 'garbage']);
      default:
        return r.pick(TEXT);
    }
  }

  private scalarFor(name: string, type: Scalar): unknown {
    const r = this.rnd;
    if (type === 'string') return this.stringFor(name);
    if (type === 'int64') {
      if (name.includes('time') || name === 'timestamp') return Date.now() - r.int(0, 1_000_000);
      if (name === 'max_results') return r.int(1, 50);
      return r.int(0, 100);
    }
    if (type === 'double') return r.chance(0.5) ? r.int(-100, 100) : Math.round(r.next() * 1e6) / 1e3;
    if (type === 'bool') return r.chance(0.5);
    if (type === 'json') return { value: r.int(0, 9), nested: { list: [1, 'two', null] } };
    return r.pick(type.enum);
  }

  private valueFor(name: string, type: FieldType, depth = 0): unknown {
    if (isList(type)) {
      const n = this.rnd.int(0, 3);
      return Array.from({ length: n }, () =>
        isMessage(type.list) ? this.messageFor(type.list, depth + 1) : this.scalarFor(name, type.list),
      );
    }
    if (isMessage(type)) return this.messageFor(type, depth + 1);
    return this.scalarFor(name, type);
  }

  private messageFor(schema: MessageSchema, depth = 0): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, spec] of schema.fields) {
      if (name === 'run_uuid') continue;
      if (spec.required || this.rnd.chance(0.6)) out[name] = this.valueFor(name, spec.type, depth);
    }
    return out;
  }

  /** A value of another JSON type than the field wants, or a hostile one of the right type. */
  private wrongValue(): unknown {
    const r = this.rnd;
    return r.pick<() => unknown>([
      () => r.int(-5, 5),
      () => 1.5,
      () => true,
      () => null,
      () => [],
      () => ['a', 1],
      () => ({}),
      () => ({ key: 'a' }),
      () => '',
      () => 'x'.repeat(r.pick(LIMIT_LENGTHS)),
      () => '\u0000\u0001\u001f',
      () => '\ud800',
      () => 'NaN',
      () => '-Infinity',
      () => '1e400',
      () => '0x10',
      () => ' 7 ',
      () => -1,
      () => 2 ** 53,
      () => 2 ** 63,
      () => 1e20,
      () => -1e20,
    ])();
  }

  /** Nested arrays `depth` deep, as a JSON text. */
  private static deep(depth: number): string {
    return `${'['.repeat(depth)}${']'.repeat(depth)}`;
  }

  next(): FuzzCase {
    const r = this.rnd;
    const kind = r.weighted<string>([
      [30, 'valid'],
      [40, 'mutated'],
      [4, 'metrics'],
      [3, 'batch'],
      [3, 'deep'],
      [3, 'truncated'],
      [2, 'utf8'],
      [2, 'bare-nonfinite'],
      [2, 'long-url'],
      [2, 'query'],
      [2, 'raw'],
      [2, 'artifact'],
      [1, 'cut-short'],
    ]);
    if (kind === 'long-url') {
      const n = r.pick([8_000, 16_500, 20_000, 70_000, 300_000]);
      return this.plain(`long-url ${n}`, 'GET', `${API}/mlflow/runs/get?run_id=${'a'.repeat(n)}`);
    }
    if (kind === 'artifact') return this.artifactCase();
    const route = r.pick(this.routes);
    const routeKey = `${route.method} ${route.path}`;
    const seeds = this.recorded.get(routeKey);
    const base: Record<string, unknown> =
      seeds && r.chance(0.3) ? this.refresh(structuredClone(r.pick(seeds))) : this.messageFor(route.schema);
    const url = `${API}${route.path}`;
    if (route.method === 'GET' || (route.method === 'DELETE' && kind === 'query')) return this.queryCase(kind, route.method, url, base);
    switch (kind) {
      case 'valid':
        return this.jsonCase('valid', route.method, url, base, route.path);
      case 'metrics':
        return this.metricsCase(route.method, url, route.path);
      case 'batch':
        return this.batchCase();
      case 'deep': {
        const field = route.schema.fields.length > 0 ? r.pick(route.schema.fields)[0] : 'run_id';
        const depth = r.pick([101, 3_000, 5_000, 50_000]);
        const text = JSON.stringify({ ...base, [field]: '__DEEP__' }).replace('"__DEEP__"', FuzzGenerator.deep(depth));
        return { ...this.plain(`deep ${depth} in ${field}`, route.method, url, text), mustRefuse: true };
      }
      case 'truncated': {
        const text = JSON.stringify(base);
        const cut = r.int(0, Math.max(0, text.length - 1));
        const body = text.slice(0, cut);
        // An empty body is `{}` to MLflow: a valid request for routes without required fields.
        return { ...this.plain(`truncated at ${cut}/${text.length}`, route.method, url, body), mustRefuse: cut > 0 };
      }
      case 'utf8': {
        const text = JSON.stringify({ ...base, key: '@@' });
        const at = text.indexOf('@@');
        const bad = r.pick([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe2, 0x82]]);
        const body = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bad), Buffer.from(text.slice(at + 2))]);
        return { ...this.plain('invalid utf-8 in key', route.method, url, body), mustRefuse: true };
      }
      case 'bare-nonfinite': {
        const token = r.pick(['NaN', 'Infinity', '-Infinity']);
        const text = `{"run_id": ${JSON.stringify(r.pick(this.pool.runIds))}, "key": "loss", "value": ${token}, "timestamp": ${Date.now()}}`;
        return { ...this.plain(`bare ${token}`, 'POST', `${API}/mlflow/runs/log-metric`, text), mustRefuse: true };
      }
      case 'raw':
        return this.rawCase(route.method, url);
      case 'cut-short':
        return { ...this.plain('body cut short', route.method, url, JSON.stringify(base)), cutShort: true };
      default:
        return this.jsonCase(`mutated ${this.mutate(base, route.schema)}`, route.method, url, base, route.path);
    }
  }

  /** Recorded bodies name the recorded run and experiment: point them at ours. */
  private refresh(body: Record<string, unknown>): Record<string, unknown> {
    for (const key of ['run_id', 'run_uuid']) if (typeof body[key] === 'string') body[key] = this.rnd.pick(this.pool.runIds);
    if (typeof body.experiment_id === 'string') body.experiment_id = this.rnd.pick(this.pool.experimentIds);
    if (Array.isArray(body.experiment_ids)) body.experiment_ids = [this.rnd.pick(this.pool.experimentIds)];
    return body;
  }

  /** Applies one to three mutations in place; returns what they were. */
  private mutate(message: Record<string, unknown>, schema: MessageSchema): string {
    const r = this.rnd;
    const done: string[] = [];
    for (let n = r.int(1, 3); n > 0; n--) {
      const names = [...new Set([...schema.fields.map(([name]) => name), ...Object.keys(message)])];
      const name = names.length > 0 ? r.pick(names) : 'run_id';
      const what = r.pick(['type', 'missing', 'extra', 'huge', 'list-item', 'proto']);
      if (what === 'missing') delete message[name];
      else if (what === 'extra') message[`extra_${r.int(0, 9)}`] = this.wrongValue();
      else if (what === 'huge')
        message[name] = r.chance(0.5) ? 'é'.repeat(r.pick(LIMIT_LENGTHS)) : Array.from({ length: r.pick([1001, 5000]) }, () => 'x');
      else if (what === 'list-item' && Array.isArray(message[name]) && (message[name] as unknown[]).length > 0) {
        const items = message[name] as unknown[];
        const i = r.below(items.length);
        const item = items[i];
        if (item && typeof item === 'object' && !Array.isArray(item)) {
          const keys = Object.keys(item);
          if (keys.length > 0) (item as Record<string, unknown>)[r.pick(keys)] = this.wrongValue();
        } else items[i] = this.wrongValue();
      } else if (what === 'proto') message[r.pick(['__proto__', 'constructor', 'toString'])] = { polluted: true };
      else message[name] = this.wrongValue();
      done.push(`${what}:${name}`);
    }
    return done.join(',');
  }

  private metricsCase(method: string, url: string, routePath: string): FuzzCase {
    const r = this.rnd;
    const value = r.pick<unknown>(['NaN', 'Infinity', '-Infinity', 0, -0, 1e308, -1e-308, 5e-324, '1.5', '2e3', 3.25]);
    const message = {
      run_id: r.pick(this.pool.runIds),
      key: r.pick(KEYS),
      value,
      timestamp: r.pick<unknown>([Date.now(), 0, -1, 2 ** 53, 1e20, '1700000000000', 1.5, 253402300800000]),
      step: r.pick<unknown>([0, -1, -(2 ** 53) + 1, 2 ** 53 - 1, 2 ** 53, '42', 7.5, 1e3]),
    };
    return routePath === '/mlflow/runs/log-metric'
      ? this.jsonCase(`metric ${JSON.stringify([message.value, message.timestamp, message.step])}`, method, url, message, routePath)
      : this.jsonCase('metric', 'POST', `${API}/mlflow/runs/log-metric`, message, '/mlflow/runs/log-metric');
  }

  private batchCase(): FuzzCase {
    const r = this.rnd;
    const shape = r.pick(['params1000', 'params100', 'metrics1000', 'metrics1001', 'mixed1001', 'tags101', 'dupes']);
    const run_id = r.pick(this.pool.runIds);
    const stamp = Date.now();
    const tag = r.int(0, 1e6);
    const params = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `p${tag}_${i}`, value: String(i) }));
    const metrics = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ key: r.pick(KEYS), value: r.chance(0.05) ? 'NaN' : i / 7, timestamp: stamp, step: i }));
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `t${i}`, value: 'v' }));
    const message: Record<string, unknown> = { run_id };
    if (shape === 'params1000') message.params = params(1000);
    if (shape === 'params100') message.params = params(100);
    if (shape === 'metrics1000') message.metrics = metrics(1000);
    if (shape === 'metrics1001') message.metrics = metrics(1001);
    if (shape === 'mixed1001') Object.assign(message, { metrics: metrics(900), params: params(51), tags: tags(50) });
    if (shape === 'tags101') message.tags = tags(101);
    if (shape === 'dupes') message.params = [...params(2), ...params(2)];
    return this.jsonCase(`batch ${shape}`, 'POST', `${API}/mlflow/runs/log-batch`, message, '/mlflow/runs/log-batch');
  }

  private queryCase(kind: string, method: string, url: string, message: Record<string, unknown>): FuzzCase {
    const r = this.rnd;
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(message)) {
      if (Array.isArray(v)) for (const item of v) query.append(k, typeof item === 'string' ? item : JSON.stringify(item));
      else query.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    }
    let label = `${kind} query`;
    let text = query.toString();
    if (kind !== 'valid') {
      const mutation = r.pick(['drop', 'repeat', 'huge', 'percent', 'type', 'control']);
      label = `query ${mutation}`;
      const first = [...query.keys()][0] ?? 'run_id';
      if (mutation === 'drop') query.delete(first);
      if (mutation === 'repeat') query.append(first, 'again');
      if (mutation === 'huge') query.set(first, 'q'.repeat(r.pick([250, 251, 6001, 12_000])));
      if (mutation === 'type') query.set(first, r.pick(['1.5', 'true', '[]', '{}', '-1', '99999999999999999999']));
      if (mutation === 'control') query.set(first, '\u0000\u0007\ud800x');
      text = query.toString();
      if (mutation === 'percent') text = `${text}&${first}=%E0%A4%A&bad=%ZZ&%FF=%C3%28`;
    }
    return this.plain(label, method, `${url}?${text}`);
  }

  private artifactCase(): FuzzCase {
    const r = this.rnd;
    const A = `${API}/mlflow-artifacts/artifacts`;
    const target = r.pick([
      'fuzz/a.txt',
      'fuzz/dir/b.bin',
      'escape/planted.txt',
      'escape',
      'link-out.txt',
      '../x',
      '%2e%2e/x',
      'a/%252e%252e/x',
    ]);
    const method = r.pick(['GET', 'PUT', 'GET', 'DELETE', 'POST']);
    if (r.chance(0.3)) return this.plain(`artifact list ${target}`, 'GET', `${A}?path=${encodeURIComponent(target)}`);
    return this.plain(
      `artifact ${method} ${target}`,
      method,
      `${A}/${target}`,
      method === 'PUT' ? Buffer.from(`fuzz ${r.int(0, 1e6)}`) : undefined,
    );
  }

  private rawCase(method: string, url: string): FuzzCase {
    const r = this.rnd;
    const shape = r.pick(['bytes', 'form', 'array', 'string', 'number', 'empty-json-string', 'double-encoded']);
    if (shape === 'bytes') {
      const bytes = Buffer.from(Array.from({ length: r.int(1, 200) }, () => r.int(0, 255)));
      return { ...this.plain('random bytes', method, url, bytes), mustRefuse: true };
    }
    if (shape === 'form')
      return {
        ...this.plain('form body', method, url, 'name=x&run_id=y', { 'Content-Type': 'application/x-www-form-urlencoded' }),
        mustRefuse: true,
      };
    if (shape === 'array') return { ...this.plain('array body', method, url, '[1,2,3]'), mustRefuse: true };
    if (shape === 'number') return { ...this.plain('number body', method, url, '42'), mustRefuse: true };
    if (shape === 'string') return { ...this.plain('string body', method, url, '"just a string"'), mustRefuse: true };
    if (shape === 'empty-json-string') return { ...this.plain('empty JSON string body', method, url, '""'), mustRefuse: true };
    return this.plain('double-encoded body', method, url, JSON.stringify(JSON.stringify({ run_id: r.pick(this.pool.runIds) })));
  }

  private plain(label: string, method: string, url: string, body?: string | Buffer, headers: Record<string, string> = {}): FuzzCase {
    return {
      label,
      method,
      path: url,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.token}`, ...headers },
      ...(body !== undefined ? { body: Buffer.isBuffer(body) ? body : Buffer.from(body) } : {}),
    };
  }

  private jsonCase(label: string, method: string, url: string, message: Record<string, unknown>, routePath: string): FuzzCase {
    return {
      ...this.plain(label, method, url, JSON.stringify(message)),
      message: JSON.parse(JSON.stringify(message)) as Record<string, unknown>,
      routePath,
    };
  }
}
