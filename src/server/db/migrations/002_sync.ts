/**
 * One DDL script (the sync tables), applied once and never edited: its `up` is long because it is the schema as it
 * shipped, read top to bottom; later changes are new numbered migrations.
 */
import type { Migration } from '../migrate.js';

export const m002Sync: Migration = {
  version: 2,
  name: 'sync: jobs, job items, shared conversion outputs, applied offline actions',
  up(db) {
    db.exec(`
      CREATE TABLE sync_jobs (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        target_id TEXT NOT NULL,
        name TEXT NOT NULL,
        quality TEXT NOT NULL,
        bitrate INTEGER,
        profile TEXT NOT NULL DEFAULT '',
        category TEXT,
        parent_id TEXT,
        requested_item_ids TEXT NOT NULL DEFAULT '[]',
        unwatched_only INTEGER NOT NULL DEFAULT 0,
        sync_new_content INTEGER NOT NULL DEFAULT 0,
        item_limit INTEGER,
        status TEXT NOT NULL DEFAULT 'Queued',
        progress REAL,
        item_count INTEGER NOT NULL DEFAULT 0,
        date_created TEXT NOT NULL,
        date_last_modified TEXT NOT NULL
      );
      CREATE INDEX sync_jobs_user ON sync_jobs(user_id, date_last_modified);
      CREATE INDEX sync_jobs_target ON sync_jobs(target_id, date_created);

      CREATE TABLE sync_job_items (
        id TEXT PRIMARY KEY,
        job_id TEXT NOT NULL REFERENCES sync_jobs(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        target_id TEXT NOT NULL,
        item_name TEXT NOT NULL,
        status TEXT NOT NULL,
        progress REAL NOT NULL DEFAULT 0,
        job_item_index INTEGER NOT NULL,
        is_marked_for_removal INTEGER NOT NULL DEFAULT 0,
        output_key TEXT,
        media_source TEXT,
        additional_files TEXT NOT NULL DEFAULT '[]',
        output_file_name TEXT,
        size INTEGER,
        sha256 TEXT,
        estimated_size INTEGER,
        error_message TEXT,
        item_date_modified_ticks INTEGER,
        priority INTEGER NOT NULL DEFAULT 0,
        date_created TEXT NOT NULL,
        date_modified TEXT NOT NULL
      );
      CREATE INDEX sync_job_items_job ON sync_job_items(job_id, job_item_index);
      CREATE INDEX sync_job_items_target ON sync_job_items(target_id, status);
      CREATE INDEX sync_job_items_item ON sync_job_items(item_id, target_id);
      CREATE INDEX sync_job_items_output ON sync_job_items(output_key);

      -- Converted files shared by every job item with the same key (source identity + effective plan):
      -- "convert once, share everywhere". References are the job items pointing at the key.
      CREATE TABLE conversion_outputs (
        key TEXT PRIMARY KEY,
        item_id TEXT NOT NULL,
        source_path TEXT NOT NULL,
        plan TEXT NOT NULL,
        status TEXT NOT NULL,
        progress REAL NOT NULL DEFAULT 0,
        priority INTEGER NOT NULL DEFAULT 0,
        owner_user_id TEXT,
        file_name TEXT,
        size INTEGER,
        sha256 TEXT,
        media_source TEXT,
        subtitle_files TEXT NOT NULL DEFAULT '[]',
        error_message TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        date_created TEXT NOT NULL,
        date_modified TEXT NOT NULL
      );
      CREATE INDEX conversion_outputs_status ON conversion_outputs(status, priority, date_created);

      -- Offline actions already applied, so a client that posts one twice changes nothing the second time.
      CREATE TABLE applied_offline_actions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        date_applied TEXT NOT NULL
      );
    `);
  },
};
