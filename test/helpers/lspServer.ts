import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type ConfigurationItem,
  type InitializeResult,
  type LogMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
  type TextDocumentContentChangeEvent,
  type WorkspaceFolder,
} from 'vscode-languageserver-protocol/node';

export const SERVER_JS = path.resolve(__dirname, '../../server/out/server.js');

/** How to start a server other than ours, or ours with other client settings. */
export interface StartOptions {
  /** Node script to run and its arguments; default: our server with `--stdio`. */
  readonly script?: string;
  readonly args?: readonly string[];
  /** Extra Node flags (e.g. `--max-old-space-size=4096`). */
  readonly nodeArgs?: readonly string[];
  readonly capabilities?: ClientCapabilities;
  readonly rootUri?: string | null;
  readonly workspaceFolders?: WorkspaceFolder[] | null;
  /** Answers the server's `workspace/configuration` requests, one value per item. */
  readonly configuration?: (items: ConfigurationItem[]) => unknown[];
  /** How long `initialize` may take. Default 20 s. */
  readonly initializeTimeoutMs?: number;
}

/** A publication with the client-side time (performance.now()) it arrived. */
export interface Publication {
  readonly params: PublishDiagnosticsParams;
  readonly receivedAt: number;
  /** Its position in `published`. */
  readonly index: number;
}

/** Memory of the server process from /proc (Linux only), in MB. */
export interface ServerMemory {
  readonly rssMb: number;
  /** VmHWM: the peak resident set size. */
  readonly peakRssMb: number;
}

/** A request that got no answer in time, or whose server went away. */
export class RequestTimeout extends Error {}

/** The real language server process, driven over stdio as an editor would. */
export class LspServer {
  readonly published: PublishDiagnosticsParams[] = [];
  /** performance.now() at which each entry of `published` arrived. */
  readonly publishedAt: number[] = [];
  /** `window/logMessage` and `window/showMessage` notifications, in order. */
  readonly logs: (LogMessageParams | ShowMessageParams)[] = [];
  private readonly waiters: (() => void)[] = [];
  readonly stderr: string[] = [];
  private exited: number | null | undefined;
  private exitSignal: string | null = null;
  private readonly onExit = new Set<() => void>();
  private initializeResult: InitializeResult | undefined;

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      this.publishedAt.push(performance.now());
      this.wake();
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params);
    });
    connection.onNotification(ShowMessageNotification.type, (params) => {
      this.logs.push(params);
    });
    process.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    process.on('exit', (code, signal) => {
      this.exited = code;
      this.exitSignal = signal;
      this.wake();
      for (const callback of [...this.onExit]) callback();
    });
  }

  static async start(
    initializationOptions: Record<string, unknown> = { validationDelayMs: 20 },
    options: StartOptions = {},
  ): Promise<LspServer> {
    const script = options.script ?? SERVER_JS;
    const args = options.args ?? ['--stdio'];
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], { stdio: 'pipe' });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    if (options.configuration) {
      const answer = options.configuration;
      connection.onRequest(ConfigurationRequest.type, (params) => answer(params.items));
    }
    connection.listen();
    const server = new LspServer(child, connection);
    try {
      const result = await server.withTimeout(
        connection.sendRequest(InitializeRequest.type, {
          processId: process.pid,
          rootUri: options.rootUri ?? null,
          capabilities: options.capabilities ?? {},
          workspaceFolders: options.workspaceFolders ?? null,
          initializationOptions,
        }),
        options.initializeTimeoutMs ?? 20_000,
        'initialize',
      );
      if (!result.capabilities.textDocumentSync) throw new Error('server announced no text document sync');
      server.initializeResult = result;
      await connection.sendNotification(InitializedNotification.type, {});
    } catch (error) {
      child.kill('SIGKILL');
      connection.dispose();
      throw error;
    }
    return server;
  }

  get exitCode(): number | null | undefined {
    return this.exited;
  }

  /** How the process ended, for messages: `code 1`, `signal SIGSEGV`, or undefined while it runs. */
  get exitDescription(): string | undefined {
    if (this.exited === undefined) return undefined;
    return this.exitSignal ? `signal ${this.exitSignal}` : `code ${String(this.exited)}`;
  }

  /** The server's process id (for /proc). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  /** What the server answered to `initialize`. */
  get capabilities(): InitializeResult['capabilities'] {
    if (!this.initializeResult) throw new Error('not initialized');
    return this.initializeResult.capabilities;
  }

  async open(uri: string, languageId: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  async replace(uri: string, version: number, text: string): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  /** didChange with the given (full or incremental) content changes. */
  async change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /**
   * Sends a request and waits for its answer; rejects with the server's
   * ResponseError, or with RequestTimeout when no answer comes within
   * `timeoutMs` or the server exits first.
   */
  async request<R = unknown>(method: string, params: unknown, timeoutMs = 10_000): Promise<R> {
    return this.withTimeout(this.connection.sendRequest<R>(method, params), timeoutMs, method);
  }

  /** Like `request`, with the time from sending to the answer (ms). */
  async timedRequest<R = unknown>(method: string, params: unknown, timeoutMs = 10_000): Promise<{ result: R; ms: number }> {
    const start = performance.now();
    const result = await this.request<R>(method, params, timeoutMs);
    return { result, ms: performance.now() - start };
  }

  /** Waits for a publication for `uri` that satisfies `accept`, newer than the `after`-th publication. */
  async diagnostics(
    uri: string,
    accept: (p: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs = 5000,
    after = 0,
  ): Promise<PublishDiagnosticsParams> {
    return (await this.publication(uri, accept, timeoutMs, after)).params;
  }

  /** The publication for this version of `uri` (servers that send a version). */
  async diagnosticsFor(uri: string, version: number, timeoutMs = 5000, after = 0): Promise<Publication> {
    return this.publication(uri, (p) => p.version === version, timeoutMs, after);
  }

  /** Like `diagnostics`, with the time the publication arrived and its index. */
  async publication(
    uri: string,
    accept: (p: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs = 5000,
    after = 0,
  ): Promise<Publication> {
    const deadline = Date.now() + timeoutMs;
    let scanned = after;
    for (;;) {
      for (; scanned < this.published.length; scanned++) {
        const p = this.published[scanned]!;
        if (p.uri === uri && accept(p)) return { params: p, receivedAt: this.publishedAt[scanned]!, index: scanned };
      }
      if (this.exited !== undefined) throw new Error(`server exited (${this.exitDescription ?? '?'}): ${this.stderr.join('')}`);
      const left = deadline - Date.now();
      if (left <= 0) {
        const got = this.published.filter((p) => p.uri === uri).slice(-5);
        throw new RequestTimeout(
          `no matching diagnostics for ${uri} within ${timeoutMs} ms; the last ones: ${JSON.stringify(got).slice(0, 2000)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Current and peak resident memory from /proc/<pid>/status; undefined off Linux or after exit. */
  memory(): ServerMemory | undefined {
    if (this.pid === undefined || this.exited !== undefined) return undefined;
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (field: string): number | undefined => {
        const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
        return match ? Number(match[1]) : undefined;
      };
      const rss = kb('VmRSS');
      const peak = kb('VmHWM');
      if (rss === undefined || peak === undefined) return undefined;
      return { rssMb: rss / 1024, peakRssMb: peak / 1024 };
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    if (this.exited === undefined) {
      await this.request(ShutdownRequest.method, undefined, 3000).catch(() => undefined);
      try {
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        // Already gone: the exit below resolves at once or after the kill.
      }
      await new Promise<void>((resolve) => {
        if (this.exited !== undefined) return resolve();
        const timer = setTimeout(() => {
          this.process.kill('SIGKILL');
          resolve();
        }, 3000);
        this.process.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.connection.dispose();
  }

  /** Kills the process at once (for a hung server). */
  kill(): void {
    if (this.exited === undefined) this.process.kill('SIGKILL');
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  private withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onExit = (): void => {
        done();
        reject(
          new RequestTimeout(
            `${what}: the server exited (${this.exitDescription ?? '?'}) before answering; stderr: ${this.stderr.join('').slice(-2000)}`,
          ),
        );
      };
      const timer = setTimeout(() => {
        done();
        reject(new RequestTimeout(`${what}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.onExit.delete(onExit);
      };
      if (this.exited !== undefined) return onExit();
      this.onExit.add(onExit);
      promise.then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
    });
  }
}
