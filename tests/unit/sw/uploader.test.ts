import { describe, expect, it } from 'vitest';
import type { ServerRow, UploadRow, UploadSettings } from '../../../sw/db';
import { ApiFailure } from '../../../sw/sync/ports';
import type { ChunkResult, NewUpload, UploadApiPort, UploadSessionDto } from '../../../sw/upload/uploadApi';
import { allowedOnConnection, targetSession, Uploader } from '../../../sw/upload/uploader';

const SESSION: ServerRow = {
  key: 's1/u1',
  serverUrl: 'http://a',
  serverId: 's1',
  userId: 'u1',
  userName: 'ann',
  token: 't',
  deviceId: 'd',
};
const SETTINGS: UploadSettings = {
  enabled: true,
  wifiOnly: false,
  chunkSize: 4,
};

function aRow(over: Partial<UploadRow> = {}): UploadRow {
  const blob = new Blob([new Uint8Array(10)]);
  return {
    id: 'f1',
    name: 'a.jpg',
    size: 10,
    type: 'image/jpeg',
    lastModified: 0,
    blob,
    addedAt: 1,
    source: 'picker',
    state: 'queued',
    offset: 0,
    attempts: 0,
    ...over,
  };
}

/** A server that keeps one session's offset; `failAt` drops the connection for the chunk at that offset once. */
class FakeServer implements UploadApiPort {
  offset = 0;
  puts: number[] = [];
  sessions = 0;
  failAt?: number;
  complete = false;
  duplicate = false;
  private dto(): UploadSessionDto {
    return {
      UploadId: 'up',
      Name: 'a.jpg',
      Size: 10,
      Offset: this.offset,
      Status: this.complete ? 'Complete' : 'Uploading',
      Duplicate: false,
    };
  }
  async createSession(_u: NewUpload): Promise<UploadSessionDto> {
    this.sessions++;
    if (this.duplicate) return { ...this.dto(), Status: 'Complete', Duplicate: true, Offset: 10 };
    return this.dto();
  }
  async status(): Promise<UploadSessionDto | undefined> {
    return this.dto();
  }
  async putChunk(_id: string, start: number, chunk: Blob): Promise<ChunkResult> {
    this.puts.push(start);
    if (start !== this.offset) return { kind: 'offset', offset: this.offset };
    if (this.failAt === start) {
      this.failAt = undefined;
      this.offset += 2; // half the chunk arrived before the cut
      throw new ApiFailure(0, 'network');
    }
    this.offset += chunk.size;
    if (this.offset === 10) this.complete = true;
    return { kind: 'ok', session: this.dto() };
  }
}

function harness(server: FakeServer, rows: UploadRow[]) {
  const store = new Map(rows.map((r) => [r.id, r]));
  const uploader = new Uploader({
    store: {
      queued: async () => [...store.values()].filter((r) => r.state === 'queued' || r.state === 'uploading'),
      put: async (r) => void store.set(r.id, r),
    },
    apiFor: () => server,
  });
  return { store, uploader };
}

describe('Uploader', () => {
  it('sends a file in chunks and marks it done', async () => {
    const server = new FakeServer();
    const { store, uploader } = harness(server, [aRow()]);
    expect(await uploader.run(SETTINGS, [SESSION])).toMatchObject({
      uploaded: 1,
    });
    expect(server.puts).toEqual([0, 4, 8]);
    expect(store.get('f1')).toMatchObject({
      state: 'done',
      offset: 10,
      serverKey: 's1/u1',
    });
  });

  it('stops on a lost network and resumes at the offset the server holds, re-sending only the cut part', async () => {
    const server = new FakeServer();
    server.failAt = 4;
    const { store, uploader } = harness(server, [aRow()]);
    expect(await uploader.run(SETTINGS, [SESSION])).toMatchObject({
      skipped: 'offline',
      uploaded: 0,
    });
    expect(store.get('f1')).toMatchObject({
      state: 'uploading',
      offset: 4,
      uploadId: 'up',
    });
    expect(await uploader.run(SETTINGS, [SESSION])).toMatchObject({
      uploaded: 1,
    });
    expect(server.sessions).toBe(1);
    expect(server.puts).toEqual([0, 4, 6]);
    expect(store.get('f1')?.state).toBe('done');
  });

  it('counts an already-uploaded file as a duplicate without sending bytes', async () => {
    const server = new FakeServer();
    server.duplicate = true;
    const { store, uploader } = harness(server, [aRow()]);
    expect(await uploader.run(SETTINGS, [SESSION])).toMatchObject({
      duplicates: 1,
      uploaded: 0,
    });
    expect(server.puts).toEqual([]);
    expect(store.get('f1')).toMatchObject({ state: 'done', duplicate: true });
  });

  it('marks a file the server refuses (415) as failed and carries on', async () => {
    const server = new FakeServer();
    server.createSession = async () => {
      throw new ApiFailure(415, 'Only photos and videos can be uploaded');
    };
    const { store, uploader } = harness(server, [aRow()]);
    expect(await uploader.run(SETTINGS, [SESSION])).toMatchObject({
      failed: 1,
    });
    expect(store.get('f1')).toMatchObject({
      state: 'failed',
      error: 'Only photos and videos can be uploaded',
    });
  });

  it('waits when switched off, on cellular with Wi-Fi only, or with no server signed in', async () => {
    const { uploader } = harness(new FakeServer(), [aRow()]);
    expect((await uploader.run({ ...SETTINGS, enabled: false }, [SESSION])).skipped).toBe('disabled');
    expect((await uploader.run({ ...SETTINGS, wifiOnly: true }, [SESSION], 'cellular')).skipped).toBe('not-wifi');
    expect((await uploader.run(SETTINGS, [])).skipped).toBe('no-server');
    expect(allowedOnConnection(true, undefined)).toBe(true);
    expect(allowedOnConnection(true, 'wifi')).toBe(true);
    expect(
      targetSession([SESSION, { ...SESSION, key: 's2/u2' }], {
        ...SETTINGS,
        serverKey: 's2/u2',
      })?.key,
    ).toBe('s2/u2');
  });
});
