import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/server/errors.js';
import { aProfile, aSource } from '../builders.js';
import { anItem } from './fakeLibrary.js';
import { anId, aUser, syncHarness } from './fakes.js';

const MOVIE = anId(1);
const SHOW = anId(2);

function setup() {
  const h = syncHarness();
  const alice = h.signIn(aUser('alice'), 'phone', aProfile());
  h.signIn(aUser('alice'), 'laptop');
  h.lib.add(anItem({ id: MOVIE, name: 'Movie', size: 2_000_000 }));
  h.lib.sources.set(MOVIE, aSource({ container: 'mp4', audio: [{ codec: 'aac' }], size: 2_000_000, durationSeconds: 60 }));
  h.lib.folder(anItem({ id: SHOW, name: 'Show', type: 'Series', isFolder: true }), [anItem({ name: 'E1', type: 'Episode' })]);
  return { h, alice };
}

describe('SyncDialog', () => {
  it('offers the user’s sync devices by name, within the device policy', () => {
    const { h, alice } = setup();
    expect(h.dialog.targets(alice.user.id).map((t) => t.Id)).toEqual(['laptop', 'phone']);
    h.users.set(alice.user.id, aUser('alice', { EnableAllDevices: false, EnabledDevices: ['phone'] }));
    expect(h.dialog.targets(alice.user.id).map((t) => t.Id)).toEqual(['phone']);
    h.users.set(alice.user.id, aUser('alice', { EnableSync: false }));
    expect(h.dialog.targets(alice.user.id)).toEqual([]);
  });

  it('needs ItemIds or a Category, and offers qualities only with a target', () => {
    const { h, alice } = setup();
    expect(() => h.dialog.options(alice, {})).toThrow(DomainError);
    expect(h.dialog.options(alice, { ItemIds: [MOVIE] }).QualityOptions).toEqual([]);
    const withTarget = h.dialog.options(alice, { ItemIds: [MOVIE], TargetId: 'phone' });
    expect(withTarget.QualityOptions.map((q) => q.Id)).toEqual(['original', 'high', 'medium', 'low', 'custom']);
    expect(withTarget.ProfileOptions).toEqual([]);
  });

  it('estimates a selection: the source’s size when it plays as is', () => {
    const { h, alice } = setup();
    const original = h.dialog.options(alice, { ItemIds: [MOVIE], TargetId: 'phone' }).QualityOptions.find((q) => q.Id === 'original');
    expect(original?.EstimatedSize).toBe(2_000_000);
  });

  it('offers a folder the options that let it grow', () => {
    const { h, alice } = setup();
    expect(h.dialog.options(alice, { ItemIds: [SHOW] }).Options).toEqual(expect.arrayContaining(['SyncNewContent', 'ItemLimit']));
  });
});
