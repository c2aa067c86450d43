/** A check result as text: the CLI's table and verdict, and the one-line summaries of the editor. */
import * as path from 'node:path';
import type { MonitorCheckResult } from '../../../../common/src/monitor/result';

/** Four decimals, or three significant digits in exponent form for small figures. */
export function formatFigure(x: number | null | undefined): string {
  if (x === null || x === undefined) return '∞';
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && Math.abs(x) < 1e-4) return x.toExponential(2);
  return x.toFixed(4);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

/** "2 of 5 columns drifted; accuracy moved by -0.0800" and the like. */
export function summarizeResult(result: MonitorCheckResult): string {
  if (result.status === 'error') return `not checked: ${result.error ?? 'unknown error'}`;
  const parts: string[] = [];
  if (result.data) parts.push(`${result.data.driftedColumns} of ${result.data.columns.length} columns drifted${result.data.datasetDrift ? ' (dataset drift)' : ''}`);
  const perf = result.performance;
  if (perf && 'metrics' in perf) {
    const alerts = perf.metrics.filter((m) => m.alert);
    parts.push(alerts.length ? `performance alert: ${alerts.map((m) => `${m.metric} ${m.change !== null && m.change > 0 ? '+' : ''}${formatFigure(m.change)}`).join(', ')}` : 'performance within threshold');
  }
  return parts.join('; ');
}

export function formatMonitorResult(result: MonitorCheckResult): string {
  const lines: string[] = [`Monitor ${result.monitor}  ${new Date(result.time).toISOString().replace('T', ' ').slice(0, 19)} UTC`];
  if (result.status === 'error') {
    lines.push(`Not checked: ${result.error ?? 'unknown error'}`);
    return lines.join('\n') + '\n';
  }
  const data = result.data;
  if (data) {
    const files = data.currentFiles.length === 1 ? data.currentFiles[0]! : `${data.currentFiles.length} files`;
    lines.push(`Reference: ${data.referenceFile} (${data.referenceRows} rows)  Current: ${files} (${data.currentRows} rows)`, '');
    const rows = data.columns.map((c) => [
      c.column,
      c.method,
      formatFigure(c.statistic),
      `${c.measure === 'p_value' ? 'p' : 'd'}=${formatFigure(c.value)}`,
      `${c.measure === 'p_value' ? '<' : '>='} ${c.threshold}`,
      c.drift ? 'DRIFT' : 'ok',
    ]);
    if (rows.length) lines.push(...table(['column', 'method', 'statistic', 'p-value/distance', 'threshold', 'drift'], rows));
    for (const s of data.skipped) lines.push(`skipped ${s.column}: ${s.reason}`);
    lines.push(`${data.datasetDrift ? 'Dataset drift' : 'No dataset drift'}: ${data.driftedColumns} of ${data.columns.length} columns drifted (share ${data.share.toFixed(2)}, dataset drift at >= ${data.datasetDriftShare}).`);
  }
  const perf = result.performance;
  if (perf) {
    lines.push('');
    if ('skipped' in perf) lines.push(`Performance not compared: ${perf.skipped}.`);
    else {
      lines.push(`Performance: ${perf.current} against ${perf.baseline} (alert when |change| > ${perf.alertThreshold})`);
      lines.push(
        ...table(
          ['metric', 'baseline', 'current', 'change', 'alert'],
          perf.metrics.map((m) => [m.metric, m.baseline === null ? '-' : formatFigure(m.baseline), m.current === null ? '-' : formatFigure(m.current), m.change === null ? 'missing' : `${m.change > 0 ? '+' : ''}${formatFigure(m.change)}`, m.alert ? 'ALERT' : 'ok']),
        ),
      );
    }
  }
  lines.push('', `Verdict: ${result.status === 'drift' ? 'DRIFT' : 'OK'} (${summarizeResult(result)})`);
  if (result.status === 'drift' && result.onDrift?.pipeline) {
    const params = Object.entries(result.onDrift.params).map(([k, v]) => `${k}=${String(v)}`).join(' ');
    lines.push(`On drift: run ${path.relative(path.dirname(result.file), result.onDrift.pipeline) || result.onDrift.pipeline}${params ? ` with ${params}` : ''}`);
  }
  return lines.join('\n') + '\n';
}
