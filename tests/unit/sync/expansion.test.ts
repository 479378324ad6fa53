import { describe, expect, it } from 'vitest';
import { expandJob, jobItemName } from '../../../src/server/sync/expansion.js';
import { anItem, FakeLibrary } from './fakeLibrary.js';

const job = (p: Partial<Parameters<typeof expandJob>[1]> = {}) => ({
  userId: 'u1',
  category: null,
  parentId: null,
  requestedItemIds: [] as string[],
  unwatchedOnly: false,
  ...p,
});
const names = (items: { name: string }[]) => items.map((i) => i.name);

describe('expandJob', () => {
  it('expands a single movie to itself', () => {
    const lib = new FakeLibrary().add(anItem({ id: 'm', name: 'Movie' }));
    expect(names(expandJob(lib, job({ requestedItemIds: ['m'] })))).toEqual(['Movie']);
  });

  it('expands a series to its episodes in the series own order, not by name', () => {
    const s = anItem({ id: 's', name: 'Show', type: 'Series', isFolder: true });
    const e2 = anItem({ name: 'Zebra', type: 'Episode', parentIndexNumber: 1, indexNumber: 1 });
    const e1 = anItem({ name: 'Alpha', type: 'Episode', parentIndexNumber: 1, indexNumber: 2 });
    const lib = new FakeLibrary().folder(s, [e2, e1]);
    expect(names(expandJob(lib, job({ requestedItemIds: ['s'] })))).toEqual(['Zebra', 'Alpha']);
  });

  it('expands an item-by-name (genre) to its items by sort name, scoped by ParentId', () => {
    const g = anItem({ id: 'g', name: 'Comedy', type: 'Genre', isFolder: false, path: null, mediaType: null });
    const a = anItem({ id: 'a', name: 'B movie', seriesId: null });
    const b = anItem({ id: 'b', name: 'A episode', type: 'Episode', seriesId: 'show1' });
    const lib = new FakeLibrary().add(g, a, b);
    lib.byName.set('g', ['a', 'b']);
    expect(names(expandJob(lib, job({ requestedItemIds: ['g'] })))).toEqual(['A episode', 'B movie']);
    expect(names(expandJob(lib, job({ requestedItemIds: ['g'], parentId: 'show1' })))).toEqual(['A episode']);
  });

  it('uses the category lists for Latest, Resume and NextUp (Category wins over ItemIds)', () => {
    const a = anItem({ id: 'a', name: 'A' });
    const b = anItem({ id: 'b', name: 'B' });
    const lib = new FakeLibrary().add(a, b);
    lib.categoryIds = { latest: ['b', 'a'], resume: ['a'], nextUp: ['b'] };
    expect(names(expandJob(lib, job({ category: 'Latest', requestedItemIds: ['a'] })))).toEqual(['B', 'A']);
    expect(names(expandJob(lib, job({ category: 'Resume' })))).toEqual(['A']);
    expect(names(expandJob(lib, job({ category: 'NextUp' })))).toEqual(['B']);
  });

  it('drops unsyncable items: files without a path and virtual folders', () => {
    const lib = new FakeLibrary().add(anItem({ id: 'x', name: 'Missing', path: null }), anItem({ id: 'y', name: 'Ok' }));
    expect(names(expandJob(lib, job({ requestedItemIds: ['x', 'y'] })))).toEqual(['Ok']);
  });

  it('UnwatchedOnly drops played videos but keeps played songs', () => {
    const v = anItem({ id: 'v', name: 'Seen' });
    const v2 = anItem({ id: 'v2', name: 'Unseen' });
    const song = anItem({ id: 'song', name: 'Song', type: 'Audio', mediaType: 'Audio' });
    const lib = new FakeLibrary().add(v, v2, song);
    lib.played.set('u1', new Set(['v', 'song']));
    expect(names(expandJob(lib, job({ requestedItemIds: ['v', 'v2', 'song'], unwatchedOnly: true })))).toEqual(['Unseen', 'Song']);
    expect(names(expandJob(lib, job({ requestedItemIds: ['v', 'v2', 'song'] })))).toEqual(['Seen', 'Unseen', 'Song']);
  });

  it('de-duplicates: the first occurrence wins', () => {
    const s = anItem({ id: 's', name: 'Show', type: 'Series', isFolder: true });
    const e = anItem({ id: 'e', name: 'Ep', type: 'Episode' });
    const m = anItem({ id: 'm', name: 'Movie' });
    const lib = new FakeLibrary().folder(s, [e]).add(m);
    expect(names(expandJob(lib, job({ requestedItemIds: ['e', 'm', 's'] })))).toEqual(['Ep', 'Movie']);
  });

  it('skips items the user can no longer see', () => {
    const lib = new FakeLibrary().add(anItem({ id: 'a', name: 'A' }), anItem({ id: 'b', name: 'B' }));
    lib.hidden.add('a');
    expect(names(expandJob(lib, job({ requestedItemIds: ['a', 'b'] })))).toEqual(['B']);
  });
});

describe('jobItemName', () => {
  it('names episodes "S1, E2 - Title"', () => {
    expect(jobItemName(anItem({ name: 'Pilot', type: 'Episode', parentIndexNumber: 1, indexNumber: 2 }))).toBe('S1, E2 - Pilot');
    expect(jobItemName(anItem({ name: 'Movie' }))).toBe('Movie');
  });
});
