import type { Migration } from '../migrate.js';
import { m001Initial } from './001_initial.js';
import { m002Sync } from './002_sync.js';
import { m003CameraUploads } from './003_camera_uploads.js';
import { m004DeviceNamesPasswordChange } from './004_device_names_password_change.js';
import { m005OutputSourceSeconds } from './005_output_source_seconds.js';

/** Numbered, append-only. Each has a test in tests/integration/db/ that runs it on the previous schema with data. */
export const migrations: Migration[] = [m001Initial, m002Sync, m003CameraUploads, m004DeviceNamesPasswordChange, m005OutputSourceSeconds];
