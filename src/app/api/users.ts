/** Users and their policies (API.md §2); the list, creation and policy edits are administrator calls. */
import type { UserDto, UserPolicy } from '../../shared/api/users';
import type { ApiClient } from './client';

export function getUser(api: ApiClient, userId: string): Promise<UserDto> {
  return api.get(`/Users/${userId}`);
}

export function getUsers(api: ApiClient): Promise<UserDto[]> {
  return api.get('/Users');
}

export function createUser(api: ApiClient, name: string, password: string): Promise<UserDto> {
  return api.post('/Users/New', { Name: name, Password: password || undefined });
}

/** The server merges the body into the stored policy, so a partial policy is enough. */
export function setUserPolicy(api: ApiClient, userId: string, policy: Partial<UserPolicy>): Promise<void> {
  return api.post(`/Users/${userId}/Policy`, policy);
}

/**
 * One's own password needs the current one; an administrator sets another user's without it. The user's
 * other sessions end (the one making the change stays signed in).
 */
export function changePassword(api: ApiClient, userId: string, newPassword: string, currentPassword?: string): Promise<void> {
  return api.post(`/Users/${userId}/Password`, { CurrentPw: currentPassword, NewPw: newPassword });
}

/** Removes the user, their sessions and their sync jobs' claim on the server (administrators). */
export function deleteUser(api: ApiClient, userId: string): Promise<void> {
  return api.request('DELETE', `/Users/${userId}`);
}
