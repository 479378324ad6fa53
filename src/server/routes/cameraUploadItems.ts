/**
 * Ours: `GET /Users/{userId}/CameraUploads` — what this user uploaded, as library items (newest first),
 * so the app can keep the upload page's promise that uploads appear under "Camera uploads". Paged like
 * `/Users/{id}/Items`; the `{userId}` rule and item visibility are the library's.
 */
import { Type } from 'typebox';
import type { Api, AppDeps } from '../appDeps.js';
import { CsvStrings, Paging, UserIdParams } from '../http/schemas.js';
import { cameraUploadsRoot } from '../uploads/uploadPaths.js';
import { uploadedItemIds } from '../uploads/uploadedItemsRepo.js';
import { clampLimit, dtoContext, libraryUser } from './libraryAccess.js';

const Query = Type.Object({ ...Paging, Fields: Type.Optional(CsvStrings) });

export function registerCameraUploadItemRoutes(app: Api, deps: AppDeps): void {
  const root = cameraUploadsRoot(deps.config.dataDir);
  app.get('/Users/:userId/CameraUploads', { schema: { params: UserIdParams, querystring: Query } }, async (req) => {
    const user = libraryUser(deps, req, req.params.userId);
    const start = req.query.StartIndex ?? 0;
    const page = uploadedItemIds(deps.db, user.id, root, start, clampLimit(req.query.Limit) ?? -1);
    const rows = page.ids.length ? deps.items.query({ userId: user.id, ids: page.ids, enableTotalRecordCount: false }).rows : [];
    return { Items: deps.itemDtos.toDtos(rows, dtoContext(req, user, req.query.Fields)), TotalRecordCount: page.total, StartIndex: start };
  });
}
