import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { assessWorkspace, LEVEL_ITEMS, LEVELS, type Assessment } from '../../core/maturity/assess';
import { openTrackingAccess, trackingChoiceFor, type TrackingAccess } from '../../core/tracking/rest/access';
import { UsageError } from '../../core/errors';
import { Exit, type CliCommand, type CliIO } from '../command';
import { JSON_OPTION, retryNotice, TRACKING_URI_OPTION, trackingUriOf, WORKSPACE_OPTION, workspaceOf } from './trackingAccess';

/** The store to read, when there is one: a workspace without `.mlops/tracking.db` has none yet, and none is made. */
async function storeOf(values: Record<string, unknown>, io: CliIO, workspaceDir: string): Promise<TrackingAccess | undefined> {
  const choice = trackingChoiceFor(workspaceDir, trackingUriOf(values).trackingUri, process.env);
  if (choice.kind !== 'remote' && !existsSync(path.join(workspaceDir, '.mlops', 'tracking.db'))) return undefined;
  return openTrackingAccess(workspaceDir, { onRetry: retryNotice(io), ...trackingUriOf(values) });
}

export function maturityLines(a: Assessment): string[] {
  const width = Math.max(...a.items.map((i) => i.title.length));
  const lines = [`Maturity level ${a.level} of 4: ${a.levelName}`, ''];
  for (const item of a.items) {
    lines.push(`  ${item.met ? '✓' : '✗'} ${item.title.padEnd(width)}  ${item.evidence}`);
    if (item.next) lines.push(`    ${''.padEnd(width)}  next: ${item.next.title} (${item.next.cli})`);
  }
  if (a.level < 4) {
    const titles = a.toNextLevel.map((id) => a.items.find((i) => i.id === id)!.title.toLowerCase());
    lines.push('', `Level ${a.level + 1} (${LEVELS[a.level + 1]}) needs: ${titles.join(', ')}.`);
  }
  return lines;
}

export const maturityCommand: CliCommand = {
  name: 'maturity',
  summary: 'Where the workspace stands on the MLOps maturity ladder (levels 0-4), with the evidence and the next step.',
  usage: 'mlops maturity [--json] [--workspace DIR] [--tracking-uri URI]',
  details: [
    'Checks the seven items of the checklist (tracking, feature store, training pipeline, model registry,',
    'CI/CD, monitoring and alerting, retraining trigger) against the workspace files, its CI workflows and',
    'its tracking store, and prints the level they reach: 1 pipeline automation (tracking, a pipeline with',
    'a finished run), 2 CI/CD for ML (+ a model version in a stage or under an alias, a CI workflow that',
    `validates and runs), 3 continuous training (+ a retraining trigger), 4 full MLOps (+ monitoring with a`,
    `check on record, a feature store). Exit 0; the report is the answer. Levels: ${LEVEL_ITEMS.length - 1}.`,
  ].join('\n'),
  options: { json: JSON_OPTION, workspace: WORKSPACE_OPTION, 'tracking-uri': TRACKING_URI_OPTION },
  examples: ['mlops maturity', 'mlops maturity --json --workspace samples/churn'],
  async run(values, positionals, io) {
    if (positionals.length) throw new UsageError(`unexpected ${positionals.join(' ')}; give the folder with --workspace DIR`);
    const workspaceDir = workspaceOf(values, io.cwd);
    const access = await storeOf(values, io, workspaceDir);
    try {
      const assessment = await assessWorkspace({ workspaceDir, ...(access ? { api: access.api } : {}) });
      io.out(values.json ? `${JSON.stringify(assessment, null, 2)}\n` : `${maturityLines(assessment).join('\n')}\n`);
      return Exit.ok;
    } finally {
      await access?.close();
    }
  },
};
