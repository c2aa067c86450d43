/**
 * Both sides of a drift check, opened so that columns are prepared one at a time. CSV data
 * (every file of both sides .csv) is streamed and spilled to a temporary folder, one file of
 * doubles per numeric column (`spilledCsv.ts`): memory holds one column of both sides while it
 * is tested, whatever the number of columns (about 32 bytes per row of the pair at the sort),
 * plus the text of columns that are not numbers. Parquet is read whole (`readTable`).
 * `close()` removes the temporary files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { numericColumn, prepareColumn, type PreparedColumn } from './columns';
import { dataFormat, readTable, readTables, type Cell } from './dataTable';
import { openSides } from './sideWorkers';
import { collectCells, type SpilledSide } from './spilledCsv';

/** What `selectColumns` needs of a side: its files and column names. */
export interface ColumnNames {
  readonly files: readonly string[];
  readonly rowCount: number;
  readonly columns: { has(name: string): boolean; keys(): IterableIterator<string> };
}

export interface DriftData {
  readonly reference: ColumnNames;
  readonly current: ColumnNames;
  /** A column both sides have, ready for the tests. */
  prepare(name: string): Promise<PreparedColumn>;
  close(): void;
}

/** `workerMinBytes`: CSV data of at least this size over both sides is read and sorted in two worker threads. */
export async function openDriftData(
  referenceFile: string,
  currentFiles: readonly string[],
  options: { workerMinBytes?: number } = {},
): Promise<DriftData> {
  if ([referenceFile, ...currentFiles].every((f) => dataFormat(f) === 'csv'))
    return openCsv(referenceFile, currentFiles, options.workerMinBytes);
  const [reference, current] = await Promise.all([readTable(referenceFile), readTables(currentFiles)]);
  return {
    reference,
    current,
    prepare: (name) => Promise.resolve(prepareColumn(reference.columns.get(name)!, current.columns.get(name)!)),
    close: () => undefined,
  };
}

const names = (side: SpilledSide): ColumnNames => ({
  files: side.files,
  rowCount: side.rowCount,
  columns: new Map(Object.entries(side.columns)),
});

async function openCsv(referenceFile: string, currentFiles: readonly string[], workerMinBytes?: number): Promise<DriftData> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlops-drift-'));
  const workers = openSides([referenceFile, ...currentFiles], workerMinBytes);
  const close = () => {
    for (const w of new Set(workers)) w.close();
    rmSync(dir, { recursive: true, force: true });
  };
  let sides: [SpilledSide, SpilledSide];
  try {
    sides = await Promise.all([workers[0].spill([referenceFile], dir, 'reference'), workers[1].spill(currentFiles, dir, 'current')]);
  } catch (error) {
    close();
    throw error;
  }
  const [ref, cur] = sides;
  // Columns with text on either side, read as text in one second pass when the first is needed.
  const textNames = Object.keys(ref.columns).filter((n) => cur.columns[n] && !(ref.columns[n]!.numeric && cur.columns[n]!.numeric));
  let text: Promise<[Map<string, Cell[]>, Map<string, Cell[]>]> | undefined;
  return {
    reference: names(ref),
    current: names(cur),
    async prepare(name) {
      const a = ref.columns[name]!;
      const b = cur.columns[name]!;
      if (a.numeric && b.numeric) {
        const [x, y] = await Promise.all([workers[0].sorted(a), workers[1].sorted(b)]);
        return numericColumn(x, a.missing, y, b.missing);
      }
      text ??= Promise.all([collectCells(ref.files, textNames), collectCells(cur.files, textNames)]);
      const [refCells, curCells] = await text;
      const column = prepareColumn(refCells.get(name)!, curCells.get(name)!);
      refCells.delete(name);
      curCells.delete(name);
      return column;
    },
    close,
  };
}
