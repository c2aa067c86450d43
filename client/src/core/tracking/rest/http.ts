import type { IncomingMessage, ServerResponse } from 'node:http';
import { RestError } from './errors';
import { parseJsonText } from './jsonBody';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** Default cap on a JSON request body: far above MLflow's largest (a full log-batch). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Reads a request body up to `limit` bytes. Past it (or when Content-Length already says so) it
 * stops reading and fails with 413; the server then answers and closes the connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new RestError(413, 'BAD_REQUEST', `Request body is larger than the ${limit} bytes this endpoint accepts.`, { Connection: 'close' });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    // The client went away mid-body (ECONNRESET 'aborted'): a refused request, not an internal error.
    req.on('error', (error) => reject(new RestError(400, 'BAD_REQUEST', `The request body ended early: ${error.message}.`)));
  });
}

/** A JSON body as MLflow reads it (./jsonBody.ts): empty is `{}`; only an object is a message. */
export function parseJsonBody(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0) return {};
  // Only JSON: a form or text/plain body (what a web page can send without a preflight) is refused.
  if (contentType !== undefined && !/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new RestError(400, 'INVALID_PARAMETER_VALUE', `Bad Request. Content-Type must be 'application/json', got '${contentType}'.`);
  }
  const parsed = parseJsonText(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RestError(400, 'INVALID_PARAMETER_VALUE', 'The request body must be a JSON object.');
  }
  return parsed;
}
