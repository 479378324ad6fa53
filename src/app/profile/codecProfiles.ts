/**
 * CodecProfiles: limits inside a codec the browser plays — H.264 profile/level and bit depth, 10-bit for
 * the newer codecs. Without them the server would send a 10-bit H.264 file (which Chrome and Firefox cannot
 * decode) as "direct play".
 */
import type { CodecProfile, ProfileCondition } from '../../shared/profile/types';
import type { VideoContainerSupport } from './directPlay';
import { videoMime, type VideoCodec } from './formats';
import { plays, type CapabilityProbe } from './probe';

/** H.264 levels as ffprobe reports them (level × 10), highest first; the first that plays is the cap. */
const H264_LEVELS: Array<{ level: number; hex: string }> = [
  { level: 52, hex: '34' },
  { level: 51, hex: '33' },
  { level: 50, hex: '32' },
  { level: 42, hex: '2A' },
  { level: 41, hex: '29' },
  { level: 40, hex: '28' },
];

/** Codec strings for the 10-bit flavour of each codec. H.264 High 10 is profile_idc 110 = 0x6E. */
const TEN_BIT: Partial<Record<VideoCodec, string>> = {
  h264: 'avc1.6E0028',
  hevc: 'hvc1.2.4.L120.90',
  vp9: 'vp09.02.31.10',
  av1: 'av01.0.08M.10',
};

function condition(Condition: ProfileCondition['Condition'], Property: string, Value: string, IsRequired = false): ProfileCondition {
  return { Condition, Property, Value, IsRequired };
}

/** Some container that plays this codec, to ask the more specific questions in. */
function hostContainer(support: readonly VideoContainerSupport[], codec: VideoCodec) {
  return support.find((s) => s.videoCodecs.includes(codec))?.container;
}

export async function maxH264Level(probe: CapabilityProbe, support: readonly VideoContainerSupport[]): Promise<number> {
  const container = hostContainer(support, 'h264');
  if (!container) return 0;
  for (const { level, hex } of H264_LEVELS) {
    if (await plays(probe, 'video', videoMime(container, [`avc1.6400${hex}`]))) return level;
  }
  return 40; // the probe string for the codec itself used level 4.0, so at least that plays
}

export async function maxBitDepth(probe: CapabilityProbe, support: readonly VideoContainerSupport[], codec: VideoCodec): Promise<number> {
  const container = hostContainer(support, codec);
  const tenBit = TEN_BIT[codec];
  if (!container || !tenBit) return 8;
  return (await plays(probe, 'video', videoMime(container, [tenBit]))) ? 10 : 8;
}

export async function videoCodecProfiles(probe: CapabilityProbe, support: readonly VideoContainerSupport[]): Promise<CodecProfile[]> {
  const profiles: CodecProfile[] = [];
  const playable = new Set(support.flatMap((s) => s.videoCodecs));
  if (playable.has('h264')) {
    const depth = await maxBitDepth(probe, support, 'h264');
    const h264Profiles = ['high', 'main', 'baseline', 'constrained baseline', ...(depth >= 10 ? ['high 10'] : [])];
    profiles.push({
      Type: 'Video',
      Codec: 'h264',
      Conditions: [
        // IsRequired false: a source whose probe didn't report the property still direct-plays.
        condition('EqualsAny', 'VideoProfile', h264Profiles.join('|')),
        condition('LessThanEqual', 'VideoLevel', String(await maxH264Level(probe, support))),
        condition('LessThanEqual', 'VideoBitDepth', String(depth)),
        // Browsers don't deinterlace; an interlaced original would show combing, so convert it.
        condition('NotEquals', 'IsInterlaced', 'true'),
      ],
    });
  }
  for (const codec of ['hevc', 'vp9', 'av1'] as const) {
    if (!playable.has(codec)) continue;
    const depth = await maxBitDepth(probe, support, codec);
    const conditions = [condition('LessThanEqual', 'VideoBitDepth', String(depth))];
    if (codec === 'hevc') conditions.unshift(condition('EqualsAny', 'VideoProfile', depth >= 10 ? 'main|main 10' : 'main'));
    profiles.push({ Type: 'Video', Codec: codec, Conditions: conditions });
  }
  return profiles;
}
