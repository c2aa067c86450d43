/** The starter file of "MLOps: New Pipeline File": valid, small, and shows each idea once. */
export function pipelineTemplate(name: string): string {
  return `pipeline: ${name}
description: Describe what this pipeline produces
experiment: ${name.replace(/-/g, '_')}

params:
  input_data: { type: path, default: data/input.csv }
  epochs: { type: int, default: 10, min: 1 }

steps:
  prepare:
    run: python3 steps/prepare.py --input \${{ params.input_data }} --output \${{ outputs.dataset }}
    inputs: [steps/prepare.py, "\${{ params.input_data }}"]
    outputs:
      dataset: data/prepared.csv
  train:
    run: python3 steps/train.py --data \${{ steps.prepare.outputs.dataset }} --epochs \${{ params.epochs }} --model \${{ outputs.model }} --metrics \${{ outputs.metrics }}
    outputs:
      model: { path: models/model.pkl, type: model }
      metrics: { path: reports/metrics.json, type: metrics }
`;
}
