import * as path from 'node:path';
import { UsageError } from '../../core/errors';
import {
  checkDrift,
  DataFileError,
  DRIFT_METHODS,
  DriftInputError,
  isMethodChoice,
  type DriftCheck,
  type DriftReport,
} from '../../core/drift';
import { driftColumnLines, filesLine } from '../../core/drift/columnTable';
import { Exit, type CliCommand, type CliIO } from '../command';

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

function numberOption(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got '${String(value)}'`);
  }
  return n;
}

export const driftCommand: CliCommand = {
  name: 'drift',
  summary: 'Compare current data with reference data, column by column, for data drift.',
  usage: 'mlops drift --reference FILE --current FILE|GLOB [options]',
  details: [
    'Reads CSV or Parquet files; --current may be repeated or a glob, and all its files are read as one table.',
    'Compares every column both sides share unless --columns names some; --ignore leaves columns out.',
    `Methods: auto (the default, as in monitor files), ${DRIFT_METHODS.join(', ')}.`,
    'auto: reference <= 1000 values: numbers with > 5 distinct values -> ks, 3-5 values or text with > 2 -> chi2, <= 2 -> z;',
    'larger references: numbers with > 5 distinct values -> wasserstein (normed), otherwise jensen_shannon (both drift at >= 0.1).',
    'A p-value test finds drift when p < threshold (default 0.05); a distance when it is >= threshold (default 0.1).',
    'With auto, --threshold applies to the p-value tests. Missing values are counted and left out.',
    'Exit status: 0 no dataset drift, 1 dataset drift (drifted share of columns >= --share), 2 bad usage or unreadable data.',
  ].join('\n'),
  options: {
    reference: { type: 'string', value: 'FILE', description: 'The baseline data (.csv or .parquet)' },
    current: { type: 'string', value: 'FILE|GLOB', multiple: true, description: 'The data to check; a glob reads every match' },
    columns: { type: 'string', value: 'A,B', multiple: true, description: 'Only these columns' },
    ignore: { type: 'string', value: 'A,B', multiple: true, description: 'Leave these columns out' },
    method: { type: 'string', value: 'METHOD', description: `auto (default), ${DRIFT_METHODS.join(', ')}` },
    threshold: { type: 'string', value: 'X', description: 'p-value below which, or distance from which, a column drifts' },
    share: { type: 'string', value: 'X', description: 'Share of drifted columns that makes dataset drift (default 0.5)' },
    json: { type: 'boolean', description: 'Print the report as JSON' },
  },
  examples: [
    'mlops drift --reference data/churn.csv --current "data/incoming/*.csv"',
    'mlops drift --reference train.parquet --current live.parquet --columns age,income --method ks --json',
  ],
  async run(values, positionals, io) {
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}' (give files with --reference and --current)`);
    if (typeof values.reference !== 'string') throw new UsageError('--reference FILE is required');
    const currentEntries = list(values.current);
    if (currentEntries.length === 0) throw new UsageError('--current FILE|GLOB is required');
    const method = typeof values.method === 'string' ? values.method : 'auto';
    if (!isMethodChoice(method)) throw new UsageError(`--method must be auto or one of ${DRIFT_METHODS.join(', ')}, got '${method}'`);
    const threshold = numberOption(values.threshold, 'threshold', 0, Number.MAX_VALUE);
    const share = numberOption(values.share, 'share', 0, 1) ?? 0.5;
    const columns = list(values.columns);
    let check: DriftCheck;
    try {
      check = await checkDrift({
        reference: values.reference,
        current: currentEntries,
        cwd: io.cwd,
        ...(columns.length ? { columns } : {}),
        ignore: list(values.ignore),
        method,
        ...(threshold !== undefined ? { threshold } : {}),
        datasetDriftShare: share,
      });
    } catch (error) {
      if (error instanceof DataFileError || error instanceof DriftInputError) throw new UsageError(error.message);
      throw error;
    }
    const { report, referenceFile, currentFiles } = check;
    const shown = (f: string) => displayPath(f, io.cwd);
    if (values.json === true) {
      io.out(
        JSON.stringify(
          {
            reference: { files: [shown(referenceFile)], rows: report.referenceRows },
            current: { files: currentFiles.map(shown), rows: report.currentRows },
            ...report,
          },
          null,
          2,
        ) + '\n',
      );
    } else printReport(report, shown(referenceFile), currentFiles.map(shown), io);
    return report.datasetDrift ? Exit.problems : Exit.ok;
  },
};

function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** Four decimals, or three significant digits in exponent form for small figures. */

function printReport(report: DriftReport, reference: string, current: readonly string[], io: CliIO): void {
  io.out(`${filesLine(reference, report.referenceRows, current, report.currentRows)}\n\n`);
  const lines = driftColumnLines(report.columns);
  if (lines.length) io.out(`${lines.join('\n')}\n`);
  for (const s of report.skipped) io.out(`skipped ${s.column}: ${s.reason}\n`);
  const missing = report.columns.filter((c) => c.reference.missing + c.current.missing > 0);
  for (const c of missing) io.out(`${c.column}: ${c.reference.missing} missing in reference, ${c.current.missing} in current (left out)\n`);
  const verdict = report.datasetDrift ? 'Dataset drift' : 'No dataset drift';
  io.out(
    `\n${verdict}: ${report.driftedColumns} of ${report.columns.length} columns drifted (share ${report.share.toFixed(2)}, dataset drift at >= ${report.datasetDriftShare}).\n`,
  );
}
