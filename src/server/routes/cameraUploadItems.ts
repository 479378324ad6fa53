/**
 * Ours: `GET /Users/{userId}/CameraUploads` — what this user uploaded, as library items (newest first),
 * so the app can keep the upload page's promise that uploads appear under "Camera uploads". Paged like
 * `/Users/{id}/Items`; the `{userId}` rule and item visibility are the library's.
 */
import { Type } from 'typebox';
import type { Api, AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { CsvStrings, Paging, UserIdParams } from '../http/schemas.js';
import { clampLimit } from './libraryAccess.js';

const Query = Type.Object({ ...Paging, Fields: Type.Optional(CsvStrings) });

export function registerCameraUploadItemRoutes(app: Api, deps: AppDeps): void {
  const uploads = deps.cameraUploadItems;
  app.get('/Users/:userId/CameraUploads', { schema: { params: UserIdParams, querystring: Query } }, async (req) =>
    uploads.list(caller(req), req.params.userId, {
      startIndex: req.query.StartIndex,
      limit: clampLimit(req.query.Limit),
      fields: req.query.Fields,
    }),
  );
}
