/**
 * The one progress model every screen shows (issue 15 §3): an item is first *converting x %* on the
 * server, then *downloading n MB of m MB* to its device — two phases, each with its own bar, never one bar
 * that mixes them (the wire's 0–100 `Progress`, API.md §5.9, keeps its Emby meaning for other clients).
 *
 * Inputs are what the screens hold: the server's job item (status, progress, size) and, for items on
 * this device, the service worker's download state (bytes as they arrive). The device's figure wins
 * while it has one: it is what is really here. Pure, so the server, the app and the service worker can
 * all use it, and it is unit-tested for every status × download state.
 */
import type { SyncJobItemStatus } from './api/sync.js';
import { formatBytes } from './formatBytes.js';

/** What the device knows about one download (sw/db.ts LocalItem, or the live figure the SW broadcasts). */
export interface DeviceDownload {
  step: 'media' | 'extras' | 'transfer' | 'synced';
  /** Media bytes received so far. */
  bytes: number;
  size?: number;
  blocked?: 'user' | 'quota' | 'error';
  /** The browser's Background Fetch has the download (it goes on with the app closed). */
  byBrowser?: boolean;
}

/** What the server says about one job item (SyncJobItem, or an item's SyncInfo). */
export interface ServerItemState {
  Status: SyncJobItemStatus;
  /** The wire's 0–100 scale: conversion 0–50, download 50–100 (bytes served). */
  Progress?: number;
  Size?: number;
  EstimatedSize?: number;
  /**
   * Ours (issue 15 §4): another job already syncs this library item to the same device, so this one
   * waits (on the wire it stays `Cancelled`, as Emby has it): that job's name and its item's status.
   */
  ThroughJobName?: string;
  ThroughJobItemStatus?: SyncJobItemStatus;
}

export type SyncPhase =
  | 'queued'
  | 'converting'
  | 'ready'
  | 'downloading'
  | 'paused'
  | 'stopped'
  | 'retrying'
  | 'finishing'
  | 'done'
  | 'throughOtherJob'
  | 'failed'
  | 'cancelled'
  | 'removed';

export interface SyncProgress {
  phase: SyncPhase;
  /** 0–100 of the current phase only: conversion while converting, download from then on. */
  percent: number;
  /** Download phases: bytes on the device (or served, for another device) of `total`. */
  bytes?: number;
  total?: number;
  /** Whether the download figures come from this device (else from what the server served). */
  fromDevice?: boolean;
  /** throughOtherJob: the job whose copy serves this item, and whether that copy is on the device yet. */
  otherJob?: string;
  otherJobDone?: boolean;
  /** The browser's Background Fetch is downloading (it goes on with the app closed). */
  byBrowser?: boolean;
}

const clampPercent = (n: number) => Math.min(100, Math.max(0, n));
const pct = (bytes: number, total: number | undefined) => (total && total > 0 ? Math.floor(clampPercent((bytes / total) * 100)) : 0);
const finite = (n: number | undefined) => (typeof n === 'number' && Number.isFinite(n) ? n : undefined);

function fromDevice(d: DeviceDownload, fallbackSize: number | undefined): SyncProgress {
  const total = d.size ?? fallbackSize;
  const bytes = Math.min(d.bytes, total ?? d.bytes);
  const figures = { bytes, total, percent: pct(bytes, total), fromDevice: true };
  if (d.step === 'synced') return { phase: 'done', percent: 100, bytes: total, total, fromDevice: true };
  if (d.step !== 'media') return { phase: 'finishing', percent: 100, bytes: total, total, fromDevice: true };
  if (d.blocked === 'user') return { phase: 'paused', ...figures };
  if (d.blocked === 'quota') return { phase: 'stopped', ...figures };
  if (d.blocked === 'error') return { phase: 'retrying', ...figures };
  if (d.byBrowser) return { phase: 'downloading', ...figures, byBrowser: true };
  return { phase: bytes > 0 ? 'downloading' : 'ready', ...figures };
}

/** One item: the server's state, with this device's download state when the item is for this device. */
export function describeItemSync(server: ServerItemState | undefined, device?: DeviceDownload): SyncProgress {
  const status = server?.Status;
  // The server has given up on it: whatever is still on the device leaves at its next sync.
  if (status === 'Failed') return { phase: 'failed', percent: 0 };
  if (status === 'Cancelled' && server?.ThroughJobName === undefined) return { phase: 'cancelled', percent: 0 };
  if (status === 'RemovedFromDevice') return { phase: 'removed', percent: 0 };
  if (device && (status === undefined || status === 'ReadyToTransfer' || status === 'Transferring' || status === 'Synced')) {
    return fromDevice(device, server?.Size);
  }
  if (!server) return { phase: 'queued', percent: 0 };
  if (server.ThroughJobName !== undefined) {
    const otherJobDone = server.ThroughJobItemStatus === 'Synced';
    return { phase: 'throughOtherJob', percent: otherJobDone ? 100 : 0, otherJob: server.ThroughJobName, otherJobDone };
  }
  const wire = finite(server.Progress) ?? 0;
  const total = server.Size ?? server.EstimatedSize;
  switch (server.Status) {
    case 'Queued':
      return { phase: 'queued', percent: 0 };
    case 'Converting':
      return { phase: 'converting', percent: Math.floor(clampPercent(wire * 2)) };
    case 'ReadyToTransfer':
      return { phase: 'ready', percent: 0, bytes: 0, total };
    case 'Transferring': {
      const share = clampPercent((wire - 50) * 2) / 100;
      const bytes = total !== undefined ? Math.floor(share * total) : undefined;
      return { phase: 'downloading', percent: Math.floor(share * 100), bytes, total };
    }
    default:
      return { phase: 'done', percent: 100, bytes: total, total };
  }
}

/**
 * A job's items counted by phase, computed by the server from its job items and sent as the job's
 * `SyncProgress` (ours): a job list shows conversion and download apart without fetching every item.
 */
export interface JobSyncSummary {
  /** Items waiting for conversion, and those converting with their mean conversion %. */
  Queued: number;
  Converting: number;
  ConvertingPercent: number;
  /** Converted, not yet fully on the device (ReadyToTransfer, Transferring). */
  Ready: number;
  Synced: number;
  Failed: number;
  Cancelled: number;
  Removed: number;
  /** Items already on the device through another job's copy (issue 15 §4). */
  ThroughOtherJob: number;
  /** Bytes the server sent of the converted items' files, and those files' total size. */
  BytesServed: number;
  BytesTotal: number;
}

export function summarizeJobItems(items: readonly ServerItemState[]): JobSyncSummary {
  const s: JobSyncSummary = {
    Queued: 0,
    Converting: 0,
    ConvertingPercent: 0,
    Ready: 0,
    Synced: 0,
    Failed: 0,
    Cancelled: 0,
    Removed: 0,
    ThroughOtherJob: 0,
    BytesServed: 0,
    BytesTotal: 0,
  };
  let converting = 0;
  for (const item of items) {
    const p = describeItemSync(item);
    const size = item.Size ?? 0;
    if (p.phase === 'queued') s.Queued++;
    else if (p.phase === 'converting') {
      s.Converting++;
      converting += p.percent;
    } else if (p.phase === 'ready' || p.phase === 'downloading') {
      s.Ready++;
      s.BytesTotal += size;
      s.BytesServed += p.bytes ?? 0;
    } else if (p.phase === 'done') {
      s.Synced++;
      s.BytesTotal += size;
      s.BytesServed += size;
    } else if (p.phase === 'failed') s.Failed++;
    else if (p.phase === 'cancelled') s.Cancelled++;
    else if (p.phase === 'removed') s.Removed++;
    else if (p.phase === 'throughOtherJob') s.ThroughOtherJob++;
  }
  s.ConvertingPercent = s.Converting ? Math.floor(converting / s.Converting) : 0;
  return s;
}

/** This device's downloads of one job (sw/db.ts LocalItems with the job's SyncJobId). */
export interface DeviceJobDownloads {
  /** Media bytes received and the files' total, over the job's items the device knows. */
  bytes: number;
  total: number;
  /** Items with every byte here (synced, or finishing). */
  complete: number;
  /** Items with a download in progress that the person paused, or that stopped on a full disk. */
  paused: number;
  stopped: number;
}

export function deviceJobDownloads(downloads: readonly DeviceDownload[]): DeviceJobDownloads {
  const out: DeviceJobDownloads = { bytes: 0, total: 0, complete: 0, paused: 0, stopped: 0 };
  for (const d of downloads) {
    const p = fromDevice(d, undefined);
    out.bytes += p.bytes ?? 0;
    out.total += p.total ?? 0;
    if (p.phase === 'done' || p.phase === 'finishing') out.complete++;
    if (p.phase === 'paused') out.paused++;
    if (p.phase === 'stopped') out.stopped++;
  }
  return out;
}

export interface JobProgress extends SyncProgress {
  itemCount: number;
  /** Items on the device (Synced), of those that are meant to get there. */
  onDevice: number;
  wanted: number;
}

/**
 * A whole job: downloading while any converted item is not yet on the device, converting while items
 * are still to convert, then its outcome. Download figures are this device's own when given (the job
 * targets this device), else what the server sent.
 */
export function describeJobSync(summary: JobSyncSummary, device?: DeviceJobDownloads): JobProgress {
  const itemCount =
    summary.Queued +
    summary.Converting +
    summary.Ready +
    summary.Synced +
    summary.Failed +
    summary.Cancelled +
    summary.Removed +
    summary.ThroughOtherJob;
  const wanted = summary.Queued + summary.Converting + summary.Ready + summary.Synced;
  const base = { itemCount, onDevice: summary.Synced, wanted };
  // Bytes: the device's where it has them; converted files it has not started count as 0 of their size.
  const total = Math.max(summary.BytesTotal, device?.total ?? 0);
  const bytes = device ? Math.min(device.bytes, total) : summary.BytesServed;
  const downloadFigures = { bytes, total, percent: pct(bytes, total), fromDevice: !!device };
  const stillDownloading = summary.Ready > 0 && (!device || device.complete < summary.Ready + summary.Synced);
  if (stillDownloading) {
    const phase: SyncPhase =
      device && device.stopped > 0
        ? 'stopped'
        : device && device.paused > 0 && device.paused >= summary.Ready
          ? 'paused'
          : bytes > 0
            ? 'downloading'
            : 'ready';
    return { ...base, phase, ...downloadFigures };
  }
  if (summary.Converting > 0) return { ...base, phase: 'converting', percent: summary.ConvertingPercent };
  if (summary.Queued > 0) return { ...base, phase: 'queued', percent: 0 };
  if (summary.Ready > 0) return { ...base, phase: 'finishing', ...downloadFigures, percent: 100 };
  if (summary.Synced > 0) return { ...base, phase: 'done', ...downloadFigures, percent: 100 };
  if (summary.ThroughOtherJob > 0) return { ...base, phase: 'throughOtherJob', percent: 100 };
  if (summary.Failed > 0) return { ...base, phase: 'failed', percent: 0 };
  if (summary.Removed > 0) return { ...base, phase: 'removed', percent: 0 };
  if (summary.Cancelled > 0) return { ...base, phase: 'cancelled', percent: 0 };
  return { ...base, phase: 'done', percent: 100 };
}

/** "2.1 MB of 5.7 MB" — the figure every screen shows for a download. */
export function bytesOfTotal(p: Pick<SyncProgress, 'bytes' | 'total'>): string {
  const bytes = formatBytes(p.bytes ?? 0);
  return p.total ? `${bytes} of ${formatBytes(p.total)}` : bytes;
}

export interface TextOptions {
  /** The progress is about this browser (else "the device"). */
  thisDevice?: boolean;
}

/** The words for a progress, the same on every screen. */
export function syncProgressText(p: SyncProgress, options: TextOptions = {}): string {
  const where = options.thisDevice ? 'this device' : 'the device';
  switch (p.phase) {
    case 'queued':
      return 'Waiting to convert';
    case 'converting':
      return `Converting ${p.percent} %`;
    case 'ready':
      return p.total ? `Ready to download · ${formatBytes(p.total)}` : 'Ready to download';
    case 'downloading':
      return p.byBrowser ? `Downloading in the background ${bytesOfTotal(p)}` : `Downloading ${bytesOfTotal(p)}`;
    case 'paused':
      return `Paused at ${bytesOfTotal(p)}`;
    case 'stopped':
      return `Stopped: storage full at ${bytesOfTotal(p)}`;
    case 'retrying':
      return `Waiting to retry at ${bytesOfTotal(p)}`;
    case 'finishing':
      return 'Finishing…';
    case 'done':
      return `On ${where}`;
    case 'throughOtherJob': {
      const job = p.otherJob ? `job “${p.otherJob}”` : 'another job';
      return p.otherJobDone === false ? `Coming to ${where} through ${job}` : `On ${where} (through ${job})`;
    }
    case 'failed':
      return 'Failed';
    case 'cancelled':
      return 'Cancelled';
    case 'removed':
      return `Removed from ${where}`;
  }
}

/** Whether the bar of this progress shows a download (else a conversion, or nothing moving). */
export function isDownloadPhase(phase: SyncPhase): boolean {
  return phase === 'ready' || phase === 'downloading' || phase === 'paused' || phase === 'stopped' || phase === 'retrying';
}

/** A phase in one or two words, for badges; the full words with figures are syncProgressText's. */
export function syncPhaseLabel(phase: SyncPhase, options: TextOptions = {}): string {
  switch (phase) {
    case 'queued':
      return 'Waiting';
    case 'converting':
      return 'Converting';
    case 'ready':
      return 'Ready to download';
    case 'downloading':
      return 'Downloading';
    case 'paused':
      return 'Paused';
    case 'stopped':
      return 'Storage full';
    case 'retrying':
      return 'Retrying';
    case 'finishing':
      return 'Finishing';
    case 'done':
      return options.thisDevice ? 'On this device' : 'On the device';
    case 'throughOtherJob':
      return 'Via another job';
    case 'failed':
      return 'Failed';
    case 'cancelled':
      return 'Cancelled';
    case 'removed':
      return 'Removed';
  }
}

/** Phases that still move (a bar and figures are worth showing). */
export function isInProgress(phase: SyncPhase): boolean {
  return phase === 'queued' || phase === 'converting' || phase === 'finishing' || isDownloadPhase(phase);
}
