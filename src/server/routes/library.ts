import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import fs from 'node:fs';
import { notFound } from '../http/errors.js';
import { normalizeId } from '../ids.js';
import type { ImageService, ImageVariantOptions } from '../library/images.js';
import { contentTypeOf } from '../library/images.js';
import type { LibraryWriter } from '../library/libraryWriter.js';
import type { LibraryScanner, ScanReport } from '../library/scanner.js';
import type { ScanProgressSnapshot } from '../library/scanProgress.js';

/** The library services a server wires once (app.ts) and these routes use. */
export interface LibraryServices {
  scanner: LibraryScanner;
  writer: LibraryWriter;
  images: ImageService;
}

const imageParams = {
  type: 'object',
  required: ['id', 'type'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 64 },
    type: { type: 'string', minLength: 1, maxLength: 32 },
    index: { type: 'integer', minimum: 0, maximum: 1000 },
  },
} as const;

const dimension = { type: 'integer', minimum: 1, maximum: 8192 } as const;
const imageQuery = {
  type: 'object',
  properties: {
    maxWidth: dimension,
    maxHeight: dimension,
    width: dimension,
    height: dimension,
    fillWidth: dimension,
    fillHeight: dimension,
    quality: { type: 'integer', minimum: 1, maximum: 100 },
    tag: { type: 'string', maxLength: 64 },
  },
} as const;

interface ImageQuery {
  maxWidth?: number;
  maxHeight?: number;
  width?: number;
  height?: number;
  fillWidth?: number;
  fillHeight?: number;
  quality?: number;
  tag?: string;
}

export function registerLibraryRoutes(app: FastifyInstance, deps: { library: LibraryServices }): void {
  const { scanner, writer, images } = deps.library;

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

  const imageHandler = async (
    req: { params: unknown; query: unknown; headers: Record<string, string | string[] | undefined>; log: FastifyBaseLogger },
    reply: FastifyReply,
  ) => {
    const { id: rawId, type } = req.params as { id: string; type: string };
    const id = normalizeId(rawId);
    // Only Primary is stored; Backdrop, Logo… are honestly absent rather than a stand-in.
    if (!id || type.toLowerCase() !== 'primary') throw notFound('Image not found');
    const image = writer.imageOf(id);
    if (!image || !fs.existsSync(image.imagePath)) throw notFound('Image not found');
    // Names arrive in any case (MaxWidth, maxwidth): the tolerant-input hook renames them to the schema's.
    const q = req.query as ImageQuery;
    const opts: ImageVariantOptions = {
      maxWidth: q.maxWidth ?? q.fillWidth,
      maxHeight: q.maxHeight ?? q.fillHeight,
      width: q.width,
      height: q.height,
      quality: q.quality,
    };
    let file = image.imagePath;
    let key = image.imageTag;
    try {
      const v = await images.variant(id, { path: image.imagePath, tag: image.imageTag }, opts);
      file = v.path;
      key = v.key;
    } catch (err) {
      // A format ffmpeg cannot scale (HEIC on the bundled build): the original beats no image.
      req.log.warn({ err, id }, 'image resize failed; serving the original');
    }
    const etag = `"${key}"`;
    // A URL carrying the current tag names immutable content (the tag is a hash of the bytes).
    const immutable = q.tag !== undefined && q.tag === image.imageTag;
    reply.header('ETag', etag);
    reply.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate');
    const inm = req.headers['if-none-match'];
    const tags = (Array.isArray(inm) ? inm.join(',') : (inm ?? '')).split(',').map((t) => t.trim());
    if (tags.includes(etag) || tags.includes('*')) return reply.code(304).send();
    const st = await fs.promises.stat(file);
    reply.header('Content-Type', file === image.imagePath ? contentTypeOf(file) : 'image/jpeg');
    reply.header('Content-Length', st.size);
    return reply.send(fs.createReadStream(file));
  };

  for (const url of ['/Items/:id/Images/:type', '/Items/:id/Images/:type/:index']) {
    // exposeHeadRoute answers HEAD with the same headers and no body.
    app.get(
      url,
      { config: { auth: 'user' }, exposeHeadRoute: true, schema: { params: imageParams, querystring: imageQuery } },
      imageHandler,
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
