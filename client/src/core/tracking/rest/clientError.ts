import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** How long a refused connection may go on sending before it is dropped. */
const LINGER_MS = 2000;

function refusal(code: string | undefined): { status: number; errorCode: string; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW')
    return {
      status: 431,
      errorCode: 'INVALID_PARAMETER_VALUE',
      message: `The request's URL and headers are longer than the ${maxHeaderSize} bytes this endpoint reads. Send long values in a POST body (runs/search, experiments/search, registered-models/get-latest-versions take one).`,
    };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'ERR_HTTP_HEADERS_TIMEOUT')
    return { status: 408, errorCode: 'BAD_REQUEST', message: 'The request did not arrive in time.' };
  return { status: 400, errorCode: 'BAD_REQUEST', message: `Malformed HTTP request (${code ?? 'unknown error'}).` };
}

/**
 * `server.on('clientError')`: what Node's HTTP parser refuses before any handler runs (a URL over
 * its header limit, a malformed request line) is answered in MLflow's error shape, not with Node's
 * bare status, and logged. The connection is then half-closed and drained for a moment, so that a
 * client still sending its long URL reads the answer instead of a reset.
 */
export function clientErrorHandler(log?: (line: string) => void): (error: Error & { code?: string }, socket: Duplex) => void {
  const answered = new WeakSet<Duplex>();
  return (error, socket) => {
    if (answered.has(socket)) return;
    if (!socket.writable || error.code === 'ECONNRESET' || error.code === 'EPIPE') {
      socket.destroy();
      return;
    }
    answered.add(socket);
    const { status, errorCode, message } = refusal(error.code);
    log?.(`HTTP request refused before routing: ${status} ${errorCode} (${error.code ?? error.message})`);
    const body = JSON.stringify({ error_code: errorCode, message });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}
