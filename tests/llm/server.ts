import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the fake endpoint. */
export interface Scripted {
  status?: number;
  headers?: Record<string, string>;
  /** The assistant message content (wrapped in a chat-completions body), or a raw body. */
  content?: string;
  raw?: string;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format?: { type: string };
    temperature?: number;
  };
}

/** The assistant content of a claims answer, as a model would write it. */
export function claimsAnswer(claims: Record<string, unknown>[]): string {
  return JSON.stringify({ claims });
}

/**
 * A chat-completions endpoint on 127.0.0.1 that answers with recorded outputs, in order (the
 * last one repeats), and records every request.
 */
export class FakeChatServer {
  readonly requests: RecordedRequest[] = [];
  private script: Scripted[] = [];
  private server: Server | undefined;
  baseUrl = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString('utf8')));
      req.on('end', () => {
        this.requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: JSON.parse(data) as RecordedRequest['body'],
        });
        const next = this.script.length > 1 ? this.script.shift()! : this.script[0];
        if (next?.hang) return;
        const body =
          next?.raw ??
          JSON.stringify({
            id: `chatcmpl-${this.requests.length}`,
            object: 'chat.completion',
            model: 'test-model',
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: next?.content ?? '{"claims":[]}' },
                finish_reason: 'stop',
              },
            ],
          });
        res.writeHead(next?.status ?? 200, { 'content-type': 'application/json', ...next?.headers });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}/v1`;
    return this;
  }

  /** Answers for the next requests, in order; the last one is repeated. */
  answer(...script: Scripted[]): void {
    this.script = script;
    this.requests.length = 0;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
