/**
 * Devices (Emby's /Devices routes): an administrator sees and manages every device, anyone else the
 * devices they signed in on (issue 15 §5).
 */
import type { DeviceInfo } from '../../shared/api/users';
import type { ApiClient } from './client';

export async function getDevices(api: ApiClient, userId?: string): Promise<DeviceInfo[]> {
  return (await api.get<{ Items: DeviceInfo[] }>('/Devices', { UserId: userId })).Items;
}

/** A blank name gives the device back the name it reports. */
export function renameDevice(api: ApiClient, deviceId: string, customName: string): Promise<void> {
  return api.post('/Devices/Options', { CustomName: customName }, { Id: deviceId });
}

/** An administrator removes it for everyone; anyone else for themselves (their sessions and sync jobs on it go). */
export function removeDevice(api: ApiClient, deviceId: string): Promise<void> {
  return api.request('DELETE', '/Devices', { query: { Id: deviceId } });
}
