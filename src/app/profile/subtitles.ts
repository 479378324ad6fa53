/**
 * SubtitleProfiles: browsers render only WebVTT, as a <track> beside the video. So every text subtitle
 * becomes a .vtt sidecar ("External"); image subtitles (PGS, VobSub) can only be burned in ("Encode").
 */
import type { SubtitleProfile } from '../../shared/profile/types';

export function subtitleProfiles(): SubtitleProfile[] {
  return [{ Format: 'vtt', Method: 'External' }];
}
