import type { Migration } from '../migrate.js';

export const m003CameraUploads: Migration = {
  version: 3,
  name: 'camera uploads: upload sessions and per-device history; uploaded files belong to their uploader',
  up(db) {
    db.exec(`
      -- One row per file a device sends: an open resumable session ('Uploading') until every byte has
      -- arrived and been verified, then the history entry ('Complete') that stops a second upload.
      CREATE TABLE camera_uploads (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        client_file_id TEXT,
        album TEXT,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        date TEXT,
        mime_type TEXT,
        sha256 TEXT,
        stored_path TEXT UNIQUE,
        status TEXT NOT NULL,
        bytes_received INTEGER NOT NULL DEFAULT 0,
        date_created TEXT NOT NULL,
        date_modified TEXT NOT NULL
      );
      CREATE INDEX camera_uploads_device ON camera_uploads(device_id, status, date_created);
      CREATE INDEX camera_uploads_hash ON camera_uploads(device_id, sha256);
      CREATE INDEX camera_uploads_identity ON camera_uploads(device_id, name, size, date);

      -- A scanned camera upload is its uploader's (itemVisibility.ts: items with an owner are private),
      -- set in the same statement that inserts the item, so it is never visible to anyone else.
      CREATE TRIGGER camera_uploads_owner AFTER INSERT ON items
      WHEN NEW.path IS NOT NULL AND NEW.owner_user_id IS NULL
      BEGIN
        UPDATE items SET owner_user_id =
          (SELECT user_id FROM camera_uploads WHERE stored_path = NEW.path AND status = 'Complete')
        WHERE id = NEW.id
          AND EXISTS (SELECT 1 FROM camera_uploads WHERE stored_path = NEW.path AND status = 'Complete');
      END;
    `);
  },
};
