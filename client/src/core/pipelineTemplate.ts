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

/** The starter file of "MLOps: New Features File": one entity, one source, one view, one service, in Feast's names. */
export function featuresTemplate(name: string): string {
  const project = name.replace(/[^A-Za-z0-9_]/g, '_');
  return `project: ${project}

entities:
  - name: customer
    join_keys: [customer_id]
    value_type: String

sources:
  - name: customer_stats
    type: file
    path: data/customer_stats.csv      # CSV or Parquet: one row per customer and time
    timestamp_field: event_timestamp

feature_views:
  - name: customer_features
    entities: [customer]
    ttl: 1d
    online: true
    source: customer_stats
    schema:
      - { name: total_purchases, dtype: Int64 }
      - { name: avg_order_value, dtype: Float32 }

feature_services:
  - name: ${project}_v1
    features:
      - customer_features: [total_purchases, avg_order_value]
`;
}

/** The starter file of "MLOps: New Monitor File": data drift on a schedule, retraining with `pipeline` (relative) when given. */
export function monitorTemplate(name: string, pipeline?: string): string {
  return `monitor: ${name}
reference: data/train.csv             # the data the model learned from
current: data/incoming/*.csv          # the batches that arrive since
data_drift:
  method: auto
  threshold: 0.05
schedule: 1h
on_drift:
  notify: true
${pipeline ? `  run_pipeline: ${pipeline}          # retrain on drift\n` : '  # run_pipeline: train.pipeline.yaml   # retrain on drift\n'}`;
}
