import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Ajv from 'ajv';

// A local HTTP server that stands in for an engine's REST API: every request is matched to an
// operation of the engine's published OpenAPI (Swagger 2.0) document and checked against it (the
// path and method exist, query and form fields are declared, a JSON body fits the operation's
// schema with unknown fields forbidden), recorded, and answered by the test's `respond`.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly operationId: string | undefined;
  readonly query: Record<string, string>;
  readonly headers: IncomingMessage['headers'];
  /** A JSON body, parsed. */
  readonly json?: unknown;
  /** A multipart body: each field's text. */
  readonly form?: Record<string, { text: string; filename?: string }>;
}

export interface OpenApiServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** What did not fit the document, one line per problem: a test expects none. */
  readonly problems: string[];
  close(): Promise<void>;
}

interface Operation {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly literalChars: number;
  readonly op: Json;
}

function operationsOf(doc: Json): Operation[] {
  const out: Operation[] = [];
  for (const [template, ops] of Object.entries(doc.paths as Record<string, Json>))
    for (const [method, op] of Object.entries(ops))
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) {
        const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
        out.push({
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(`^${source}$`),
          literalChars: template.replace(/\{[^}]+\}/g, '').length,
          op,
        });
      }
  return out;
}

export async function startOpenApiServer(
  documentFile: string,
  respond: (request: RecordedRequest) => { status: number; body: unknown },
): Promise<OpenApiServer> {
  const doc = JSON.parse(readFileSync(documentFile, 'utf8')) as Json;
  // Closed objects: a field the document does not define is a problem, as a strict server reads it.
  for (const definition of Object.values(doc.definitions as Record<string, Json>))
    if (definition.properties && definition.additionalProperties === undefined) definition.additionalProperties = false;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(doc, 'api');
  const operations = operationsOf(doc);
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const body = Buffer.concat(chunks);
        const matches = operations
          .filter((o) => o.method === req.method && o.pattern.test(url.pathname))
          .sort((a, b) => b.literalChars - a.literalChars);
        const found = matches[0];
        const where = `${req.method} ${url.pathname}`;
        if (!found) problems.push(`${where}: no such operation in ${documentFile}`);
        const params = (found?.op.parameters ?? []) as Json[];
        const query = Object.fromEntries(url.searchParams);
        for (const name of Object.keys(query))
          if (!params.some((p) => p.in === 'query' && p.name === name)) problems.push(`${where}: query parameter ${name} is not declared`);
        let json: unknown;
        let form: RecordedRequest['form'];
        const type = req.headers['content-type'] ?? '';
        if (type.startsWith('multipart/form-data')) {
          const parsed = await new Request('http://localhost/', { method: 'POST', headers: { 'content-type': type }, body }).formData();
          form = {};
          for (const [name, value] of parsed) {
            if (!params.some((p) => p.in === 'formData' && p.name === name)) problems.push(`${where}: form field ${name} is not declared`);
            form[name] = typeof value === 'string' ? { text: value } : { text: await value.text(), filename: value.name };
          }
        } else if (body.length > 0) {
          json = JSON.parse(body.toString('utf8'));
          const index = params.findIndex((p) => p.in === 'body');
          if (index < 0) problems.push(`${where}: a body, which the operation does not take`);
          else {
            const pointer = `api#/paths/${found!.template.replace(/~/g, '~0').replace(/\//g, '~1')}/${req.method!.toLowerCase()}/parameters/${index}/schema`;
            const validate = ajv.getSchema(pointer) ?? ajv.compile({ $ref: pointer });
            if (!validate(json)) problems.push(`${where}: body does not fit ${found!.op.operationId}: ${ajv.errorsText(validate.errors)}`);
          }
        }
        for (const p of params)
          if (p.required && p.in === 'query' && !(p.name in query))
            problems.push(`${where}: required query parameter ${p.name} is missing`);
        const recorded: RecordedRequest = {
          method: req.method!,
          path: url.pathname,
          operationId: found?.op.operationId,
          query,
          headers: req.headers,
          ...(json !== undefined ? { json } : {}),
          ...(form ? { form } : {}),
        };
        requests.push(recorded);
        const answer = respond(recorded);
        res.writeHead(answer.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      })().catch((error: unknown) => {
        problems.push(`server error: ${String(error)}`);
        res.writeHead(500);
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    problems,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
