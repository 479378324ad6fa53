/**
 * One DDL script (the first schema), applied once and never edited: its `up` is long because it is the schema as it
 * shipped, read top to bottom; later changes are new numbered migrations.
 */
import type { Migration } from '../migrate.js';

export const m001Initial: Migration = {
  version: 1,
  name: 'initial: users, tokens, devices, library items, user data, settings',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT,
        policy TEXT NOT NULL,
        configuration TEXT NOT NULL DEFAULT '{}',
        date_created TEXT NOT NULL,
        last_login_date TEXT,
        last_activity_date TEXT
      );

      -- Tokens are stored as SHA-256 of the token: a leaked database does not leak sessions.
      CREATE TABLE tokens (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        device_id TEXT NOT NULL,
        app_name TEXT,
        app_version TEXT,
        date_created TEXT NOT NULL,
        date_last_used TEXT NOT NULL
      );
      CREATE INDEX tokens_user ON tokens(user_id);
      CREATE INDEX tokens_device ON tokens(device_id);

      CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        app_name TEXT,
        app_version TEXT,
        last_user_id TEXT,
        date_last_activity TEXT NOT NULL,
        capabilities TEXT
      );

      CREATE TABLE device_users (
        device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        date_last_seen TEXT NOT NULL,
        PRIMARY KEY (device_id, user_id)
      );

      -- One table for every library item, folders and items-by-name included, as Emby's BaseItem.
      CREATE TABLE items (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        sort_name TEXT NOT NULL,
        parent_id TEXT,
        top_parent_id TEXT,
        owner_user_id TEXT,
        path TEXT UNIQUE,
        is_folder INTEGER NOT NULL DEFAULT 0,
        media_type TEXT,
        collection_type TEXT,
        container TEXT,
        size INTEGER,
        mtime_ms INTEGER,
        run_time_ticks INTEGER,
        bitrate INTEGER,
        date_created TEXT NOT NULL,
        date_modified TEXT NOT NULL,
        premiere_date TEXT,
        production_year INTEGER,
        index_number INTEGER,
        parent_index_number INTEGER,
        series_id TEXT,
        series_name TEXT,
        season_id TEXT,
        season_name TEXT,
        album_id TEXT,
        album TEXT,
        album_artist TEXT,
        overview TEXT,
        media_streams TEXT NOT NULL DEFAULT '[]',
        extra TEXT NOT NULL DEFAULT '{}',
        image_path TEXT,
        image_tag TEXT,
        scan_id INTEGER
      );
      CREATE INDEX items_parent ON items(parent_id, sort_name);
      CREATE INDEX items_top_parent ON items(top_parent_id, type);
      CREATE INDEX items_type ON items(type, sort_name);
      CREATE INDEX items_series ON items(series_id, parent_index_number, index_number);
      CREATE INDEX items_album ON items(album_id, parent_index_number, index_number);
      CREATE INDEX items_date_created ON items(date_created);

      -- Items-by-name links (genre, studio, person, artist, album artist, music genre).
      CREATE TABLE item_links (
        item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        target_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        role TEXT,
        position INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (item_id, target_id, kind)
      );
      CREATE INDEX item_links_target ON item_links(target_id, kind);

      -- Collections (BoxSet) and playlists keep their own order.
      CREATE TABLE folder_entries (
        entry_id TEXT PRIMARY KEY,
        folder_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        position INTEGER NOT NULL
      );
      CREATE INDEX folder_entries_folder ON folder_entries(folder_id, position);
      CREATE INDEX folder_entries_item ON folder_entries(item_id);

      CREATE TABLE user_data (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        played INTEGER NOT NULL DEFAULT 0,
        play_count INTEGER NOT NULL DEFAULT 0,
        playback_position_ticks INTEGER NOT NULL DEFAULT 0,
        last_played_date TEXT,
        is_favorite INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (user_id, item_id)
      );
      CREATE INDEX user_data_item ON user_data(item_id);

      -- Files a scan skipped, with the reason, for the administrator.
      CREATE TABLE scan_issues (
        path TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        date TEXT NOT NULL
      );
    `);
  },
};
