// One large drift check in a process of its own, so that its peak memory is its own:
//   node --import tsx test/bench/drift/largeCheck.ts REFERENCE.csv CURRENT.csv
// prints JSON {seconds, cpuSeconds (every thread), maxRssMb, columns: [{column, statistic, pValue}]} (checkDrift, --method ks: what `mlops drift` runs).
import { checkDrift } from '../../../client/src/core/drift';

async function main(): Promise<void> {
  const [reference, current] = process.argv.slice(2);
  const t = performance.now();
  const { report } = await checkDrift({
    reference: reference!,
    current: [current!],
    cwd: process.cwd(),
    method: 'ks',
    datasetDriftShare: 0.5,
  });
  const seconds = (performance.now() - t) / 1000;
  const columns = report.columns.map((c) => ({ column: c.column, statistic: c.statistic, pValue: c.value }));
  const cpu = process.cpuUsage();
  console.log(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      rows: report.referenceRows,
      columns,
    }),
  );
}

void main();
