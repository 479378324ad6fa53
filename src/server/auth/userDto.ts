import type { SessionInfo, UserDto } from '../../shared/api/users.js';
import type { AuthContext } from './authService.js';
import type { UserRecord } from './usersRepo.js';

export function toUserDto(u: UserRecord, serverId: string): UserDto {
  return {
    Name: u.name,
    ServerId: serverId,
    Id: u.id,
    HasPassword: !!u.passwordHash,
    HasConfiguredPassword: !!u.passwordHash,
    DateCreated: u.dateCreated,
    LastLoginDate: u.lastLoginDate ?? undefined,
    LastActivityDate: u.lastActivityDate ?? undefined,
    Policy: u.policy,
    Configuration: u.configuration,
    MustChangePassword: u.mustChangePassword || undefined,
  };
}

export function toSessionInfo(ctx: Omit<AuthContext, 'tokenHash'>, serverId: string, when: string): SessionInfo {
  return {
    Id: `${ctx.user.id}${ctx.deviceId}`.slice(0, 64),
    UserId: ctx.user.id,
    UserName: ctx.user.name,
    Client: ctx.client,
    DeviceId: ctx.deviceId,
    DeviceName: ctx.deviceName,
    ApplicationVersion: ctx.version,
    LastActivityDate: when,
    ServerId: serverId,
    SupportsRemoteControl: false,
    PlayableMediaTypes: [],
    SupportedCommands: [],
  };
}
