/**
 * Camera upload (README "Camera upload"): Emby's whole-file POST and history, plus our resumable sessions.
 * Bodies of any type arrive as streams in this scope only (never buffered); the service checks the type.
 */
import type { FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { Api, AppDeps } from '../appDeps.js';
import { badRequest } from '../errors.js';
import { caller } from '../http/authPlugin.js';
import { DeviceId } from '../http/schemas.js';
import type { UploadRecord } from '../uploads/cameraUploadsRepo.js';
import type { UploadCaller } from '../uploads/cameraUploadService.js';
import { parseContentRange } from '../uploads/contentRange.js';
import { OffsetConflict, unsupportedType } from '../uploads/uploadErrors.js';

const Text = (maxLength = 512) => Type.String({ maxLength });
const FileFacts = {
  DeviceId,
  Name: Type.String({ minLength: 1, maxLength: 1024 }),
  Album: Type.Optional(Text()),
  Id: Type.Optional(Text()),
  Date: Type.Optional(Text(64)),
  MimeType: Type.Optional(Text(128)),
  Sha256: Type.Optional(Text(64)),
};
const WholeFileQuery = Type.Object(FileFacts);
const HistoryQuery = Type.Object({ DeviceId: FileFacts.DeviceId });
const SessionRequest = Type.Object({ ...FileFacts, Size: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
const UploadIdParams = Type.Object({ uploadId: Type.String({ pattern: '^[0-9a-f]{32}$' }) });

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

/** Bodies in this scope are the raw request stream (any content type is passed through unparsed). */
function isStream(body: unknown): body is Readable {
  return !!body && typeof body === 'object' && typeof Reflect.get(body, 'pipe') === 'function';
}

/** A refused request leaves its body unread; read it off (small chunks) so the client sees the answer. */
function drain(body: unknown): void {
  if (isStream(body) && !body.readableEnded) body.resume();
}

function asStream(body: unknown, contentType: string | undefined): Readable {
  if (!isStream(body)) throw unsupportedType(contentType ?? 'no body');
  return body;
}

export async function registerCameraUploadRoutes(app: Api, deps: AppDeps): Promise<void> {
  const uploads = deps.cameraUploads;
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    // Emby: the body is the whole file; DeviceId, Album, Name, Id in the query. 204 as Emby answers.
    scope.post('/Devices/CameraUploads', { schema: { querystring: WholeFileQuery } }, async (req, reply) => {
      const contentType = header(req, 'content-type');
      const length = Number(header(req, 'content-length'));
      try {
        const out = await uploads.uploadWhole(
          uploadCaller(req),
          { ...req.query, MimeType: req.query.MimeType ?? contentType },
          asStream(req.body, contentType),
          Number.isFinite(length) ? length : undefined,
        );
        return reply.header('X-Upload-Duplicate', String(out.duplicate)).status(204).send();
      } catch (err) {
        if (Number.isFinite(length) && length <= 16 * 1024 * 1024) drain(req.body);
        throw err;
      }
    });

    scope.get('/Devices/CameraUploads', { schema: { querystring: HistoryQuery } }, async (req) => ({
      DeviceId: req.query.DeviceId,
      FilesUploaded: uploads.history(uploadCaller(req), req.query.DeviceId).map(toLocalFileInfo),
    }));

    scope.post('/Devices/CameraUploads/Sessions', { schema: { body: SessionRequest } }, async (req) => {
      const out = uploads.begin(uploadCaller(req), req.body);
      return toSession(out.record, out.duplicate);
    });

    scope.get('/Devices/CameraUploads/Sessions/:uploadId', { schema: { params: UploadIdParams } }, async (req, reply) => {
      const dto = toSession(uploads.status(uploadCaller(req), req.params.uploadId), false);
      return reply.header('Upload-Offset', String(dto.Offset)).header('Cache-Control', 'no-store').send(dto);
    });

    scope.put('/Devices/CameraUploads/Sessions/:uploadId', { schema: { params: UploadIdParams } }, async (req, reply) => {
      try {
        const range = parseContentRange(header(req, 'content-range'));
        if (!range) throw badRequest('Content-Range: bytes <first>-<last>/<size> is required');
        const out = await uploads.append(uploadCaller(req), req.params.uploadId, range, asStream(req.body, header(req, 'content-type')));
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
