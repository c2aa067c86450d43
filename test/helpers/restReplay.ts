import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface RecordedRequest {
  note?: string;
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  body?: unknown;
  expect: { status: number; body?: unknown; types?: Record<string, string> };
  save?: Record<string, string>;
}

export interface RecordedCall {
  call: string;
  requests: RecordedRequest[];
}

export const PYTHON_FIXTURES = path.resolve(__dirname, '../fixtures/mlflow-python');

export function loadSequence(): { file: string; call: RecordedCall }[] {
  const order = JSON.parse(readFileSync(path.join(PYTHON_FIXTURES, 'sequence.json'), 'utf8')) as string[];
  return order.map((file) => ({ file, call: JSON.parse(readFileSync(path.join(PYTHON_FIXTURES, file), 'utf8')) as RecordedCall }));
}

/** Replaces `${name}` in every string of a JSON value. */
function substitute<T>(value: T, vars: Record<string, string>): T {
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) =>
    typeof v === 'string'
      ? v.replace(/\$\{(\w+)\}/g, (_m, name: string) => {
          assert.ok(name in vars, `no saved value for \${${name}}`);
          return vars[name]!;
        })
      : v,
  ) as T;
}

function at(value: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);
}

/** `actual` contains `expected`: objects by key, arrays element by element (same length). */
export function assertContains(actual: unknown, expected: unknown, where = 'body'): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array`);
    assert.equal(actual.length, expected.length, `${where}: length`);
    expected.forEach((e, i) => assertContains(actual[i], e, `${where}[${i}]`));
  } else if (expected && typeof expected === 'object') {
    assert.ok(actual && typeof actual === 'object', `${where}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, v] of Object.entries(expected)) assertContains((actual as Record<string, unknown>)[k], v, `${where}.${k}`);
  } else {
    assert.deepEqual(actual, expected, where);
  }
}

/** Sends one recorded request as the Python client would and checks the answer. */
export async function replay(baseUrl: string, token: string, request: RecordedRequest, vars: Record<string, string>): Promise<void> {
  const r = substitute(request, vars);
  const url = new URL(baseUrl + r.path);
  for (const [key, value] of Object.entries(r.query ?? {}))
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, v);
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, 'User-Agent': 'mlflow-python-client/2.13.0' };
  if (r.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(url, { method: r.method, headers, ...(r.body !== undefined ? { body: JSON.stringify(r.body) } : {}) });
  const text = await response.text();
  const label = `${r.method} ${r.path}${r.note ? ` (${r.note})` : ''}`;
  assert.equal(response.status, r.expect.status, `${label}: ${text}`);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/, label);
  const body: unknown = JSON.parse(text);
  if (r.expect.body !== undefined) assertContains(body, r.expect.body, label);
  for (const [dotted, type] of Object.entries(r.expect.types ?? {})) {
    const v = at(body, dotted);
    assert.equal(Array.isArray(v) ? 'array' : typeof v, type, `${label}: ${dotted}`);
  }
  for (const [name, dotted] of Object.entries(r.save ?? {})) vars[name] = String(at(body, dotted));
}
