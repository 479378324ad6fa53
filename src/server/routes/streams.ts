/**
 * The original file as a stream (`Static=true` semantics: conversion happens in sync jobs and online
 * playback, not here): Range, ETag and If-Range by `sendFileWithRange`; who may have it by `MediaFiles`.
 */
import path from 'node:path';
import { Type } from 'typebox';
import type { Api, AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { contentTypeFor, sendFileWithRange, strongEtag, type SendFileOptions } from '../http/rangeResponse.js';
import { Id, Ticks } from '../http/schemas.js';
import type { MediaFile } from '../library/mediaFiles.js';

const StreamParams = Type.Object({ id: Id, container: Type.Optional(Type.String({ maxLength: 16 })) });

const text = (max: number) => Type.Optional(Type.String({ maxLength: max }));
const index = Type.Optional(Type.Integer({ minimum: -1, maximum: 1_000_000 }));
/** Stream options Emby clients send; accepted and ignored (the original is always what is sent). */
const StreamQuery = Type.Object({
  Static: Type.Optional(Type.Boolean()),
  MediaSourceId: text(64),
  DeviceId: text(256),
  PlaySessionId: text(128),
  Container: text(64),
  AudioCodec: text(64),
  VideoCodec: text(64),
  AudioStreamIndex: index,
  SubtitleStreamIndex: index,
  StartTimeTicks: Type.Optional(Ticks),
  Tag: text(128),
  api_key: text(256),
});

function toSendFile(f: MediaFile): SendFileOptions {
  return {
    path: f.path,
    size: f.size,
    etag: strongEtag(f.itemId, f.size, Math.floor(f.modified.getTime())),
    contentType: contentTypeFor(f.container ?? path.extname(f.path), f.mediaType),
    lastModified: f.modified,
    downloadName: f.downloadName,
  };
}

export function registerStreamRoutes(app: Api, deps: AppDeps): void {
  // GET also answers HEAD (Fastify's exposeHeadRoutes): same headers, no body.
  const opts = { schema: { params: StreamParams, querystring: StreamQuery } };
  const routes: Array<[string, boolean]> = [
    ['/Videos/:id/stream', false],
    ['/Videos/:id/stream.:container', false],
    ['/Audio/:id/stream', false],
    ['/Audio/:id/stream.:container', false],
    ['/Items/:id/Download', true],
  ];
  for (const [url, download] of routes) {
    app.get(url, opts, async (req, reply) =>
      sendFileWithRange(req, reply, toSendFile(await deps.mediaFiles.original(caller(req), req.params.id, { download }))),
    );
  }
}
