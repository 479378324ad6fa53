/**
 * The library's tables as Kysely sees them (migrations 001, 003 and 004): column names and SQLite storage
 * types, so queries built with Kysely are checked against the schema. Booleans are stored as 0/1. The
 * repositories that read these tables with plain SQL type their rows with the same interfaces.
 */
export interface ItemsTable {
  id: string;
  type: string;
  name: string;
  sort_name: string;
  parent_id: string | null;
  top_parent_id: string | null;
  owner_user_id: string | null;
  path: string | null;
  is_folder: number;
  media_type: string | null;
  collection_type: string | null;
  container: string | null;
  size: number | null;
  mtime_ms: number | null;
  run_time_ticks: number | null;
  bitrate: number | null;
  date_created: string;
  date_modified: string;
  premiere_date: string | null;
  production_year: number | null;
  index_number: number | null;
  parent_index_number: number | null;
  series_id: string | null;
  series_name: string | null;
  season_id: string | null;
  season_name: string | null;
  album_id: string | null;
  album: string | null;
  album_artist: string | null;
  overview: string | null;
  media_streams: string;
  extra: string;
  image_path: string | null;
  image_tag: string | null;
  scan_id: number | null;
}

export interface ItemLinksTable {
  item_id: string;
  target_id: string;
  kind: string;
  role: string | null;
  position: number;
}

export interface FolderEntriesTable {
  entry_id: string;
  folder_id: string;
  item_id: string;
  position: number;
}

export interface UserDataTable {
  user_id: string;
  item_id: string;
  played: number;
  play_count: number;
  playback_position_ticks: number;
  last_played_date: string | null;
  is_favorite: number;
}

export interface UsersTable {
  id: string;
  name: string;
  password_hash: string | null;
  policy: string;
  configuration: string;
  date_created: string;
  last_login_date: string | null;
  last_activity_date: string | null;
  must_change_password: number;
}

export interface ScanIssuesTable {
  path: string;
  reason: string;
  date: string;
}

export interface LibraryTables {
  items: ItemsTable;
  item_links: ItemLinksTable;
  folder_entries: FolderEntriesTable;
  user_data: UserDataTable;
  users: UsersTable;
  scan_issues: ScanIssuesTable;
}
