/** One Server-Sent Event as the WHATWG "event stream interpretation" dispatches it. */
export interface SseEvent {
  /** The `event:` field; `message` when none was given. */
  readonly event: string;
  /** The `data:` lines joined by newlines. */
  readonly data: string;
  /** The last event id seen so far on the stream (`id:` of this event or an earlier one). */
  readonly lastEventId: string;
}

/**
 * A push parser of `text/event-stream` (https://html.spec.whatwg.org/#event-stream-interpretation):
 * lines end in CR, LF or CRLF (even split across chunks), `:` starts a comment, a blank line
 * dispatches, `id` without NUL sets the last event id, `retry` digits set the reconnection delay.
 * Chunks must already be decoded text (a response with setEncoding('utf8') keeps characters whole).
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private started = false;
  lastEventId = '';

  constructor(
    private readonly onEvent: (event: SseEvent) => void,
    private readonly onRetry?: (ms: number) => void,
  ) {}

  push(chunk: string): void {
    let text = this.buffer + chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    let start = 0;
    for (;;) {
      const end = lineEnd(text, start);
      if (end === -1) break;
      this.line(text.slice(start, end));
      start = end + (text[end] === '\r' && text[end + 1] === '\n' ? 2 : 1);
    }
    this.buffer = text.slice(start);
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.onRetry?.(Number(value));
  }

  private dispatch(): void {
    const data = this.data;
    const event = this.event;
    this.data = [];
    this.event = '';
    if (data.length === 0) return;
    this.onEvent({ event: event || 'message', data: data.join('\n'), lastEventId: this.lastEventId });
  }
}

/** Where the line starting at `from` ends, or -1 when it may go on in the next chunk (a CR at the very end may be half of CRLF). */
function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return i;
    if (c === 13) return i + 1 < text.length ? i : -1;
  }
  return -1;
}

/** One event as the server writes it; `data` must hold no line break (JSON.stringify never writes one). */
export function sseFrame(event: string, id: string, data: string): string {
  return `id: ${id}\nevent: ${event}\ndata: ${data}\n\n`;
}
