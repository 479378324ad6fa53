/**
 * Library upkeep and images: `POST /Library/Refresh` and `GET /Library/ScanReport` (administrators), and
 * `GET|HEAD /Items/{id}/Images/{type}` for whoever may see the item (`ItemImages` decides).
 */
import fs from 'node:fs';
import { Type } from 'typebox';
import type { Api } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { Id } from '../http/schemas.js';
import type { ItemImages } from '../library/itemImages.js';
import type { LibraryServices } from '../library/wireLibrary.js';
import type { ScanReport } from '../library/scanner.js';
import type { ScanProgressSnapshot } from '../library/scanProgress.js';

const ImageParams = Type.Object({
  id: Id,
  type: Type.String({ minLength: 1, maxLength: 32 }),
  index: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
});

const dimension = Type.Optional(Type.Integer({ minimum: 1, maximum: 8192 }));
/** Names arrive in any case (MaxWidth, maxwidth): the tolerant-input hook renames them to these. */
const ImageQuery = Type.Object({
  maxWidth: dimension,
  maxHeight: dimension,
  width: dimension,
  height: dimension,
  fillWidth: dimension,
  fillHeight: dimension,
  quality: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  tag: Type.Optional(Type.String({ maxLength: 64 })),
});

export function registerLibraryRoutes(app: Api, deps: { library: LibraryServices; itemImages: ItemImages }): void {
  const { scanner, writer } = deps.library;

  app.post('/Library/Refresh', { config: { auth: 'admin' } }, async (req, reply) => {
    // Answer at once; the scan reports through events and /Library/ScanReport.
    scanner.scan().catch((err: unknown) => req.log.error({ err }, 'library scan failed'));
    return reply.code(204).send();
  });

  app.get('/Library/ScanReport', { config: { auth: 'admin' } }, async () =>
    toScanReportDto(scanner.lastReport, scanner.isScanning, writer.issues(), scanner.progress.snapshot()),
  );

  // Ours, for any signed-in user: "Preparing the library…" while the demo is generated or a scan runs.
  app.get('/Library/Status', async () => ({ IsScanning: scanner.isScanning, ...scanner.progress.snapshot() }));

  for (const url of ['/Items/:id/Images/:type', '/Items/:id/Images/:type/:index']) {
    // exposeHeadRoute answers HEAD with the same headers and no body.
    app.get(
      url,
      { config: { auth: 'user' }, exposeHeadRoute: true, schema: { params: ImageParams, querystring: ImageQuery } },
      async (req, reply) => {
        const q = req.query;
        const size = { maxWidth: q.maxWidth ?? q.fillWidth, maxHeight: q.maxHeight ?? q.fillHeight, width: q.width, height: q.height };
        const image = await deps.itemImages.file(caller(req).user.id, req.params.id, req.params.type, { ...size, quality: q.quality });
        // A URL carrying the current tag names immutable content (the tag is a hash of the bytes). Never
        // `public`: what an image shows depends on who asks (private items, library access), so no shared
        // cache may keep one for the next caller — only the caller's own browser.
        const immutable = q.tag !== undefined && q.tag === image.tag;
        reply.header('ETag', image.etag);
        reply.header('Cache-Control', immutable ? 'private, max-age=31536000, immutable' : 'private, max-age=0, must-revalidate');
        const inm = req.headers['if-none-match'];
        const tags = (Array.isArray(inm) ? inm.join(',') : (inm ?? '')).split(',').map((t) => t.trim());
        if (tags.includes(image.etag) || tags.includes('*')) return reply.code(304).send();
        const st = await fs.promises.stat(image.path);
        reply.header('Content-Type', image.contentType);
        reply.header('Content-Length', st.size);
        return reply.send(fs.createReadStream(image.path));
      },
    );
  }
}

export interface ScanReportDto {
  IsScanning: boolean;
  /** What the library is doing now: phase (GeneratingDemo, Walking, Probing, Images, Idle), files done of total. */
  Progress: ScanProgressSnapshot;
  LastScan?: {
    StartedAt: string;
    FinishedAt: string;
    DurationMs: number;
    Files: number;
    Added: number;
    Updated: number;
    Unchanged: number;
    Removed: number;
    Probed: number;
    ImagesExtracted: number;
  };
  /** Server paths are shown here on purpose: this is the administrator's view of their own disks. */
  Issues: Array<{ Path: string; Reason: string; Date: string }>;
}

export function toScanReportDto(
  last: ScanReport | undefined,
  scanning: boolean,
  issues: ScanReport['issues'],
  progress: ScanProgressSnapshot = { Phase: 'Idle', Done: 0, Total: 0 },
): ScanReportDto {
  return {
    IsScanning: scanning,
    Progress: progress,
    LastScan: last && {
      StartedAt: last.startedAt,
      FinishedAt: last.finishedAt,
      DurationMs: last.durationMs,
      Files: last.files,
      Added: last.added,
      Updated: last.updated,
      Unchanged: last.unchanged,
      Removed: last.removed,
      Probed: last.probed,
      ImagesExtracted: last.imagesExtracted,
    },
    Issues: issues.map((i) => ({ Path: i.path, Reason: i.reason, Date: i.date })),
  };
}
