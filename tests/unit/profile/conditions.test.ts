import { describe, expect, it } from 'vitest';
import {
  audioProperties,
  capsFromConditions,
  codecConditions,
  conditionsPass,
  evaluateCondition,
  failedConditions,
  videoProperties,
} from '../../../src/shared/profile/conditions.js';
import type { ProfileCondition } from '../../../src/shared/profile/types.js';
import { aSource, aVideoStream } from '../builders.js';

const cond = (
  Condition: ProfileCondition['Condition'],
  Property: string,
  Value: string,
  IsRequired?: boolean | string,
): ProfileCondition => (IsRequired === undefined ? { Condition, Property, Value } : { Condition, Property, Value, IsRequired });

describe('evaluateCondition', () => {
  it('compares numbers that arrive as strings numerically, not as text', () => {
    expect(evaluateCondition(cond('LessThanEqual', 'Width', '1920'), { Width: 1280 })).toBe(true);
    expect(evaluateCondition(cond('LessThanEqual', 'Width', '1920'), { Width: 3840 })).toBe(false);
    expect(evaluateCondition(cond('GreaterThanEqual', 'AudioChannels', '2'), { AudioChannels: 6 })).toBe(true);
    expect(evaluateCondition(cond('Equals', 'VideoBitDepth', '8.0'), { VideoBitDepth: 8 })).toBe(true);
    expect(evaluateCondition(cond('LessThanEqual', 'VideoFramerate', ' 30 '), { VideoFramerate: 29.97 })).toBe(true);
  });

  it('matches EqualsAny against any of its a|b values, ignoring case', () => {
    const c = cond('EqualsAny', 'VideoProfile', 'high|main|baseline');
    expect(evaluateCondition(c, { VideoProfile: 'High' })).toBe(true);
    expect(evaluateCondition(c, { VideoProfile: 'High 10' })).toBe(false);
    expect(evaluateCondition(cond('EqualsAny', 'AudioChannels', '1|2'), { AudioChannels: 2 })).toBe(true);
  });

  it('fails a condition on a missing property unless IsRequired is false (default true)', () => {
    expect(evaluateCondition(cond('LessThanEqual', 'VideoLevel', '41'), {})).toBe(false);
    expect(evaluateCondition(cond('LessThanEqual', 'VideoLevel', '41', true), {})).toBe(false);
    expect(evaluateCondition(cond('LessThanEqual', 'VideoLevel', '41', false), {})).toBe(true);
    expect(evaluateCondition(cond('LessThanEqual', 'VideoLevel', '41', 'false'), {})).toBe(true);
    expect(evaluateCondition(cond('LessThanEqual', 'VideoLevel', '41', 'True'), {})).toBe(false);
  });

  it('negates equality for NotEquals and handles boolean properties', () => {
    expect(evaluateCondition(cond('NotEquals', 'IsInterlaced', 'true'), { IsInterlaced: false })).toBe(true);
    expect(evaluateCondition(cond('NotEquals', 'IsInterlaced', 'true'), { IsInterlaced: true })).toBe(false);
    expect(evaluateCondition(cond('Equals', 'IsSecondaryAudio', 'false'), { IsSecondaryAudio: false })).toBe(true);
  });

  it('fails a numeric comparison it cannot make', () => {
    expect(evaluateCondition(cond('LessThanEqual', 'Width', 'wide'), { Width: 10 })).toBe(false);
  });
});

describe('source properties', () => {
  it('reads bit depth from the pixel format when the probe gave none, and drops unknown levels', () => {
    const v = { ...aVideoStream({ videoCodec: 'hevc', bitDepth: 10 }), BitDepth: undefined, Level: -99 };
    const props = videoProperties(v, aSource());
    expect(props.VideoBitDepth).toBe(10);
    expect(props.VideoLevel).toBeUndefined();
    expect(props.NumAudioStreams).toBe(1);
  });

  it('marks every audio stream but the first as secondary', () => {
    expect(audioProperties(aSource().MediaStreams[1], true).IsSecondaryAudio).toBe(true);
  });
});

describe('codecConditions', () => {
  const profiles = [
    { Type: 'Video' as const, Codec: 'h264', Conditions: [cond('LessThanEqual', 'Width', '1920')] },
    { Type: 'Video' as const, Codec: 'hevc', Conditions: [cond('LessThanEqual', 'Width', '1280')] },
    {
      Type: 'Video' as const,
      Codec: 'h264',
      Container: 'mkv',
      Conditions: [cond('LessThanEqual', 'Height', '720')],
    },
    {
      Type: 'Video' as const,
      Codec: 'h264',
      ApplyConditions: [cond('Equals', 'IsInterlaced', 'true')],
      Conditions: [cond('LessThanEqual', 'Height', '576')],
    },
  ];

  it('takes the conditions of profiles for the codec and container whose ApplyConditions hold', () => {
    const progressive = codecConditions(profiles, { type: 'Video', codec: 'avc1', container: ['mp4'] }, { IsInterlaced: false });
    expect(progressive.map((c) => c.Property)).toEqual(['Width']);
    const interlacedMkv = codecConditions(profiles, { type: 'Video', codec: 'h264', container: ['matroska'] }, { IsInterlaced: true });
    expect(interlacedMkv.map((c) => `${c.Property}${c.Value}`)).toEqual(['Width1920', 'Height720', 'Height576']);
  });

  it('reports which conditions failed', () => {
    const conditions = codecConditions(profiles, { type: 'Video', codec: 'h264', container: ['mkv'] }, {});
    expect(failedConditions(conditions, { Width: 1920, Height: 1080 }).map((c) => c.Property)).toEqual(['Height']);
    expect(conditionsPass(conditions, { Width: 1280, Height: 720 })).toBe(true);
  });
});

describe('capsFromConditions', () => {
  it('turns upper bounds into output caps, the tightest winning', () => {
    const caps = capsFromConditions([
      cond('LessThanEqual', 'Width', '1920'),
      cond('LessThanEqual', 'Width', '1280'),
      cond('LessThanEqual', 'Height', '720'),
      cond('LessThanEqual', 'VideoLevel', '41'),
      cond('LessThanEqual', 'VideoFramerate', '30'),
      cond('Equals', 'VideoBitDepth', '8'),
      cond('EqualsAny', 'AudioChannels', '1|2'),
      cond('LessThanEqual', 'VideoBitrate', '5000000'),
      cond('GreaterThanEqual', 'Width', '100'),
      cond('EqualsAny', 'VideoProfile', 'Main|Baseline'),
    ]);
    expect(caps).toEqual({
      maxWidth: 1280,
      maxHeight: 720,
      maxLevel: 41,
      maxFramerate: 30,
      maxBitDepth: 8,
      maxChannels: 2,
      maxVideoBitrate: 5_000_000,
      videoProfiles: ['main', 'baseline'],
    });
  });
});
