import { isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { Fix, MlopsDiagnostic } from '../../diagnostics';
import type { ParsedDocument } from '../../document/parsedDocument';
import type { ValidationContext } from '../../validation/context';
import { runsBefore } from '../dag';
import { pipelineModel, type PipelineModel, type StepDecl } from '../model';
import { outputWriters } from '../outputPaths';
import { isStepPart } from '../stepModel';
import { Report, valueSpan } from '../../yaml/report';

/**
 * `missing-file` for literal `inputs`: a path no step writes and the disk
 * lacks, or a path another step writes without running first (then the
 * fix adds that step to `needs`). The disk is asked once per distinct path.
 */
export function pipelineFilesRule(doc: ParsedDocument, context: ValidationContext): MlopsDiagnostic[] {
  const model = pipelineModel(doc);
  const report = new Report();
  const writers = outputWriters(model);
  const exists = new Map<string, boolean | undefined>();
  for (const part of model.parts) {
    if (!isStepPart(part)) continue;
    const step = part.decl;
    for (const { at: item, path } of part.reads) {
      const span = valueSpan(item);
      // The last step that writes the path counts as its producer.
      const producer = writers.lastOf(path)?.step;
      if (producer !== undefined) {
        if (producer === step.name) continue;
        if (runsBefore(model, producer, step.name)) continue;
        const fix = addNeedsFix(model, step, producer);
        report.add(
          'missing-file',
          span,
          `\`${item.value}\` is written by step \`${producer}\`, which may not have run before \`${step.name}\`; add \`${producer}\` to \`needs\``,
          {
            severity: 'warning',
            ...(fix ? { fixes: [fix] } : {}),
          },
        );
        continue;
      }
      if (!exists.has(path)) exists.set(path, context.fileExists?.(doc.uri, path));
      if (exists.get(path) === false) {
        report.add(
          'missing-file',
          span,
          `\`${item.value}\` does not exist${step.workdir ? ` (in workdir \`${step.workdir}\`)` : ''} and no step writes it`,
          { severity: 'warning' },
        );
      }
    }
  }
  return report.diagnostics;
}

/** Adds `producer` to `step`'s `needs`, in whichever form the list is written. */
export function addNeedsFix(model: PipelineModel, step: StepDecl, producer: string): Fix | undefined {
  const text = model.doc.text;
  const title = `Add \`${producer}\` to \`needs\` of \`${step.name}\``;
  const body = step.body;
  if (!body) return undefined;
  const needs = body.get('needs', true) as Node | undefined;
  if (isSeq(needs) && needs.range) {
    const last = needs.items[needs.items.length - 1] as Scalar | undefined;
    if (needs.flow) {
      const at = last?.range ? last.range[1] : needs.range[0] + 1;
      return { title, edits: [{ start: at, end: at, newText: last ? `, ${producer}` : producer }] };
    }
    if (!last?.range) return undefined;
    const line = text.positionAt(last.range[0]);
    const dash = text.getText().lastIndexOf('-', last.range[0]);
    const indent = ' '.repeat(text.positionAt(dash).character);
    const at = text.offsetAt({ line: line.line + 1, character: 0 });
    return { title, edits: [{ start: at, end: at, newText: `${indent}- ${producer}\n` }] };
  }
  if (isScalar(needs) && needs.range && typeof needs.value === 'string') {
    return { title, edits: [{ start: needs.range[0], end: needs.range[1], newText: `[${needs.value}, ${producer}]` }] };
  }
  if (body.flow || !body.range) {
    if (!body.range) return undefined;
    const at = body.range[0] + 1;
    return { title, edits: [{ start: at, end: at, newText: ` needs: [${producer}],` }] };
  }
  const firstKey = body.items[0]?.key as Node | null | undefined;
  if (!firstKey?.range) return undefined;
  const indent = ' '.repeat(text.positionAt(firstKey.range[0]).character);
  const at = text.offsetAt({ line: text.positionAt(firstKey.range[0]).line, character: 0 });
  return { title, edits: [{ start: at, end: at, newText: `${indent}needs: [${producer}]\n` }] };
}
