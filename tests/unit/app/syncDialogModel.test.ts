// @vitest-environment happy-dom
/** The sync dialog's rules: only the server's options show, this device first, Mbps → Bitrate, the request body. */
import { describe, expect, it } from 'vitest';
import type { SyncDialogOptions, SyncJob } from '../../../src/shared/api/sync';
import { formFromJob, jobUpdateFromForm } from '../../../src/app/sync/jobSettings';
import { categorySelection, itemsSelection } from '../../../src/app/sync/selection';
import {
  alreadyThereText,
  estimateParams,
  estimatedSize,
  initialForm,
  orderTargets,
  parseItemLimit,
  parseMbps,
  rememberQuality,
  rememberedQuality,
  toJobRequest,
  validateForm,
  visibleFields,
} from '../../../src/app/sync/syncDialogModel';

function anOptions(over: Partial<SyncDialogOptions> = {}): SyncDialogOptions {
  return {
    Targets: [{ Id: 'me', Name: 'Chrome on Linux' }],
    Options: ['Quality', 'Profile'],
    QualityOptions: [
      { Id: 'original', Name: 'Original', Description: '', IsDefault: false, IsOriginalQuality: true, EstimatedSize: 9_000_000 },
      { Id: 'high', Name: 'High', Description: '', IsDefault: true, IsOriginalQuality: false, EstimatedSize: 8_000_000 },
      { Id: 'medium', Name: 'Medium', Description: '', IsDefault: false, IsOriginalQuality: false, EstimatedSize: 4_000_000 },
      { Id: 'custom', Name: 'Custom', Description: '', IsDefault: false, IsOriginalQuality: false },
    ],
    ProfileOptions: [],
    ...over,
  };
}

const movie = { Id: 'm1', Name: 'Big Buck Test' } as never;
const episodes = [
  { Id: 'e1', Name: 'Pilot' },
  { Id: 'e2', Name: 'The Signal' },
] as never[];

describe('visibleFields', () => {
  it('shows quality for a film but no profile when the target offers none', () => {
    expect(visibleFields(anOptions())).toEqual({
      name: false,
      quality: true,
      profile: false,
      unwatchedOnly: false,
      syncNewContent: false,
      itemLimit: false,
    });
  });

  it('shows every option a category gets', () => {
    const f = visibleFields(anOptions({ Options: ['Name', 'Quality', 'UnwatchedOnly', 'SyncNewContent', 'ItemLimit', 'Profile'] }));
    expect(f).toMatchObject({ name: true, quality: true, unwatchedOnly: true, syncNewContent: true, itemLimit: true });
  });

  it('hides quality when the list is empty (no target chosen, or sync off)', () => {
    expect(visibleFields(anOptions({ QualityOptions: [] })).quality).toBe(false);
  });
});

describe('targets and starting values', () => {
  it('puts this device first', () => {
    const ordered = orderTargets(
      [
        { Id: 'a', Name: 'Android' },
        { Id: 'me', Name: 'Chrome' },
      ],
      'me',
    );
    expect(ordered.map((t) => t.Id)).toEqual(['me', 'a']);
  });

  it('starts with the remembered quality when the target offers it, else the default', () => {
    expect(initialForm(anOptions(), itemsSelection([movie]), 'me', { qualityId: 'medium' }).qualityId).toBe('medium');
    expect(initialForm(anOptions(), itemsSelection([movie]), 'me', { qualityId: 'low' }).qualityId).toBe('high');
  });

  it('names a multi-selection and a category after what they are', () => {
    const multi = anOptions({ Options: ['Name', 'Quality'] });
    expect(initialForm(multi, itemsSelection(episodes), 'me').name).toBe('2 items');
    expect(initialForm(multi, categorySelection('NextUp', { Id: 'tv', Name: 'TV Shows' }), 'me').name).toBe('Next Up – TV Shows');
  });

  it('remembers the last quality and custom bitrate', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    const form = { ...initialForm(anOptions(), itemsSelection([movie]), 'me'), qualityId: 'custom', customMbps: ' 2.5 ' };
    rememberQuality(form, storage);
    expect(rememberedQuality(storage)).toEqual({ qualityId: 'custom', customMbps: '2.5' });
  });
});

describe('custom bitrate and item limit', () => {
  it('sends Mbps × 10⁶ as Bitrate, accepting a decimal comma', () => {
    expect(parseMbps('2.5')).toEqual({ ok: true, value: 2_500_000 });
    expect(parseMbps('2,5')).toEqual({ ok: true, value: 2_500_000 });
  });

  it('explains a bad bitrate or limit in words', () => {
    expect(parseMbps('')).toMatchObject({ ok: false });
    expect(parseMbps('-1')).toMatchObject({ ok: false, error: expect.stringContaining('above 0') });
    expect(parseItemLimit('0')).toMatchObject({ ok: false });
    expect(parseItemLimit('')).toEqual({ ok: true, value: undefined });
    const fields = visibleFields(anOptions());
    const form = { ...initialForm(anOptions(), itemsSelection([movie]), 'me'), qualityId: 'custom', customMbps: 'fast' };
    expect(validateForm(form, fields)).toEqual(['The bitrate must be a number above 0.']);
  });

  it('re-estimates with UnwatchedOnly, ItemLimit and a custom Bitrate only when those fields show', () => {
    const all = anOptions({ Options: ['Name', 'Quality', 'UnwatchedOnly', 'SyncNewContent', 'ItemLimit'] });
    const form = {
      ...initialForm(all, itemsSelection(episodes), 'me'),
      qualityId: 'custom',
      customMbps: '3',
      unwatchedOnly: true,
      itemLimit: '4',
    };
    expect(estimateParams(form, visibleFields(all))).toEqual({ unwatchedOnly: true, itemLimit: 4, bitrate: 3_000_000 });
    expect(estimateParams(form, visibleFields(anOptions()))).toEqual({
      unwatchedOnly: undefined,
      itemLimit: undefined,
      bitrate: 3_000_000,
    });
  });

  it('reads the estimate of the chosen quality', () => {
    expect(estimatedSize(anOptions(), 'medium')).toBe(4_000_000);
    expect(estimatedSize(anOptions(), 'custom')).toBeUndefined();
  });
});

describe('toJobRequest', () => {
  it('sends only what the dialog showed for a film', () => {
    const options = anOptions();
    const form = {
      ...initialForm(options, itemsSelection([movie]), 'me'),
      qualityId: 'medium',
      unwatchedOnly: true,
      itemLimit: '3',
      name: 'ignored',
    };
    expect(toJobRequest(form, visibleFields(options), itemsSelection([movie]), 'u1')).toEqual({
      TargetId: 'me',
      ItemIds: ['m1'],
      UserId: 'u1',
      Quality: 'medium',
      UnwatchedOnly: false,
      SyncNewContent: false,
    });
  });

  it('sends a category with its view as ParentId and no ItemIds', () => {
    const options = anOptions({ Options: ['Name', 'Quality', 'UnwatchedOnly', 'SyncNewContent', 'ItemLimit', 'Profile'] });
    const selection = categorySelection('NextUp', { Id: 'tv', Name: 'TV' });
    const form = { ...initialForm(options, selection, 'me'), itemLimit: '5', qualityId: 'custom', customMbps: '1.5' };
    expect(toJobRequest(form, visibleFields(options), selection, 'u1')).toEqual({
      TargetId: 'me',
      ItemIds: [],
      Category: 'NextUp',
      ParentId: 'tv',
      UserId: 'u1',
      Name: 'Next Up – TV',
      Quality: 'custom',
      Bitrate: 1_500_000,
      UnwatchedOnly: false,
      SyncNewContent: true,
      ItemLimit: 5,
    });
  });
});

describe('editing a job', () => {
  const job: SyncJob = {
    Id: 'j1',
    TargetId: 'me',
    Name: 'Trip',
    Status: 'Queued',
    UserId: 'u1',
    UnwatchedOnly: false,
    SyncNewContent: true,
    RequestedItemIds: ['s1'],
    DateCreated: '',
    DateLastModified: '',
    ItemCount: 2,
    Quality: 'high',
    Bitrate: 2_000_000,
    ItemLimit: 4,
  };

  it('shows a job with a Bitrate as Custom', () => {
    expect(formFromJob(job)).toMatchObject({ qualityId: 'custom', customMbps: '2', itemLimit: '4' });
  });

  it('clears Bitrate and ItemLimit with null when they are no longer wanted', () => {
    const update = jobUpdateFromForm(job, { ...formFromJob(job), qualityId: 'low', itemLimit: '' });
    expect(update).toMatchObject({ Quality: 'low', Bitrate: null, ItemLimit: null });
  });
});

describe('alreadyThereText (issue 15 §4)', () => {
  const on = (OnTarget: number, Coming: number, ItemCount: number, jobs = ['Weekend']) => ({
    OnTarget,
    Coming,
    ItemCount,
    Jobs: jobs.map((Name, i) => ({ Id: `j${i}`, Name })),
  });

  it.each([
    [on(2, 0, 5), '2 of 5 are already on this device through job “Weekend”: they are not downloaded twice.'],
    [on(1, 0, 5), '1 of 5 is already on this device through job “Weekend”: it is not downloaded twice.'],
    [on(1, 0, 1), 'It is already on this device through job “Weekend”: it is not downloaded twice.'],
    [on(3, 0, 3, ['A', 'B']), 'All 3 are already on this device through jobs “A”, “B”: they are not downloaded twice.'],
    [on(0, 2, 4), '2 of 4 are already on the way to this device through job “Weekend”: they are not downloaded twice.'],
    [on(1, 1, 4), '1 of 4 is already on this device, and 1 more is on the way through job “Weekend”: they are not downloaded twice.'],
  ] as const)('%j → %s', (a, text) => {
    expect(alreadyThereText(a, 'this device')).toBe(text);
  });

  it('says nothing when none of the selection is there', () => {
    expect(alreadyThereText(on(0, 0, 5), 'this device')).toBeUndefined();
    expect(alreadyThereText(undefined, 'this device')).toBeUndefined();
  });
});
