import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { errorMessage } from '../../../../common/src/errors';

export interface MetricLine {
  readonly key: string;
  readonly value: number;
  readonly step: number;
}

const POLL_MS = 250;
const MAX_WARNINGS = 5;

/** One line of MLOPS_METRICS_FILE: `{"key": "loss", "value": 0.3, "step": 1}`; `step` is optional. */
export function parseMetricLine(line: string): MetricLine | string {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return 'not a JSON object';
  const { key, value, step } = data as Record<string, unknown>;
  if (typeof key !== 'string' || key.trim() === '') return 'no "key" string';
  if (typeof value !== 'number' || !Number.isFinite(value)) return `"value" of ${key} is not a finite number`;
  if (step !== undefined && (typeof step !== 'number' || !Number.isInteger(step))) return `"step" of ${key} is not an integer`;
  return { key, value, step: typeof step === 'number' ? step : 0 };
}

/**
 * Follows the JSON-lines metrics file a step appends to, in any language,
 * and hands each complete line over as it lands. Polling a file the step owns
 * works the same on every platform and file system, unlike fs.watch.
 */
export class MetricsFileTail {
  private offset = 0;
  private partial = '';
  private readonly decoder = new StringDecoder('utf8');
  private lineNo = 0;
  private warnings = 0;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly file: string,
    private readonly onMetric: (metric: MetricLine) => void,
    private readonly onWarning: (message: string) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.reading = this.reading.then(() => this.read());
    }, POLL_MS);
    this.timer.unref();
  }

  /** Reads what is left, including a last line without a newline, and stops; later calls wait for the same. */
  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopped ??= (async () => {
      await this.reading;
      await this.read();
      if (this.partial.trim() !== '') this.line(this.partial);
      this.partial = '';
    })();
    return this.stopped;
  }

  private async read(): Promise<void> {
    // Most steps never write the file: a stat is cheaper than a failed open on the thread pool.
    if (!existsSync(this.file)) return;
    let handle;
    try {
      handle = await open(this.file, 'r');
    } catch {
      return; // Not written yet.
    }
    try {
      const { size } = await handle.stat();
      if (size <= this.offset) return;
      const buffer = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset += bytesRead;
      const text = this.partial + this.decoder.write(buffer.subarray(0, bytesRead));
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) this.line(line);
    } finally {
      await handle.close();
    }
  }

  private line(raw: string): void {
    this.lineNo++;
    const line = raw.trim();
    if (line === '') return;
    const parsed = parseMetricLine(line);
    if (typeof parsed !== 'string') {
      this.onMetric(parsed);
      return;
    }
    if (this.warnings++ < MAX_WARNINGS) this.onWarning(`MLOPS_METRICS_FILE line ${this.lineNo} skipped: ${parsed}`);
  }
}

/** A `metrics` output: a JSON object of name -> number (the seed's metrics.json). Non-numbers are reported, not logged. */
export async function readMetricsOutput(file: string): Promise<{ metrics: Record<string, number>; skipped: string[] }> {
  const text = await readFile(file, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${errorMessage(error)}`, { cause: error });
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error(`${file} must hold a JSON object of metric name -> number`);
  const metrics: Record<string, number> = {};
  const skipped: string[] = [];
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (typeof value === 'number' && Number.isFinite(value)) metrics[key] = value;
    else if (typeof value === 'boolean') metrics[key] = value ? 1 : 0;
    else skipped.push(key);
  }
  return { metrics, skipped };
}
