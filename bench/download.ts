/**
 * Download throughput of `GET /Sync/JobItems/{id}/File` for a ~200 MB direct-play MP4, against the plainest
 * server possible (fs.createReadStream piped into a Node http response on loopback), and the waste of a
 * resumed download: stop at 40 %, resume with `Range: bytes=N-` from the last whole 4 MiB chunk (what the
 * service worker does), count the bytes fetched twice. The server's own socket byte counts are reported
 * too: they include what was in flight when the client gave up.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { benchTempDir, startBenchServer, type BenchSession } from './harness.js';
import { loopToSize, makeVideo } from './media.js';
import { median, ratioOf, type BenchResult } from './report.js';

const TARGET_BYTES = 200 * 1024 * 1024;
const CHUNK = 4 * 1024 * 1024;
const RUNS = 3;

/** Reads a response body to the end; `onChunk` sees every piece. Returns bytes read. */
async function drain(res: Response, onChunk?: (c: Uint8Array) => boolean | void): Promise<number> {
  let n = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    n += value.length;
    if (onChunk?.(value) === false) {
      await reader.cancel();
      return n;
    }
  }
}

function mbps(bytes: number, ms: number): number {
  return Math.round((bytes / 2 ** 20 / (ms / 1000)) * 10) / 10;
}

/** The baseline: no auth, no Range, no bookkeeping — a file streamed into a socket. */
function plainServer(file: string): Promise<{ url: string; close: () => Promise<void> }> {
  const size = fs.statSync(file).size;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': size });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}/file`,
        close: () =>
          new Promise((r) => {
            server.close(() => r());
            // fetch keeps connections alive; without this, close waits for their idle timeout.
            server.closeAllConnections();
          }),
      });
    }),
  );
}

async function timeDownload(fetchIt: () => Promise<Response>, size: number): Promise<number> {
  const started = performance.now();
  const res = await fetchIt();
  const n = await drain(res);
  if (n !== size) throw new Error(`downloaded ${n} of ${size} bytes`);
  return performance.now() - started;
}

/**
 * Stop at 40 %, keep only whole chunks (a chunk is stored once complete), resume from there. The SHA-256 of
 * what was kept plus what came after must be the file's.
 */
async function resumeWaste(s: BenchSession, jobItemId: string, file: string, size: number, serverBytes: () => number) {
  const hash = createHash('sha256');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let kept = 0;
  const keep = (c: Uint8Array) => {
    pending.push(Buffer.from(c));
    pendingBytes += c.length;
    while (pendingBytes >= CHUNK) {
      const all = Buffer.concat(pending);
      hash.update(all.subarray(0, CHUNK));
      kept += CHUNK;
      pending = [all.subarray(CHUNK)];
      pendingBytes = all.length - CHUNK;
    }
  };
  const sentBefore = serverBytes();
  const controller = new AbortController();
  const first = await s.req('GET', `/Sync/JobItems/${jobItemId}/File`, undefined, { signal: controller.signal });
  let received = 0;
  await drain(first, (c) => {
    received += c.length;
    keep(c);
    if (received >= size * 0.4) {
      controller.abort();
      return false;
    }
  }).catch((err: unknown) => {
    if ((err as Error).name !== 'AbortError') throw err;
  });
  // Let the server notice the closed socket before counting what it wrote.
  await new Promise((r) => setTimeout(r, 300));
  const sentFirst = serverBytes() - sentBefore;
  const resumeAt = kept;
  const second = await s.req('GET', `/Sync/JobItems/${jobItemId}/File`, undefined, { headers: { range: `bytes=${resumeAt}-` } });
  if (second.status !== 206) throw new Error(`resume answered ${second.status}, not 206`);
  const rest = await drain(second, (c) => void hash.update(c));
  await new Promise((r) => setTimeout(r, 100));
  const sentTotal = serverBytes() - sentBefore;
  const expected = createHash('sha256');
  for await (const c of fs.createReadStream(file)) expected.update(c as Buffer);
  if (hash.digest('hex') !== expected.digest('hex')) throw new Error('resumed download does not hash to the file');
  if (resumeAt + rest !== size) throw new Error(`resumed download has ${resumeAt + rest} of ${size} bytes`);
  return { clientResent: received - resumeAt, serverResent: sentTotal - size, sentFirst };
}

export async function runDownloadBench(): Promise<BenchResult[]> {
  const media = benchTempDir('download-media');
  try {
    // ~10 MB of CBR H.264 + AAC, looped (stream copy) to 200 MB: a direct-play MP4 for the browser profile.
    const clip = await makeVideo(path.join(media, 'clip', 'clip.mp4'), {
      seconds: 4,
      video: { codec: 'h264', size: '1280x720', fps: 25, bitrate: '20M' },
      audio: { codec: 'aac' },
    });
    const file = await loopToSize(clip, path.join(media, 'Movies', 'Big Movie (2020).mp4'), TARGET_BYTES);
    fs.rmSync(path.dirname(clip), { recursive: true });
    const size = fs.statSync(file).size;

    const srv = await startBenchServer(media);
    const plain = await plainServer(file);
    // Bytes the server put on the wire, per response (keep-alive sockets carry several).
    let written = 0;
    srv.built.app.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const start = req.socket.bytesWritten;
      res.on('close', () => (written += req.socket.bytesWritten - start));
    });
    const serverBytes = () => written;
    try {
      const job = await srv.syncUntilReady(srv.admin, { ItemIds: srv.ids['Big Movie'], Quality: 'high' });
      const item = job.items[0];
      if (item.Size !== size) throw new Error(`the item is not the source file (Size ${item.Size} ≠ ${size})`);
      const ours: number[] = [];
      const base: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        base.push(await timeDownload(() => fetch(plain.url), size));
        ours.push(await timeDownload(() => srv.admin.req('GET', `/Sync/JobItems/${item.Id}/File`), size));
      }
      const waste = await resumeWaste(srv.admin, item.Id, file, size, serverBytes);
      const oursMbps = mbps(size, median(ours));
      const baseMbps = mbps(size, median(base));
      return [
        {
          name: `download: GET …/File, ${Math.round(size / 2 ** 20)} MiB on loopback`,
          value: oursMbps,
          unit: 'MiB/s',
          baseline: baseMbps,
          ratio: ratioOf(oursMbps, baseMbps),
          note: `median of ${RUNS}; baseline: createReadStream → plain http server; ratio = our throughput ÷ plain`,
        },
        {
          name: 'download: resume at 40 %, bytes fetched twice',
          value: waste.clientResent,
          unit: 'bytes',
          target: `≤ ${CHUNK} (one chunk)`,
          met: waste.clientResent <= CHUNK,
          note: `server wrote ${waste.serverResent} bytes beyond the file size in all (${waste.sentFirst} before the abort, socket buffers included)`,
        },
      ];
    } finally {
      await plain.close();
      // After the aborted download, Fastify's close otherwise waits ~70 s for a connection the client left
      // open (seen with Node's fetch); the bench does not need to wait for it.
      srv.built.app.server.closeAllConnections();
      await srv.close();
    }
  } finally {
    fs.rmSync(media, { recursive: true, force: true });
  }
}
