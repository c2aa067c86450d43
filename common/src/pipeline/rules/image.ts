import type { MlopsDiagnostic } from '../../diagnostics';
import type { ParsedDocument } from '../../document/parsedDocument';
import type { ValidationContext } from '../../validation/context';
import { keySpan, Report } from '../../yaml/report';
import { scalarText } from '../../yaml/nodes';
import { pipelineModel } from '../model';

/**
 * `missing-image` (a warning, only with `mlops.export.warnMissingImage`): a step that a Kubeflow or
 * Argo export could not place in a container, because neither it nor the pipeline names an image.
 */
export function pipelineImageRule(doc: ParsedDocument, context: ValidationContext): MlopsDiagnostic[] {
  if (!context.warnMissingImage) return [];
  const model = pipelineModel(doc);
  if (scalarText(model.root?.get('image', true))?.trim()) return [];
  const report = new Report();
  for (const step of model.steps.values()) {
    if (scalarText(step.body?.get('image', true))?.trim()) continue;
    report.add(
      'missing-image',
      keySpan(step.pair),
      `step \`${step.name}\` has no \`image\`, which a Kubeflow or Argo export needs: set \`image\` here, or a top-level \`image\` for every step`,
      { severity: 'warning' },
    );
  }
  return report.diagnostics;
}
