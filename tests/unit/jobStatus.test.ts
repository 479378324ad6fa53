import { describe, expect, it } from 'vitest';
import type { SyncJobItemStatus } from '../../src/shared/api/sync.js';
import { conversionProgress, deriveJobStatus, itemProgress, transferProgress } from '../../src/shared/jobStatus.js';

const items = (...statuses: SyncJobItemStatus[]) => statuses.map((Status) => ({ Status }));

describe('deriveJobStatus', () => {
  it('is Completed with no progress when the job has no items (the original said Failed)', () => {
    expect(deriveJobStatus([])).toEqual({ Status: 'Completed' });
  });

  it.each<[SyncJobItemStatus[], string]>([
    [['Transferring', 'Converting', 'Failed'], 'Transferring'],
    [['Converting', 'ReadyToTransfer', 'Queued'], 'Converting'],
    [['Failed', 'Failed'], 'Failed'],
    [['Cancelled', 'Cancelled'], 'Cancelled'],
    [['ReadyToTransfer', 'ReadyToTransfer'], 'ReadyToTransfer'],
    [['Synced', 'RemovedFromDevice', 'Cancelled'], 'Completed'],
    [['Synced', 'Failed'], 'CompletedWithError'],
    [['Cancelled', 'Failed'], 'CompletedWithError'],
    [['ReadyToTransfer', 'Synced'], 'Queued'],
    [['Queued', 'Synced'], 'Queued'],
    [['RemovedFromDevice'], 'Completed'],
  ])('%j → %s', (statuses, expected) => {
    expect(deriveJobStatus(items(...statuses)).Status).toBe(expected);
  });

  it('reads Completed, not Cancelled, when its items wait only because another job has them on the device', () => {
    expect(deriveJobStatus([{ Status: 'Cancelled', ThroughOtherJob: true }]).Status).toBe('Completed');
    expect(deriveJobStatus([{ Status: 'Cancelled', ThroughOtherJob: true }, { Status: 'Queued' }]).Status).toBe('Queued');
    expect(deriveJobStatus([{ Status: 'Cancelled', ThroughOtherJob: true }, { Status: 'Cancelled' }]).Status).toBe('Completed');
  });

  it('averages item progress, counting Failed, Synced, RemovedFromDevice and Cancelled as 100', () => {
    const result = deriveJobStatus([
      { Status: 'Queued', Progress: 30 },
      { Status: 'Converting', Progress: 20 },
      { Status: 'ReadyToTransfer' },
      { Status: 'Transferring', Progress: 80 },
      { Status: 'Failed', Progress: 10 },
      { Status: 'Cancelled' },
      { Status: 'Synced' },
      { Status: 'RemovedFromDevice' },
    ]);
    expect(result.Progress).toBe((0 + 20 + 50 + 80 + 100 + 100 + 100 + 100) / 8);
  });
});

describe('item progress', () => {
  it('keeps each status within its band: conversion is the first half, download the second', () => {
    expect(itemProgress('Queued', 40)).toBe(0);
    expect(itemProgress('Converting', 70)).toBe(50);
    expect(itemProgress('Converting', 12.5)).toBe(12.5);
    expect(itemProgress('ReadyToTransfer', 10)).toBe(50);
    expect(itemProgress('Transferring', 20)).toBe(50);
    expect(itemProgress('Transferring')).toBe(50);
    expect(itemProgress('Transferring', 75)).toBe(75);
    expect(itemProgress('Synced', 0)).toBe(100);
  });

  it('maps encoder fraction and bytes served onto the bands', () => {
    expect(conversionProgress(0.5)).toBe(25);
    expect(conversionProgress(1.7)).toBe(50);
    expect(transferProgress(250, 1000)).toBe(62.5);
    expect(transferProgress(5, 0)).toBe(50);
  });
});
