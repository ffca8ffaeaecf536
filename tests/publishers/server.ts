import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status: number;
  body: string;
  contentType?: string;
}

/** A loopback HTTP server on a random port that records requests and answers as told. */
export class FakeService {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  answer: (req: RecordedRequest) => Answer = () => ({ status: 200, body: '{}' });

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const recorded = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.requests.push(recorded);
        const a = this.answer(recorded);
        res.writeHead(a.status, { 'Content-Type': a.contentType ?? 'application/json; charset=utf-8' });
        res.end(a.body);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A port that nothing listens on: a server is started and closed again. */
export async function closedPort(): Promise<string> {
  const s = new FakeService();
  const url = await s.start();
  await s.stop();
  return url;
}
