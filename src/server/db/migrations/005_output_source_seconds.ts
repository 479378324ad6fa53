import type { Migration } from '../migrate.js';

export const m005OutputSourceSeconds: Migration = {
  version: 5,
  name: 'conversion_outputs: the source duration known at scan, so a conversion does not probe its source again',
  up(db) {
    db.exec(`
      -- The runner needs the source's duration for progress and the truncation check; without it every
      -- conversion ran ffprobe on its source again (~80 ms of CPU an item, measured on a 20-item job).
      -- NULL for rows made before: the runner then probes as it did.
      ALTER TABLE conversion_outputs ADD COLUMN source_seconds REAL;
    `);
  },
};
