/** What the header, the tab bar and More offer (src/app/navigation.ts), by the user's rights. */
import { describe, expect, it } from 'vitest';
import { headerEntries, moreEntries, sectionOf, tabEntries } from '../../../src/app/navigation';

const ids = (list: Array<{ id: string }>) => list.map((e) => e.id);
const admin = { canSync: true, canUpload: true, isAdministrator: true };
const plain = { canSync: false, canUpload: false, isAdministrator: false };

describe('navigation', () => {
  it('gives an administrator every destination', () => {
    expect(ids(tabEntries(admin))).toEqual(['home', 'search', 'downloads', 'jobs']);
    expect(ids(moreEntries(admin))).toEqual(['browse', 'upload', 'camera-uploads', 'account', 'admin']);
    expect(ids(headerEntries(admin))).toEqual(['search', 'browse', 'jobs', 'downloads', 'upload', 'account', 'admin']);
  });

  it('offers no Sync jobs without EnableSync, no Upload without EnableCameraUpload, no Dashboard to others — but always Downloads', () => {
    expect(ids(tabEntries(plain))).toEqual(['home', 'search', 'downloads']);
    expect(ids(moreEntries(plain))).toEqual(['browse', 'camera-uploads', 'account']);
    expect(ids(headerEntries(plain))).toEqual(['search', 'browse', 'downloads', 'account']);
  });

  it('puts a page under its section: a job under Sync jobs, the users tab under Dashboard, the offline player under Downloads', () => {
    expect(sectionOf({ path: '/jobs/abc', name: 'sync-job' })).toBe('jobs');
    expect(sectionOf({ path: '/admin/users', name: 'admin-users' })).toBe('admin');
    expect(sectionOf({ path: '/on-device/play/x', name: 'offline-play' })).toBe('downloads');
    expect(sectionOf({ path: '/', name: 'home' })).toBe('home');
    expect(sectionOf({ path: '/item/x', name: 'item' })).toBeUndefined();
  });
});
