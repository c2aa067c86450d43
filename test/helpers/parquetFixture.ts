import { writeFileSync } from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';

/**
 * Writes the stores table of test/fixtures/features-workspace/data/stores.parquet:
 * `npx tsx test/helpers/parquetFixture.ts <file>` makes it again.
 */
export function writeStoresParquet(file: string): void {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'store_id', data: [1n, 2n, 3n], type: 'INT64' },
      {
        name: 'ts',
        data: [new Date('2024-01-01T00:00:00Z'), new Date('2024-01-02T00:00:00Z'), new Date('2024-01-03T00:00:00Z')],
        type: 'TIMESTAMP',
      },
      { name: 'revenue', data: [1200.5, 980.25, 1502], type: 'DOUBLE' },
      { name: 'open', data: [true, false, true], type: 'BOOLEAN' },
      { name: 'city', data: ['Lyon', 'Oslo', 'Porto'], type: 'STRING' },
    ],
  });
  writeFileSync(file, new Uint8Array(buffer));
}

if (require.main === module) writeStoresParquet(process.argv[2] ?? 'stores.parquet');
