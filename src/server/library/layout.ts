/**
 * Pure path → library item rules: which files are media, how episodes, movies, music and photos are
 * recognised from their folders and names, and which sidecar subtitles belong to a video. No I/O, so every
 * naming convention is a unit test (tests/unit/library/layout.test.ts). One import surface for the scanner
 * and the writer; each kind of rule lives in its own module under layout/.
 */
export * from './layout/fileKinds.js';
export * from './layout/names.js';
export * from './layout/episodes.js';
export * from './layout/videoLayout.js';
export * from './layout/musicLayout.js';
export * from './layout/photoLayout.js';
export * from './layout/languages.js';
export * from './layout/sidecarSubtitles.js';
