import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { csvParseRows } from 'd3-dsv';
import { streamCsv, type CsvRowSink } from '../../client/src/core/drift/csvStream';
import { openDriftData } from '../../client/src/core/drift/driftData';
import { readTable, readTables } from '../../client/src/core/drift/dataTable';
import { numberFromBytes } from '../../client/src/core/drift/numberBytes';
import { sortFloat64 } from '../../client/src/core/drift/radixSort';
import { driftReport, driftReportFrom, type DriftOptions } from '../../client/src/core/drift/report';

const dir = mkdtempSync(path.join(tmpdir(), 'mlops-drift-stream-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** A seeded LCG, so a failure repeats. */
function random(seed: number) {
  let state = seed;
  return () => (state = (state * 1664525 + 1013904223) % 4294967296) / 4294967296;
}

describe('numbers read from bytes', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  it('gives exactly what Number gives for plain decimals, and NaN for what it leaves to Number', () => {
    const u = random(7);
    const samples = ['0', '-0', '+3', '1.', '.5', '007.250', '1e5', '1.5E-3', '-2e+22', '123456789012345', '0.000000000000000000001'];
    for (let i = 0; i < 20_000; i++) {
      const digits = Math.floor(u() * 18) + 1;
      let text = u() < 0.3 ? '-' : '';
      for (let d = 0; d < digits; d++) text += Math.floor(u() * 10);
      const dot = Math.floor(u() * (digits + 1));
      text = u() < 0.8 ? text.slice(0, text.length - dot) + '.' + text.slice(text.length - dot) : text;
      if (u() < 0.2) text += `e${Math.floor(u() * 60) - 30}`;
      samples.push(text);
    }
    let fast = 0;
    for (const text of samples) {
      const b = bytes(text);
      const value = numberFromBytes(b, 0, b.length);
      if (Number.isNaN(value)) continue;
      fast++;
      assert.ok(Object.is(value, Number(text)), `${text}: ${value} vs ${Number(text)}`);
    }
    assert.ok(fast > samples.length / 2, `most samples take the fast path (${fast} of ${samples.length})`);
    for (const text of ['', '-', '.', '1e', '1.2.3', '0x10', 'Infinity', '1_000', '1234567890123456789', '1e400', ' 1'])
      assert.ok(Number.isNaN(numberFromBytes(bytes(text), 0, bytes(text).length)), text);
  });
});

describe('radix sort', () => {
  it('sorts as Float64Array#sort does, with -0 before +0 and infinities at the ends', () => {
    const u = random(3);
    for (const n of [10, 1500, 50_000]) {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const r = u();
        a[i] = r < 0.05 ? -0 : r < 0.1 ? 0 : r < 0.12 ? (u() < 0.5 ? Infinity : -Infinity) : (u() - 0.5) * 10 ** Math.floor(u() * 40 - 20);
      }
      const expected = a.slice().sort();
      const got = sortFloat64(a);
      assert.equal(got, a, 'in place');
      for (let i = 0; i < n; i++) assert.ok(Object.is(got[i], expected[i]), `n=${n} at ${i}: ${got[i]} vs ${expected[i]}`);
    }
  });
});

const TRICKY =
  '\uFEFFa, b ,c,a,"q""d"\r\n' +
  '1,2.50,x,9,"multi\nline, with comma"\r\n' +
  '\r\n' +
  '-0,NA,"3",8,plain\n' +
  ' 4 ,1e3,,7,"say ""hi"""\r' +
  '1.#IND,0x10,Infinity,6\n' +
  '5,+6,.5,5,extra,cells,here\n' +
  '"7",-.25,nan,4,"unterminated';

class Rows implements CsvRowSink {
  readonly numbers = false;
  readonly rows: string[][] = [];
  private row: string[] = [];
  header: string[] = [];
  number(): void {
    throw new Error('numbers off');
  }
  raw(_c: number, bytes: Uint8Array, start: number, end: number): void {
    this.row.push(new TextDecoder().decode(bytes.subarray(start, end)));
  }
  quoted(_c: number, text: string): void {
    this.row.push(text);
  }
  endRow(): void {
    this.rows.push(this.row);
    this.row = [];
  }
}

describe('the streaming CSV reader', () => {
  it('cuts rows as d3-dsv does, whatever the chunk size (quotes, CR, CRLF, BOM, empty lines, ragged rows)', async () => {
    const file = write('tricky.csv', TRICKY);
    const expected = csvParseRows(TRICKY.slice(1)).filter((r) => !(r.length === 1 && r[0] === ''));
    const width = expected[0]!.length;
    for (const chunk of [1, 2, 3, 5, 7, 16, 1 << 16]) {
      const sink = new Rows();
      const rows = await streamCsv(
        file,
        (names) => {
          sink.header = names;
          return sink;
        },
        chunk,
      );
      assert.deepEqual(
        sink.header,
        expected[0]!.map((h) => h.trim()),
        `header, chunk ${chunk}`,
      );
      assert.equal(rows, expected.length - 1, `rows, chunk ${chunk}`);
      assert.deepEqual(
        sink.rows,
        expected.slice(1).map((r) => r.slice(0, width)),
        `cells, chunk ${chunk}`,
      );
    }
  });
});

describe('drift on streamed CSV (one column at a time) equals drift on tables read whole', () => {
  const u = random(11);
  const lines = (rows: number, shift: number, extra: (r: number) => string) => {
    const out = ['num,ties,level,plan,mixed,sparse,dup,dup'];
    for (let r = 0; r < rows; r++) {
      const x = ((u() + u() + u()) * 10 + shift).toFixed(3);
      const sparse = u() < 0.3 ? (u() < 0.5 ? 'NA' : '') : (u() * 5).toFixed(2);
      out.push(`${x},${Math.floor(u() * 4)},${Math.floor(u() * 3)},${u() < 0.5 ? 'basic' : '"pro, plus"'},${extra(r)},${sparse},${r},z`);
    }
    return out.join('\n') + '\n';
  };
  const reference = write(
    'reference.csv',
    lines(1500, 0, (r) => String(r % 7)),
  );
  const current1 = write(
    'current-1.csv',
    lines(700, 0.4, (r) => String(r % 5)),
  );
  // The second current file lacks 'sparse' and makes 'mixed' text.
  const current2 = write('current-2.csv', lines(400, 0.2, (r) => (r === 3 ? 'n/a?' : String(r % 5))).replace(',sparse,', ',other,'));
  const cases: { name: string; current: string[]; options: DriftOptions }[] = [
    { name: 'auto, two current files', current: [current1, current2], options: { method: 'auto', datasetDriftShare: 0.5 } },
    { name: 'ks', current: [current1], options: { method: 'ks', datasetDriftShare: 0.5 } },
    { name: 'psi, some columns', current: [current2], options: { method: 'psi', columns: ['num', 'mixed'], datasetDriftShare: 0.3 } },
  ];
  for (const c of cases)
    for (const workerMinBytes of [Infinity, 0]) {
      it(`${c.name}${workerMinBytes === 0 ? ', in worker threads' : ''}`, async () => {
        const whole = driftReport(await readTable(reference), await readTables(c.current), c.options);
        const data = await openDriftData(reference, c.current, { workerMinBytes });
        try {
          assert.deepEqual(await driftReportFrom(data, c.options), whole);
        } finally {
          data.close();
        }
        assert.ok(whole.columns.length >= 2);
      });
    }

  it('reads the drift fixtures as readTable does', async () => {
    const fixtures = path.resolve(__dirname, '../fixtures/drift');
    const ref = path.join(fixtures, 'reference.csv');
    const cur = [path.join(fixtures, 'current-1.csv'), path.join(fixtures, 'current-2.csv')];
    const options: DriftOptions = { method: 'auto', datasetDriftShare: 0.5 };
    const data = await openDriftData(ref, cur);
    try {
      assert.deepEqual(await driftReportFrom(data, options), driftReport(await readTable(ref), await readTables(cur), options));
    } finally {
      data.close();
    }
  });
});
