/** Users, auth, sessions and devices on the wire (Emby shapes). */
import type { DeviceProfile } from '../profile/types.js';

export interface UserPolicy {
  IsAdministrator: boolean;
  IsDisabled: boolean;
  IsHidden: boolean;
  EnableSync: boolean;
  EnableSyncTranscoding: boolean;
  EnableContentDownloading: boolean;
  EnableMediaPlayback: boolean;
  EnableAllDevices: boolean;
  EnabledDevices: string[];
  EnableCameraUpload: boolean;
  /** Every library view; when false only `EnabledFolders` (view ids) and what lies under them. */
  EnableAllFolders: boolean;
  EnabledFolders: string[];
}

export const DEFAULT_POLICY: UserPolicy = {
  IsAdministrator: false,
  IsDisabled: false,
  IsHidden: false,
  EnableSync: true,
  EnableSyncTranscoding: true,
  EnableContentDownloading: true,
  EnableMediaPlayback: true,
  EnableAllDevices: true,
  EnabledDevices: [],
  EnableCameraUpload: true,
  EnableAllFolders: true,
  EnabledFolders: [],
};

export interface UserConfiguration {
  AudioLanguagePreference?: string;
  SubtitleLanguagePreference?: string;
  PlayDefaultAudioTrack: boolean;
  SubtitleMode?: string;
}

export interface UserDto {
  Name: string;
  ServerId: string;
  Id: string;
  HasPassword: boolean;
  HasConfiguredPassword: boolean;
  DateCreated?: string;
  LastLoginDate?: string;
  LastActivityDate?: string;
  Policy: UserPolicy;
  Configuration: UserConfiguration;
  PrimaryImageTag?: string;
  /** Ours: still the generated first password; the app asks for a new one at sign-in (issue 15 §6). */
  MustChangePassword?: boolean;
  /** Offline sign-in (ours, from /Users/{id}/Offline): salted verifier, never the password. */
  OfflinePasswordSalt?: string;
  OfflinePassword?: string;
}

export interface SessionInfo {
  Id: string;
  UserId: string;
  UserName: string;
  Client: string;
  DeviceId: string;
  DeviceName: string;
  ApplicationVersion: string;
  LastActivityDate: string;
  ServerId: string;
  SupportsRemoteControl: boolean;
  PlayableMediaTypes: string[];
  SupportedCommands: string[];
}

export interface AuthenticationResult {
  User: UserDto;
  AccessToken: string;
  ServerId: string;
  SessionInfo: SessionInfo;
}

export interface ClientCapabilities {
  PlayableMediaTypes: string[];
  SupportedCommands: string[];
  SupportsMediaControl: boolean;
  SupportsSync: boolean;
  SupportsPersistentIdentifier: boolean;
  SupportsContentUploading: boolean;
  DeviceProfile?: DeviceProfile;
  AppStoreUrl?: string;
  IconUrl?: string;
}

export interface DeviceInfo {
  Id: string;
  /** The custom name when a person gave one, else the name the client reports. */
  Name: string;
  /** What the client reported at its last sign-in. */
  ReportedName?: string;
  /** A person's name for the device (POST /Devices/Options), kept across sign-ins. */
  CustomName?: string;
  AppName?: string;
  AppVersion?: string;
  LastUserId?: string;
  LastUserName?: string;
  DateLastActivity: string;
  Capabilities?: ClientCapabilities;
}

export interface SystemInfoPublic {
  Id: string;
  ServerName: string;
  Version: string;
  LocalAddress?: string;
  ProductName: string;
  OperatingSystem?: string;
  StartupWizardCompleted: boolean;
}
