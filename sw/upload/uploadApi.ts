/**
 * Camera upload calls for one signed-in server (README "Camera upload"): resumable sessions with chunked
 * PUTs. Same identity header as the sync loop's ServerApi, so the server sees one device.
 */
import { sessionHeaders } from '../authHeaders';
import type { ServerRow } from '../db';
import { ApiFailure } from '../sync/ports';

export interface UploadSessionDto {
  UploadId: string;
  Name: string;
  Size: number;
  Offset: number;
  Status: 'Uploading' | 'Complete';
  Duplicate: boolean;
}

export interface NewUpload {
  Name: string;
  Size: number;
  Date: string;
  MimeType: string;
  Id: string;
  Sha256?: string;
  Album?: string;
}

/** A chunk either lands (the session's new state) or the server holds another offset (409). */
export type ChunkResult = { kind: 'ok'; session: UploadSessionDto } | { kind: 'offset'; offset: number };

export interface UploadApiPort {
  createSession(upload: NewUpload): Promise<UploadSessionDto>;
  /** undefined when the server forgot the session (404). */
  status(uploadId: string): Promise<UploadSessionDto | undefined>;
  putChunk(uploadId: string, start: number, chunk: Blob, total: number, signal?: AbortSignal): Promise<ChunkResult>;
}

export class UploadApi implements UploadApiPort {
  private readonly base: string;

  constructor(
    private readonly session: ServerRow,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {
    this.base = session.serverUrl.replace(/\/+$/, '');
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    return sessionHeaders(this.session, extra);
  }

  private async send(
    method: string,
    path: string,
    body: BodyInit | undefined,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<Response> {
    try {
      return await this.fetchImpl(`${this.base}${path}`, {
        method,
        headers: this.headers(headers),
        body,
        signal,
        cache: 'no-store',
      });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      throw new ApiFailure(0, `could not reach ${this.base}`);
    }
  }

  private static async fail(res: Response): Promise<never> {
    const text = await res.text().catch(() => '');
    let message = text.slice(0, 200);
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // plain text
    }
    throw new ApiFailure(res.status, message || `HTTP ${res.status}`);
  }

  async createSession(upload: NewUpload): Promise<UploadSessionDto> {
    const res = await this.send('POST', '/Devices/CameraUploads/Sessions', JSON.stringify({ DeviceId: this.session.deviceId, ...upload }), {
      'Content-Type': 'application/json',
    });
    if (!res.ok) return UploadApi.fail(res);
    return (await res.json()) as UploadSessionDto;
  }

  async status(uploadId: string): Promise<UploadSessionDto | undefined> {
    const res = await this.send('GET', `/Devices/CameraUploads/Sessions/${encodeURIComponent(uploadId)}`, undefined, {});
    if (res.status === 404) return undefined;
    if (!res.ok) return UploadApi.fail(res);
    return (await res.json()) as UploadSessionDto;
  }

  async putChunk(uploadId: string, start: number, chunk: Blob, total: number, signal?: AbortSignal): Promise<ChunkResult> {
    const res = await this.send(
      'PUT',
      `/Devices/CameraUploads/Sessions/${encodeURIComponent(uploadId)}`,
      chunk,
      {
        'Content-Type': 'application/octet-stream',
        'Content-Range': `bytes ${start}-${start + chunk.size - 1}/${total}`,
      },
      signal,
    );
    if (res.status === 409) {
      const body = (await res.json().catch(() => ({}))) as { Offset?: number };
      const offset = body.Offset ?? Number(res.headers.get('Upload-Offset'));
      if (Number.isFinite(offset)) return { kind: 'offset', offset };
    }
    if (!res.ok) return UploadApi.fail(res);
    return { kind: 'ok', session: (await res.json()) as UploadSessionDto };
  }
}
