import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../../src/server/http/errorHandler.js';
import { sendFileWithRange, strongEtag } from '../../../src/server/http/rangeResponse.js';

// The sync core reuses sendFileWithRange for /Sync/JobItems/{id}/File: it must count bytes as they go
// and keep HEAD's Content-Length whether the route declares HEAD itself or relies on Fastify's automatic one.
let app: FastifyInstance;
let dir: string;
let file: string;
const counted: number[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowaway-range-'));
  file = path.join(dir, 'out.mp4');
  fs.writeFileSync(file, Buffer.alloc(200_000, 7));
  app = Fastify();
  registerErrorHandling(app);
  const opts = (p: string) => ({
    path: p,
    size: 200_000,
    etag: strongEtag('k'),
    contentType: 'video/mp4',
    onBytes: (n: number) => counted.push(n),
  });
  app.get('/auto', (req, reply) => sendFileWithRange(req, reply, opts(file)));
  app.route({
    method: ['GET', 'HEAD'],
    url: '/explicit',
    exposeHeadRoute: false,
    handler: (req, reply) => sendFileWithRange(req, reply, opts(file)),
  });
  app.get('/gone', (req, reply) => sendFileWithRange(req, reply, opts(path.join(dir, 'missing.mp4'))));
  await app.ready();
});
afterAll(async () => {
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('sendFileWithRange', () => {
  it('reports every byte it sends through onBytes', async () => {
    counted.length = 0;
    const res = await app.inject({ method: 'GET', url: '/auto', headers: { range: 'bytes=100-' } });
    expect(res.statusCode).toBe(206);
    expect(res.rawPayload.length).toBe(199_900);
    expect(counted.reduce((a, b) => a + b, 0)).toBe(199_900);
  });

  it('keeps HEAD’s Content-Length with automatic and explicit HEAD routes', async () => {
    for (const url of ['/auto', '/explicit']) {
      const res = await app.inject({ method: 'HEAD', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-length'], url).toBe('200000');
      expect(res.rawPayload.length, url).toBe(0);
    }
  });

  it('turns a file that vanished after the stat into a 404 JSON', async () => {
    const res = await app.inject({ method: 'GET', url: '/gone' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'NotFound' });
    expect(res.headers['content-range']).toBeUndefined();
  });
});
