/** System information (API.md §2); `MediaToolchain` is ours and only present for administrators. */
import type { MediaToolchainInfo } from '../../shared/api/system';
import type { SystemInfoPublic } from '../../shared/api/users';
import type { ApiClient } from './client';

export interface SystemInfo extends SystemInfoPublic {
  MediaToolchain?: MediaToolchainInfo;
}

export function getSystemInfo(api: ApiClient): Promise<SystemInfo> {
  return api.get('/System/Info');
}
