import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const SERVER_JS = path.resolve(__dirname, '../../server/out/server.js');

/** The real language server process, driven over stdio as an editor would. */
export class LspServer {
  readonly published: PublishDiagnosticsParams[] = [];
  private readonly waiters: (() => void)[] = [];
  readonly stderr: string[] = [];
  private exited: number | null | undefined;

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      for (const wake of this.waiters.splice(0)) wake();
    });
    process.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    process.on('exit', (code) => {
      this.exited = code;
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async start(initializationOptions: Record<string, unknown> = { validationDelayMs: 20 }): Promise<LspServer> {
    const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: 'pipe' });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.listen();
    const server = new LspServer(child, connection);
    const result = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      workspaceFolders: null,
      initializationOptions,
    });
    if (!result.capabilities.textDocumentSync) throw new Error('server announced no text document sync');
    await connection.sendNotification(InitializedNotification.type, {});
    return server;
  }

  get exitCode(): number | null | undefined {
    return this.exited;
  }

  async open(uri: string, languageId: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  async replace(uri: string, version: number, text: string): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Waits for a publication for `uri` that satisfies `accept`, newer than the `after`-th publication. */
  async diagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 5000, after = 0): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.published.slice(after).find((p) => p.uri === uri && accept(p));
      if (hit) return hit;
      if (this.exited !== undefined) throw new Error(`server exited (${String(this.exited)}): ${this.stderr.join('')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(this.published.filter((p) => p.uri === uri))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    if (this.exited === undefined) {
      await this.connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
      await this.connection.sendNotification(ExitNotification.type).catch(() => undefined);
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
}
