/**
 * Camera upload (README "Camera upload"): Emby's whole-file POST and history, plus our resumable sessions.
 * Bodies of any type arrive as streams in this scope only (never buffered); the service checks the type.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { badRequest } from '../http/errors.js';
import type { UploadRecord } from '../uploads/cameraUploadsRepo.js';
import {
  OffsetConflict,
  parseContentRange,
  unsupportedType,
  type CameraUploadService,
  type UploadCaller,
} from '../uploads/cameraUploadService.js';

const str = (max = 512) => ({ type: 'string', maxLength: max }) as const;
const fileFacts = {
  DeviceId: { type: 'string', minLength: 1, maxLength: 256 },
  Name: { type: 'string', minLength: 1, maxLength: 1024 },
  Album: str(),
  Id: str(),
  Date: str(64),
  MimeType: str(128),
  Sha256: str(64),
} as const;
const uploadIdParams = {
  type: 'object',
  required: ['uploadId'],
  properties: { uploadId: { type: 'string', pattern: '^[0-9a-f]{32}$' } },
} as const;

/** Ours: the state of a resumable upload. */
export interface UploadSessionDto {
  UploadId: string;
  Name: string;
  Size: number;
  Offset: number;
  Status: 'Uploading' | 'Complete';
  Duplicate: boolean;
}

function toSession(r: UploadRecord, duplicate: boolean): UploadSessionDto {
  return {
    UploadId: r.id,
    Name: r.name,
    Size: r.size,
    Offset: r.status === 'Complete' ? r.size : r.bytesReceived,
    Status: r.status,
    Duplicate: duplicate,
  };
}

/** Emby LocalFileInfo, with our Size, Date, Sha256 and DateUploaded. */
function toLocalFileInfo(r: UploadRecord) {
  return {
    Name: r.name,
    Id: r.clientFileId ?? r.id,
    Album: r.album ?? undefined,
    MimeType: r.mimeType ?? undefined,
    Size: r.size,
    Date: r.date ?? undefined,
    Sha256: r.sha256 ?? undefined,
    DateUploaded: r.dateModified,
  };
}

function uploadCaller(req: FastifyRequest): UploadCaller {
  const me = caller(req);
  return {
    userId: me.user.id,
    userName: me.user.name,
    policy: me.user.policy,
    deviceId: me.deviceId,
  };
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A refused request leaves its body unread; read it off (small chunks) so the client sees the answer. */
function drain(body: unknown): void {
  const s = body as Readable | undefined;
  if (s && typeof s.resume === 'function' && !s.readableEnded) s.resume();
}

function asStream(body: unknown, contentType: string | undefined): Readable {
  const s = body as Readable | undefined;
  if (!s || typeof s.pipe !== 'function') throw unsupportedType(contentType ?? 'no body');
  return s;
}

export async function registerCameraUploadRoutes(
  app: FastifyInstance,
  deps: AppDeps & { cameraUploads: CameraUploadService },
): Promise<void> {
  const uploads = deps.cameraUploads;
  await app.register(async (scope) => {
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    // Emby: the body is the whole file; DeviceId, Album, Name, Id in the query. 204 as Emby answers.
    scope.post(
      '/Devices/CameraUploads',
      {
        schema: {
          querystring: {
            type: 'object',
            required: ['DeviceId', 'Name'],
            properties: fileFacts,
          },
        },
      },
      async (req, reply) => {
        const q = req.query as {
          DeviceId: string;
          Name: string;
          Album?: string;
          Id?: string;
          Date?: string;
          MimeType?: string;
          Sha256?: string;
        };
        const contentType = header(req, 'content-type');
        const length = Number(header(req, 'content-length'));
        try {
          const out = await uploads.uploadWhole(
            uploadCaller(req),
            { ...q, MimeType: q.MimeType ?? contentType },
            asStream(req.body, contentType),
            Number.isFinite(length) ? length : undefined,
          );
          return reply.header('X-Upload-Duplicate', String(out.duplicate)).status(204).send();
        } catch (err) {
          if (Number.isFinite(length) && length <= 16 * 1024 * 1024) drain(req.body);
          throw err;
        }
      },
    );

    scope.get(
      '/Devices/CameraUploads',
      {
        schema: {
          querystring: {
            type: 'object',
            required: ['DeviceId'],
            properties: { DeviceId: fileFacts.DeviceId },
          },
        },
      },
      async (req) => {
        const { DeviceId } = req.query as { DeviceId: string };
        return {
          DeviceId,
          FilesUploaded: uploads.history(uploadCaller(req), DeviceId).map(toLocalFileInfo),
        };
      },
    );

    scope.post(
      '/Devices/CameraUploads/Sessions',
      {
        schema: {
          body: {
            type: 'object',
            required: ['DeviceId', 'Name', 'Size'],
            properties: {
              ...fileFacts,
              Size: {
                type: 'integer',
                minimum: 1,
                maximum: Number.MAX_SAFE_INTEGER,
              },
            },
          },
        },
      },
      async (req) => {
        const out = uploads.begin(uploadCaller(req), req.body as Parameters<CameraUploadService['begin']>[1]);
        return toSession(out.record, out.duplicate);
      },
    );

    scope.get('/Devices/CameraUploads/Sessions/:uploadId', { schema: { params: uploadIdParams } }, async (req, reply) => {
      const r = uploads.status(uploadCaller(req), (req.params as { uploadId: string }).uploadId);
      const dto = toSession(r, false);
      return reply.header('Upload-Offset', String(dto.Offset)).header('Cache-Control', 'no-store').send(dto);
    });

    scope.put('/Devices/CameraUploads/Sessions/:uploadId', { schema: { params: uploadIdParams } }, async (req, reply: FastifyReply) => {
      const { uploadId } = req.params as { uploadId: string };
      try {
        const range = parseContentRange(header(req, 'content-range'));
        if (!range) throw badRequest('Content-Range: bytes <first>-<last>/<size> is required');
        const out = await uploads.append(uploadCaller(req), uploadId, range, asStream(req.body, header(req, 'content-type')));
        const dto = toSession(out.record, out.duplicate);
        return reply.header('Upload-Offset', String(dto.Offset)).send(dto);
      } catch (err) {
        drain(req.body);
        if (err instanceof OffsetConflict) {
          return reply.status(409).header('Upload-Offset', String(err.offset)).header('X-Application-Error-Code', err.code).send({
            error: err.code,
            message: err.message,
            Offset: err.offset,
          });
        }
        throw err;
      }
    });
  });
}
