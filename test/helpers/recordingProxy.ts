// Records MLflow REST traffic: a loopback proxy in front of a tracking server that appends one JSON
// line per exchange (request and response) to a file. Used in a session to capture what the real
// MLflow 2.12.2 client and server send; the replay tests read the fixtures made from those lines.
//   npx tsx test/helpers/recordingProxy.ts <target url> <port> <out.jsonl>
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [target, port, out] = process.argv.slice(2);
if (!target || !port || !out) throw new Error('usage: recordingProxy.ts <target url> <port> <out.jsonl>');

function describeBody(data: Buffer, contentType: string | undefined): unknown {
  if (data.length === 0) return undefined;
  if (contentType?.includes('json') || /^\s*[[{]/.test(data.subarray(0, 1).toString())) {
    try {
      return { json: JSON.parse(data.toString('utf8')) };
    } catch {
      // not JSON after all
    }
  }
  const text = data.toString('utf8');
  if (data.length <= 16_384 && Buffer.from(text, 'utf8').equals(data) && !text.includes('\u0000')) return { text };
  return { bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
}

let seq = 0;
createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
    const n = ++seq;
    void fetch(`${target}${req.url}`, { method: req.method!, headers, ...(body.length ? { body } : {}) })
      .then(async (answer) => {
        const data = Buffer.from(await answer.arrayBuffer());
        const line = {
          seq: n,
          method: req.method,
          path: req.url,
          request: describeBody(body, req.headers['content-type']),
          status: answer.status,
          response: describeBody(data, answer.headers.get('content-type') ?? undefined),
        };
        appendFileSync(out, `${JSON.stringify(line)}\n`);
        const type = answer.headers.get('content-type');
        res.writeHead(answer.status, type ? { 'Content-Type': type } : {});
        res.end(data);
      })
      .catch((error: unknown) => {
        res.writeHead(502);
        res.end(String(error));
      });
  });
}).listen(Number(port), '127.0.0.1');
