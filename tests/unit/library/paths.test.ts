import { describe, expect, it } from 'vitest';
import { isUnder } from '../../../src/server/library/paths.js';

describe('isUnder', () => {
  it('is true only for descendants, not for the root itself, siblings sharing a prefix or parents', () => {
    expect(isUnder('/media', '/media/a/b.mkv')).toBe(true);
    expect(isUnder('/media/', '/media/a')).toBe(true);
    expect(isUnder('/media', '/media')).toBe(false);
    expect(isUnder('/media', '/media-other/a')).toBe(false);
    expect(isUnder('/media/a', '/media')).toBe(false);
    expect(isUnder('/media', '/media/../etc/passwd')).toBe(false);
  });

  it('treats a name that merely starts with two dots as inside', () => {
    expect(isUnder('/media', '/media/..hidden/a.mkv')).toBe(true);
  });
});
