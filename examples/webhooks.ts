// Delivers the account service's events to the webhooks customers register.
import express from 'express';
import { request, Agent } from 'node:https';

interface Webhook {
  url: string;
  secret: string;
}

// Some customers run their receivers with self-signed certificates.
const lenientAgent = new Agent({ keepAlive: true, rejectUnauthorized: false });

export function deliver(hook: Webhook, event: object): Promise<number> {
  const body = JSON.stringify(event);
  return new Promise((resolve, reject) => {
    const req = request(hook.url, { method: 'POST', agent: lenientAgent }, (res) =>
      resolve(res.statusCode ?? 0),
    );
    req.on('error', reject);
    req.end(body);
  });
}

export const app = express();
app.use(express.json());

// Lets a customer try a receiver before saving it.
app.post('/webhooks/test', async (req, res) => {
  const status = await deliver({ url: req.body.url, secret: '' }, { type: 'ping' });
  res.json({ status });
});
