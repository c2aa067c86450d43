/** A check result as text: the CLI's table and verdict, and the one-line summaries of the editor. */
import * as path from 'node:path';
import type { MonitorCheckResult } from '../../../../common/src/monitor/result';
import { driftColumnLines, filesLine, formatFigure } from '../drift/columnTable';
import { textTable as table } from '../text/textTable';

/** Four decimals, or three significant digits in exponent form for small figures. */

/** "2 of 5 columns drifted; accuracy moved by -0.0800" and the like. */
export function summarizeResult(result: MonitorCheckResult): string {
  if (result.status === 'error') return `not checked: ${result.error ?? 'unknown error'}`;
  const parts: string[] = [];
  if (result.data)
    parts.push(
      `${result.data.driftedColumns} of ${result.data.columns.length} columns drifted${result.data.datasetDrift ? ' (dataset drift)' : ''}`,
    );
  const perf = result.performance;
  if (perf && 'metrics' in perf) {
    const alerts = perf.metrics.filter((m) => m.alert);
    parts.push(
      alerts.length
        ? `performance alert: ${alerts.map((m) => `${m.metric} ${m.change !== null && m.change > 0 ? '+' : ''}${formatFigure(m.change)}`).join(', ')}`
        : 'performance within threshold',
    );
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
    lines.push(filesLine(data.referenceFile, data.referenceRows, data.currentFiles, data.currentRows), '');
    lines.push(...driftColumnLines(data.columns));
    for (const s of data.skipped) lines.push(`skipped ${s.column}: ${s.reason}`);
    lines.push(
      `${data.datasetDrift ? 'Dataset drift' : 'No dataset drift'}: ${data.driftedColumns} of ${data.columns.length} columns drifted (share ${data.share.toFixed(2)}, dataset drift at >= ${data.datasetDriftShare}).`,
    );
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
          perf.metrics.map((m) => [
            m.metric,
            m.baseline === null ? '-' : formatFigure(m.baseline),
            m.current === null ? '-' : formatFigure(m.current),
            m.change === null ? 'missing' : `${m.change > 0 ? '+' : ''}${formatFigure(m.change)}`,
            m.alert ? 'ALERT' : 'ok',
          ]),
        ),
      );
    }
  }
  lines.push('', `Verdict: ${result.status === 'drift' ? 'DRIFT' : 'OK'} (${summarizeResult(result)})`);
  if (result.status === 'drift' && result.onDrift?.pipeline) {
    const params = Object.entries(result.onDrift.params)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    lines.push(
      `On drift: run ${path.relative(path.dirname(result.file), result.onDrift.pipeline) || result.onDrift.pipeline}${params ? ` with ${params}` : ''}`,
    );
  }
  return lines.join('\n') + '\n';
}
