/**
 * Camera upload: a device sends its photos and videos, each stored once under
 * `<camera uploads root>/<user>/<device>/<album or YYYY-MM>/<name>` and scanned into the library.
 *
 * (videos one level down, in `Videos/`: the scanner takes an image beside a video for its artwork).
 *
 * Two ways in, one finish:
 *   - whole file (Emby's POST /Devices/CameraUploads): the body is streamed to a temp file;
 *   - resumable session (ours): create with name, size, date, type (and SHA-256 when known), then append
 *     chunks at the offset the server holds; a chunk at any other offset is refused with that offset, so a
 *     client that lost track asks and continues. A broken-off chunk keeps the bytes that arrived.
 * Finish: size checked, type sniffed from the bytes (a text file named .jpg is refused), SHA-256 computed
 * while streaming (re-read from disk only after a restart or a broken chunk), duplicates by content or by
 * name + size + date are dropped, the row is marked Complete *before* the file appears under its final
 * name (so the scanner's insert trigger finds the owner), and a library scan is requested.
 * Bodies are never buffered whole; every file is written under a temp name and renamed.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { UserPolicy } from '../../shared/api/users.js';
import { badRequest, conflict, forbidden, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { CameraUploadsRepo, UploadRecord } from './cameraUploadsRepo.js';
import type { ContentRange } from './contentRange.js';
import { OffsetConflict, unsupportedType, uploadTooLarge } from './uploadErrors.js';
import { hashFile, readHead, writeMetered } from './uploadFiles.js';
import { declaredKind, SNIFF_BYTES, sniffMedia } from './mediaSniff.js';
import { albumFolder, safeFileName, safeSegment, uniqueName } from './uploadPaths.js';

export interface UploadCaller {
  userId: string;
  userName: string;
  policy: UserPolicy;
  /** The device the caller's token belongs to. */
  deviceId: string;
}

export interface FileFacts {
  DeviceId: string;
  Name: string;
  Album?: string;
  /** The client's own id for the file (Emby LocalFileInfo.Id). */
  Id?: string;
  /** When the photo or video was taken / last modified (ISO-8601), part of the duplicate check. */
  Date?: string;
  MimeType?: string;
  Sha256?: string;
}

export interface SessionInput extends FileFacts {
  Size: number;
}

export interface UploadOutcome {
  record: UploadRecord;
  /** True when this file was already uploaded from the device: nothing new was stored. */
  duplicate: boolean;
}

export interface CameraUploadDeps {
  repo: CameraUploadsRepo;
  root: string;
  maxBytes: number;
  deviceName(deviceId: string): string | undefined;
  userName(userId: string): string | undefined;
  requestScan(): void;
  log: Logger;
  now?: () => Date;
}

interface RunningHash {
  hash: Hash;
  bytes: number;
}

export class CameraUploadService {
  private readonly incoming: string;
  private readonly hashes = new Map<string, RunningHash>();
  private readonly busy = new Set<string>();
  private readonly now: () => Date;

  constructor(private readonly d: CameraUploadDeps) {
    this.incoming = path.join(d.root, '.incoming');
    fs.mkdirSync(this.incoming, { recursive: true });
    this.now = d.now ?? (() => new Date());
  }

  private authorize(caller: UploadCaller, deviceId: string): void {
    if (!caller.policy.EnableCameraUpload || caller.policy.IsDisabled) throw forbidden('Camera upload is not enabled for this user');
    if (deviceId !== caller.deviceId) throw forbidden('Uploads are accepted only for your own device');
  }

  private tempPath(id: string): string {
    return path.join(this.incoming, `${id}.part`);
  }

  history(caller: UploadCaller, deviceId: string): UploadRecord[] {
    if (deviceId !== caller.deviceId && !caller.policy.IsAdministrator) throw forbidden('Only your own device’s history');
    return this.d.repo.history(deviceId, caller.userId);
  }

  /** Opens (or finds again) a resumable session; a file already uploaded from this device is a duplicate at once. */
  begin(caller: UploadCaller, input: SessionInput): UploadOutcome {
    this.authorize(caller, input.DeviceId);
    if (declaredKind(input.MimeType) === 'other') throw unsupportedType(input.MimeType ?? 'no type');
    if (input.Size > this.d.maxBytes) throw uploadTooLarge(this.d.maxBytes);
    const facts = {
      name: input.Name,
      size: input.Size,
      date: normDate(input.Date),
      sha256: normSha(input.Sha256),
      clientFileId: input.Id ?? null,
    };
    const dup = this.d.repo.findDuplicate(input.DeviceId, caller.userId, facts);
    if (dup) return { record: dup, duplicate: true };
    const open = this.d.repo.findOpen(input.DeviceId, caller.userId, facts);
    if (open) return { record: this.syncWithDisk(open), duplicate: false };
    const record = this.d.repo.create({
      id: newId(),
      deviceId: input.DeviceId,
      userId: caller.userId,
      clientFileId: facts.clientFileId,
      album: input.Album ?? null,
      name: input.Name,
      size: input.Size,
      date: facts.date,
      mimeType: input.MimeType ?? null,
      sha256: facts.sha256,
      dateCreated: this.now().toISOString(),
    });
    fs.writeFileSync(this.tempPath(record.id), new Uint8Array(0));
    return { record, duplicate: false };
  }

  status(caller: UploadCaller, uploadId: string): UploadRecord {
    return this.own(caller, uploadId);
  }

  private own(caller: UploadCaller, uploadId: string): UploadRecord {
    const r = this.d.repo.get(uploadId);
    if (!r || r.userId !== caller.userId) throw notFound('Upload not found');
    return r;
  }

  /** The temp file is the truth for what arrived (a crash may leave it ahead of or behind the row). */
  private syncWithDisk(r: UploadRecord): UploadRecord {
    if (r.status !== 'Uploading') return r;
    let onDisk = 0;
    try {
      onDisk = fs.statSync(this.tempPath(r.id)).size;
    } catch {
      fs.writeFileSync(this.tempPath(r.id), new Uint8Array(0));
    }
    const bytes = Math.min(onDisk, r.bytesReceived, r.size);
    if (onDisk !== bytes) fs.truncateSync(this.tempPath(r.id), bytes);
    if (bytes !== r.bytesReceived) this.d.repo.setReceived(r.id, bytes, this.now().toISOString());
    return { ...r, bytesReceived: bytes };
  }

  /** Appends the chunk that starts at `start`; finishes the upload when its last byte arrives. */
  async append(caller: UploadCaller, uploadId: string, range: ContentRange, body: Readable): Promise<UploadOutcome> {
    let record = this.own(caller, uploadId);
    this.authorize(caller, record.deviceId);
    if (record.status === 'Complete') return { record, duplicate: false };
    if (this.busy.has(uploadId)) throw conflict('Another chunk of this upload is being written');
    this.busy.add(uploadId);
    try {
      record = this.syncWithDisk(record);
      if (range.total !== undefined && range.total !== record.size)
        throw badRequest(`Content-Range total ${range.total} is not the upload's size ${record.size}`);
      if (range.start !== record.bytesReceived) throw new OffsetConflict(record.bytesReceived);
      const limit = record.size - record.bytesReceived;
      const expected = range.end !== undefined ? range.end - range.start + 1 : undefined;
      if (expected !== undefined && expected > limit) throw badRequest('The chunk goes past the end of the file');
      let running = this.hashes.get(uploadId);
      if (!running || running.bytes !== record.bytesReceived) {
        running = record.bytesReceived === 0 ? { hash: createHash('sha256'), bytes: 0 } : undefined;
      }
      let received = 0;
      try {
        received = await this.writeBody(body, this.tempPath(uploadId), 'a', Math.min(limit, expected ?? limit), running?.hash);
      } catch (err) {
        // Keep whatever reached the disk; the running hash may have seen more, so it is dropped.
        this.hashes.delete(uploadId);
        const onDisk = fs.statSync(this.tempPath(uploadId)).size;
        this.d.repo.setReceived(uploadId, Math.min(onDisk, record.size), this.now().toISOString());
        throw err;
      }
      const bytes = record.bytesReceived + received;
      this.d.repo.setReceived(uploadId, bytes, this.now().toISOString());
      if (running) this.hashes.set(uploadId, { hash: running.hash, bytes });
      record = { ...record, bytesReceived: bytes };
      // Refuse a file that is not an image or a video at its first chunk, not after gigabytes.
      if (
        range.start === 0 &&
        bytes < record.size &&
        bytes >= SNIFF_BYTES &&
        !sniffMedia(await readHead(this.tempPath(uploadId), SNIFF_BYTES))
      ) {
        this.hashes.delete(uploadId);
        this.d.repo.delete(uploadId);
        fs.rmSync(this.tempPath(uploadId), { force: true });
        throw unsupportedType('the file is neither an image nor a video');
      }
      if (bytes < record.size) return { record, duplicate: false };
      return await this.finish(record);
    } finally {
      this.busy.delete(uploadId);
    }
  }

  /** Emby's whole-file POST: the body is the file. */
  async uploadWhole(caller: UploadCaller, facts: FileFacts, body: Readable, contentLength: number | undefined): Promise<UploadOutcome> {
    this.authorize(caller, facts.DeviceId);
    if (declaredKind(facts.MimeType) === 'other') throw unsupportedType(facts.MimeType ?? 'no type');
    if (contentLength !== undefined && contentLength > this.d.maxBytes) throw uploadTooLarge(this.d.maxBytes);
    const date = normDate(facts.Date);
    if (contentLength !== undefined) {
      const dup = this.d.repo.findDuplicate(facts.DeviceId, caller.userId, {
        name: facts.Name,
        size: contentLength,
        date,
        sha256: normSha(facts.Sha256),
      });
      if (dup) return { record: dup, duplicate: true };
    }
    const id = newId();
    const temp = this.tempPath(id);
    const hash = createHash('sha256');
    let size: number;
    try {
      size = await this.writeBody(body, temp, 'w', this.d.maxBytes, hash, true);
    } catch (err) {
      fs.rmSync(temp, { force: true });
      throw err;
    }
    const record = this.d.repo.create({
      id,
      deviceId: facts.DeviceId,
      userId: caller.userId,
      clientFileId: facts.Id ?? null,
      album: facts.Album ?? null,
      name: facts.Name,
      size,
      date,
      mimeType: facts.MimeType ?? null,
      sha256: normSha(facts.Sha256),
      dateCreated: this.now().toISOString(),
    });
    this.d.repo.setReceived(id, size, this.now().toISOString());
    this.hashes.set(id, { hash, bytes: size });
    return this.finish({ ...record, bytesReceived: size });
  }

  /** A body longer than `limit` is a 413 when the limit is the server's, else a 400 (a chunk longer than it said). */
  private writeBody(body: Readable, file: string, flags: 'a' | 'w', limit: number, hash: Hash | undefined, limitIsServerMax = false) {
    const max = this.d.maxBytes;
    return writeMetered(body, file, flags, limit, hash, () =>
      limitIsServerMax ? uploadTooLarge(max) : badRequest('The chunk goes past the end of the file'),
    );
  }

  private async finish(record: UploadRecord): Promise<UploadOutcome> {
    const temp = this.tempPath(record.id);
    const discard = () => {
      this.hashes.delete(record.id);
      this.d.repo.delete(record.id);
      fs.rmSync(temp, { force: true });
    };
    const head = await readHead(temp, SNIFF_BYTES);
    const sniffed = sniffMedia(head);
    if (!sniffed) {
      discard();
      throw unsupportedType('the file is neither an image nor a video');
    }
    const running = this.hashes.get(record.id);
    const sha256 = running && running.bytes === record.size ? running.hash.digest('hex') : await hashFile(temp);
    this.hashes.delete(record.id);
    if (record.sha256 && record.sha256 !== sha256) {
      // Corrupted on the way: start again from byte 0.
      fs.writeFileSync(temp, new Uint8Array(0));
      this.d.repo.setReceived(record.id, 0, this.now().toISOString());
      throw badRequest('The file that arrived does not match its SHA-256; upload it again from the start', 'ChecksumMismatch');
    }
    const dup = this.d.repo.findDuplicate(record.deviceId, record.userId, {
      sha256,
      name: record.name,
      size: record.size,
      date: record.date,
    });
    if (dup) {
      discard();
      return { record: dup, duplicate: true };
    }
    const dir = path.join(
      this.d.root,
      safeSegment(this.userFolder(record), 'user'),
      safeSegment(this.d.deviceName(record.deviceId) ?? record.deviceId, 'device'),
      albumFolder(record.album ?? undefined, record.date ?? undefined, this.now()),
      // The scanner reads an image beside a video as its artwork: videos get a folder of their own.
      ...(sniffed.kind === 'video' ? ['Videos'] : []),
    );
    fs.mkdirSync(dir, { recursive: true });
    const fileName = uniqueName(
      safeFileName(record.name, sniffed.ext),
      (c) => fs.existsSync(path.join(dir, c)) || this.d.repo.storedPathTaken(path.join(dir, c)),
    );
    const dest = path.join(dir, fileName);
    const when = this.now().toISOString();
    // The row says Complete (with the owner) before the file has its final name: the scanner's insert
    // trigger must find it, whichever scan sees the file first.
    this.d.repo.complete(record.id, sha256, dest, when);
    try {
      fs.renameSync(temp, dest);
    } catch (err) {
      this.d.repo.delete(record.id);
      throw err;
    }
    this.d.requestScan();
    this.d.log.info({ uploadId: record.id, deviceId: record.deviceId, size: record.size }, 'camera upload stored');
    return { record: this.d.repo.get(record.id)!, duplicate: false };
  }

  private userFolder(record: UploadRecord): string {
    return this.d.userName(record.userId) ?? record.userId;
  }
}

function normDate(d: string | undefined): string | null {
  if (!d) return null;
  const t = Date.parse(d);
  return Number.isNaN(t) ? d : new Date(t).toISOString();
}

function normSha(s: string | undefined): string | null {
  return s && /^[0-9a-f]{64}$/i.test(s) ? s.toLowerCase() : null;
}
