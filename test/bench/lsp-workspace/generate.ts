import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Random } from '../../helpers/lspRandom';

export interface GeneratedWorkspace {
  readonly root: string;
  readonly files: number;
  readonly views: number;
  readonly fields: number;
  /** The file defining the entity that `hotViews` views use, and its text. */
  readonly hotFile: string;
  readonly hotEntity: string;
  /** The files holding a view that uses the hot entity. */
  readonly hotUsers: readonly string[];
}

export interface GenerateOptions {
  readonly files: number;
  readonly viewsPerFile: number;
  readonly fieldsPerView: number;
  readonly hotViews: number;
  readonly seed: number;
}

/** Columns of the CSV files the sources read: every field name, an id and a timestamp. */
function csv(fields: number): string {
  const names = ['id', 'event_timestamp', ...Array.from({ length: fields }, (_, i) => `f${i}`)];
  const row = (n: number) => [`k${n}`, '2024-01-01T00:00:00Z', ...Array.from({ length: fields }, (_, i) => String(n * i))].join(',');
  return `${names.join(',')}\n${row(1)}\n${row(2)}\n`;
}

/**
 * A workspace of features files valid per docs/formats.md: file i defines entity
 * `e{i}`, source `src{i}` (a CSV under data/), views `v{i}_{j}` with
 * `fieldsPerView` fields each and a service projecting two views of other
 * files. Views use the entity and source of another file; one view in each of
 * `hotViews` files uses the hot entity `customer` of file 0.
 */
export function generateWorkspace(root: string, options: GenerateOptions): GeneratedWorkspace {
  const random = new Random(options.seed);
  mkdirSync(path.join(root, 'data'), { recursive: true });
  for (let d = 0; d < 10; d++) writeFileSync(path.join(root, 'data', `table${d}.csv`), csv(options.fieldsPerView));
  const name = (i: number) => path.join(root, `group${Math.floor(i / 100)}`, `f${String(i).padStart(4, '0')}.features.yaml`);
  const hotUsers: string[] = [];
  let views = 0;
  let fields = 0;
  for (let i = 0; i < options.files; i++) {
    const lines: string[] = [`project: bench`, 'entities:'];
    if (i === 0) lines.push('  - name: customer', '    join_keys: [customer_id]', '    value_type: String');
    lines.push(
      `  - name: e${i}`,
      `    join_keys: [id${i}]`,
      '    value_type: Int64',
      'sources:',
      `  - name: src${i}`,
      '    type: file',
      `    path: ../data/table${i % 10}.csv`,
      '    timestamp_field: event_timestamp',
      'feature_views:',
    );
    const hot = i >= 1 && i <= options.hotViews;
    for (let j = 0; j < options.viewsPerFile; j++) {
      const other = (i + 1 + random.int(0, options.files - 2)) % options.files;
      const entity = hot && j === 0 ? 'customer' : `e${other}`;
      if (hot && j === 0) hotUsers.push(name(i));
      lines.push(`  - name: v${i}_${j}`, `    entities: [${entity}]`, `    ttl: ${1 + (j % 3)}d`, `    source: src${other}`, '    schema:');
      for (let k = 0; k < options.fieldsPerView; k++) lines.push(`      - { name: f${k}, dtype: ${k % 2 === 0 ? 'Int64' : 'Float32'} }`);
      views++;
      fields += options.fieldsPerView;
    }
    const a = (i + 3) % options.files;
    const b = (i + 7) % options.files;
    lines.push('feature_services:', `  - name: svc${i}`, '    features:', `      - v${a}_0: [f0, f1]`, `      - v${b}_1`);
    mkdirSync(path.dirname(name(i)), { recursive: true });
    writeFileSync(name(i), lines.join('\n') + '\n');
  }
  return { root, files: options.files, views, fields, hotFile: name(0), hotEntity: 'customer', hotUsers };
}
