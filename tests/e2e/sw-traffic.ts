/**
 * Counts the bytes a server sends for `/Sync/JobItems/{id}/File` per job item and can break a download
 * off or corrupt one answer, installed at the Node HTTP layer (a prepended `request` listener wrapping `res.write`) because
 * Fastify accepts no hooks after listen — no server code changes. Used by the sw-* specs and
 * bench/swDownload.ts.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** Bytes of `/Sync/JobItems/{id}/File` bodies written per job item, and a switch to break them off. */
export class FileTraffic {
  readonly bytes = new Map<string, number>();
  readonly requests = new Map<string, number>();
  /** While set, a File download is cut once this many bytes of it were served in total for the item. */
  cutAt?: { jobItemId: string; bytes: number };
  /** Flip the first byte of the `request`-th File answer (1-based) for the item: corruption in transit. */
  corrupt?: { jobItemId: string; request: number };
  /** Answer the item's next File requests with this status instead of the file (`times` of them). */
  failWith?: { jobItemId: string; status: number; times: number };
  /** While true, every File request is dropped before any answer (the server is out of reach). */
  down = false;
  /** Requests of any kind seen (for "nothing asks the server" checks). */
  requestLog: string[] = [];

  servedFor(jobItemId: string): number {
    return this.bytes.get(jobItemId) ?? 0;
  }

  install(server: Server): void {
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      this.requestLog.push(`${req.method} ${req.url}`);
      const m = /\/Sync\/JobItems\/([0-9a-f]+)\/File/i.exec(req.url ?? '');
      if (!m || req.method !== 'GET') return;
      const id = m[1]!.toLowerCase();
      this.requests.set(id, (this.requests.get(id) ?? 0) + 1);
      if (this.down) {
        req.socket.destroy();
        return;
      }
      if (this.failWith?.jobItemId === id && this.failWith.times > 0) {
        this.failWith.times--;
        // Answered before the server's own handler runs; that handler's later writes go nowhere.
        res.writeHead(this.failWith.status, { 'Content-Type': 'application/json', Connection: 'close' });
        res.end(JSON.stringify({ error: 'ServiceUnavailable', message: 'test: failing this download' }));
        for (const m of ['write', 'end', 'writeHead', 'setHeader', 'removeHeader', 'flushHeaders'] as const) {
          (res as unknown as Record<string, unknown>)[m] = () => (m === 'write' ? true : res);
        }
        return;
      }
      const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      const count = (chunk: unknown): number =>
        typeof chunk === 'string' ? Buffer.byteLength(chunk) : ((chunk as Uint8Array | undefined)?.byteLength ?? 0);
      let cut = false;
      let flip = this.corrupt?.jobItemId === id && this.corrupt.request === this.requests.get(id);
      (res as unknown as { write: unknown }).write = (chunk: unknown, ...rest: unknown[]) => {
        if (cut) return true; // swallowed: the "network" is gone for this response
        if (flip && chunk instanceof Uint8Array && chunk.byteLength > 0) {
          flip = false;
          chunk = Buffer.from(chunk);
          (chunk as Buffer)[0] = (chunk as Buffer)[0]! ^ 0xff;
        }
        const served = this.servedFor(id);
        const n = count(chunk);
        if (this.cutAt?.jobItemId === id && served + n >= this.cutAt.bytes) {
          const keep = Math.max(0, this.cutAt.bytes - served);
          this.bytes.set(id, served + keep);
          if (keep > 0) write((chunk as Uint8Array).subarray(0, keep));
          this.cutAt = undefined;
          this.down = true;
          cut = true;
          // Close after flushing what was written (FIN, not RST): the browser gets exactly the bytes
          // counted here, then a body shorter than its Content-Length — a network error mid-download.
          req.socket.end();
          return false;
        }
        this.bytes.set(id, served + n);
        return write(chunk, ...rest);
      };
      (res as unknown as { end: unknown }).end = (chunk?: unknown, ...rest: unknown[]) => {
        if (cut) return res;
        if (chunk && typeof chunk !== 'function') this.bytes.set(id, this.servedFor(id) + count(chunk));
        return end(chunk, ...rest);
      };
    });
  }
}
