import * as path from 'node:path';
import { DIAGNOSTIC_SOURCE } from '../../../../common/src';
import { collectFiles } from '../../core/validation/collectFiles';
import { indexFiles } from '../../core/validation/indexFiles';
import { validateFile, type FileReport } from '../../core/validation/validateFile';
import { UsageError } from '../../core/errors';
import { Exit, type CliCommand, type CliIO } from '../command';

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'Check pipeline, features and monitor files with the same rules as the editor.',
  usage: 'mlops validate [options] [paths or folders...]',
  details: [
    'Folders are searched for *.pipeline.yaml, *.features.yaml and *.monitor.yaml (and .yml),',
    'skipping node_modules, .venv, venv, .git and .mlops. With no path, the current folder.',
    'References across files (entities, sources, views, pipelines) resolve among the files checked',
    'together: give the folder that holds them all, as the editor resolves them in the workspace.',
    'Each problem prints as `file:line:col severity code message`; --format github prints GitHub Actions',
    'workflow commands (`::error file=...,line=...,col=...::message`), which annotate the pull request.',
    'Exit status: 0 no errors (warnings allowed), 1 at least one error, 2 bad usage or unreadable input.',
  ].join('\n'),
  options: {
    json: { type: 'boolean', description: 'Print a JSON report instead of lines (as --format json)' },
    format: { type: 'string', value: 'text|json|github', description: 'How to print the problems (default text)' },
    quiet: { type: 'boolean', short: 'q', description: 'Report errors only, no warnings, hints or summary' },
  },
  examples: [
    'mlops validate',
    'mlops validate pipelines/ churn.monitor.yaml',
    'mlops validate --json . > report.json',
    'mlops validate --format github .',
  ],
  async run(values, positionals, io) {
    const format = values.json === true ? 'json' : ((values.format as string | undefined) ?? 'text');
    if (!['text', 'json', 'github'].includes(format)) throw new UsageError(`--format must be text, json or github, got '${format}'`);
    const files = await collectFiles(positionals.length ? positionals : [io.cwd]);
    if (files.length === 0) {
      io.err(`mlops validate: no pipeline, features or monitor files under ${positionals.join(', ') || io.cwd}\n`);
      return Exit.usage;
    }
    const quiet = values.quiet === true;
    const reports: FileReport[] = [];
    const { index, docs } = await indexFiles(files);
    for (const file of files) {
      const report = await validateFile(file, { workspace: index, ...(docs.has(file) ? { doc: docs.get(file)! } : {}) });
      reports.push(quiet ? { ...report, diagnostics: report.diagnostics.filter((d) => d.severity === 'error') } : report);
    }
    if (format === 'json') printJson(reports, io);
    else if (format === 'github') printGithub(reports, io);
    else printLines(reports, io, quiet);
    return reports.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? Exit.problems : Exit.ok;
  },
};

function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function printLines(reports: readonly FileReport[], io: CliIO, quiet: boolean): void {
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const report of reports) {
    const shown = displayPath(report.file, io.cwd);
    for (const d of report.diagnostics) {
      counts[d.severity]++;
      io.out(`${shown}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}\n`);
    }
  }
  if (quiet) return;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
  if (counts.info + counts.hint > 0) parts.push(plural(counts.info + counts.hint, 'hint'));
  io.out(`${plural(reports.length, 'file')} checked: ${parts.join(', ')}\n`);
}

function printJson(reports: readonly FileReport[], io: CliIO): void {
  const files = reports.map((r) => ({
    file: displayPath(r.file, io.cwd),
    kind: r.kind,
    diagnostics: r.diagnostics.map((d) => ({
      line: d.line,
      column: d.column,
      endLine: d.endLine,
      endColumn: d.endColumn,
      severity: d.severity,
      code: d.code,
      source: DIAGNOSTIC_SOURCE,
      message: d.message,
    })),
  }));
  const count = (s: string) => files.reduce((n, f) => n + f.diagnostics.filter((d) => d.severity === s).length, 0);
  io.out(JSON.stringify({ files, errorCount: count('error'), warningCount: count('warning') }, null, 2) + '\n');
}

/** GitHub Actions escapes a workflow command's message this way, and its properties also `:` and `,`. */
const githubData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const githubProperty = (text: string) => githubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
const GITHUB_LEVEL = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' } as const;

/** One workflow command per problem (`::error file=...,line=...::message`): annotations on the pull request. */
function printGithub(reports: readonly FileReport[], io: CliIO): void {
  for (const report of reports) {
    const file = displayPath(report.file, io.cwd).split(path.sep).join('/');
    for (const d of report.diagnostics) {
      const properties = [
        `file=${githubProperty(file)}`,
        `line=${d.line}`,
        `col=${d.column}`,
        `endLine=${d.endLine}`,
        `endColumn=${d.endColumn}`,
        `title=${githubProperty(`mlops ${d.code}`)}`,
      ];
      io.out(`::${GITHUB_LEVEL[d.severity]} ${properties.join(',')}::${githubData(d.message)}\n`);
    }
  }
}
