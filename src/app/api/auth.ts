/** Sign-in and capability reporting (API.md §2). */
import type { AuthenticationResult, ClientCapabilities, SystemInfoPublic } from '../../shared/api/users';
import type { DeviceProfile } from '../../shared/profile/types';
import type { ApiClient } from './client';

export function getPublicSystemInfo(api: ApiClient): Promise<SystemInfoPublic> {
  return api.get('/System/Info/Public');
}

export function authenticateByName(api: ApiClient, username: string, password: string): Promise<AuthenticationResult> {
  return api.post('/Users/AuthenticateByName', { Username: username, Pw: password });
}

/**
 * SupportsSync makes this browser a sync target; the profile tells the server what it can play so
 * conversions fit (README §3 "Data flows"). Remote control is not offered by this app.
 */
export function reportCapabilities(api: ApiClient, profile: DeviceProfile): Promise<void> {
  const body: ClientCapabilities = {
    PlayableMediaTypes: ['Audio', 'Video'],
    SupportedCommands: [],
    SupportsMediaControl: false,
    SupportsSync: true,
    SupportsPersistentIdentifier: true,
    SupportsContentUploading: false,
    DeviceProfile: profile,
  };
  return api.post('/Sessions/Capabilities/Full', body);
}

export function logout(api: ApiClient): Promise<void> {
  return api.post('/Sessions/Logout');
}
