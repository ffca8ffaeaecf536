import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  complete,
  LlmEndpointError,
  mapLimit,
  retryAfterMs,
  type EndpointSettings,
} from '../../src/llm/client.js';
import { FakeChatServer } from './server.js';

const server = new FakeChatServer();
beforeAll(async () => {
  await server.start();
});
afterAll(async () => {
  await server.stop();
});

const settings = (over: Partial<EndpointSettings> = {}): EndpointSettings => ({
  baseUrl: server.baseUrl,
  model: 'test-model',
  responseFormat: 'none',
  temperature: 0,
  timeoutMs: 30_000,
  retries: 0,
  retryDelayMs: 0,
  maxRetryDelayMs: 0,
  ...over,
});

describe('chat-completions client', () => {
  it('returns the assistant content and sends no response_format in mode none', async () => {
    server.answer({ content: 'hello' });
    expect(await complete(settings(), [{ role: 'user', content: 'hi' }])).toBe('hello');
    expect(server.requests[0].body).toEqual({
      model: 'test-model',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0,
    });
  });

  it('sends the claims schema in json_schema mode', async () => {
    server.answer({ content: '{}' });
    await complete(settings({ responseFormat: 'json_schema' }), [{ role: 'user', content: 'hi' }]);
    expect(server.requests[0].body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'secreview_claims', strict: true },
    });
  });

  it('gives up after the configured retries on 503 and says how many attempts it made', async () => {
    server.answer({ status: 503, raw: 'busy' });
    const err = await complete(settings({ retries: 1 }), [{ role: 'user', content: 'hi' }]).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LlmEndpointError);
    expect((err as LlmEndpointError).message).toBe(
      `${server.baseUrl}/chat/completions answered HTTP 503: busy (after 2 attempts)`,
    );
    expect((err as LlmEndpointError).status).toBe(503);
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a 401', async () => {
    server.answer({ status: 401, raw: '{"error":"bad key"}' }, { content: 'never' });
    await expect(complete(settings({ retries: 3 }), [{ role: 'user', content: 'hi' }])).rejects.toThrow(
      'answered HTTP 401: {"error":"bad key"}',
    );
    expect(server.requests).toHaveLength(1);
  });

  it('times out a request that gets no answer', async () => {
    server.answer({ hang: true });
    await expect(complete(settings({ timeoutMs: 200 }), [{ role: 'user', content: 'hi' }])).rejects.toThrow(
      `${server.baseUrl}/chat/completions did not answer within 200 ms (after 1 attempt)`,
    );
  });

  it('reports an answer that is not chat-completions JSON', async () => {
    server.answer({ raw: '<html>proxy error</html>' });
    await expect(complete(settings(), [{ role: 'user', content: 'hi' }])).rejects.toThrow(
      'the endpoint answered with something that is not chat-completions JSON',
    );
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('0')).toBe(0);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(
      10_000,
    );
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('mapLimit', () => {
  it('keeps at most `limit` calls in flight and the results in order', async () => {
    let active = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const done = mapLimit([1, 2, 3, 4, 5], 2, async (n) => {
      active++;
      most = Math.max(most, active);
      await new Promise<void>((r) => release.push(r));
      active--;
      return n * 10;
    });
    while (release.length || active) {
      await new Promise((r) => setImmediate(r));
      release.shift()?.();
    }
    expect(await done).toEqual([10, 20, 30, 40, 50]);
    expect(most).toBe(2);
  });
});
