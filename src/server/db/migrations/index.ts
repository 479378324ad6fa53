import type { Migration } from '../migrate.js';
import { m001Initial } from './001_initial.js';

/** Numbered, append-only. Each has a test in tests/integration/db/ that runs it on the previous schema with data. */
export const migrations: Migration[] = [m001Initial];
