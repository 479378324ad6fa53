/** Names and shapes the server and BullMQ workers agree on. */
import type { ConversionJob } from './conversionTypes.js';

export const QUEUE_NAME = 'stowaway-convert';
/** Pub/sub channel on which the server asks whichever worker runs an output to kill its ffmpeg. */
export const CANCEL_CHANNEL = 'stowaway-convert:cancel';
/** The failure reason of a job we cancelled on purpose: not a conversion failure. */
export const CANCELLED_REASON = 'stowaway: conversion cancelled';

/** A BullMQ job's data: the conversion plus the server's settings at scheduling time (cluster-wide). */
export interface ConvertJobData extends ConversionJob {
  threads: number;
  fullSpeed: boolean;
}

/**
 * Lock and stall timing. ffmpeg runs as a child process, so the worker's event loop stays free to renew
 * the lock every lockDuration/2; a worker that dies stops renewing, and after at most lockDuration +
 * stalledInterval another worker takes the job over. The third stall fails it (BullMQ fails a job once its
 * stall count exceeds maxStalledCount: a file that kills every worker that takes it).
 */
export const DEFAULT_LOCK_DURATION_MS = 30_000;
export const DEFAULT_STALLED_INTERVAL_MS = 15_000;
export const DEFAULT_MAX_STALLED_COUNT = 2;

/** BullMQ priorities: 1 (first) … 2^21; 0 means "no priority" and jumps ahead, so never use it. */
export function bullPriority(priority: number): number {
  return Math.min(2 ** 21, Math.max(1, Math.round(priority) + 1));
}

export function redisConnection(url: string): { url: string; maxRetriesPerRequest: null } {
  // Workers block on Redis; BullMQ requires maxRetriesPerRequest null for that connection.
  return { url, maxRetriesPerRequest: null };
}
