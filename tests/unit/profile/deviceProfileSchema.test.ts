import { describe, expect, it } from 'vitest';
import { DeviceProfileSchema, parseDeviceProfile, prepareForSchema } from '../../../src/server/profile/deviceProfileSchema.js';

describe('prepareForSchema', () => {
  it('renames keys to the schema spelling, drops nulls and unknown keys, and walks only as deep as the schema', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const out = prepareForSchema(
      {
        maxstaticbitrate: '1',
        Unknown: deep,
        codecprofiles: [{ TYPE: 'Video', conditions: [{ condition: 'Equals', property: 'Width', value: null, Extra: deep }] }],
      },
      DeviceProfileSchema,
    );
    expect(out).toEqual({
      MaxStaticBitrate: '1',
      CodecProfiles: [{ Type: 'Video', Conditions: [{ Condition: 'Equals', Property: 'Width' }] }],
    });
  });

  it('keeps one item past an array bound, so validation still refuses the length without looking at the rest', () => {
    const out = prepareForSchema(
      { DirectPlayProfiles: Array.from({ length: 100_000 }, () => ({ Type: 'Video' })) },
      DeviceProfileSchema,
    ) as {
      DirectPlayProfiles: unknown[];
    };
    expect(out.DirectPlayProfiles).toHaveLength(101);
    expect(parseDeviceProfile(out)).toMatchObject({ ok: false });
  });
});

describe('parseDeviceProfile', () => {
  it('normalises a stored profile: numbers, CSV lists, enums by name in any case or by number', () => {
    const parsed = parseDeviceProfile({
      MaxStaticBitrate: '4000000',
      DirectPlayProfiles: [{ Container: ['mp4', ' m4v '], Type: 'video' }],
      TranscodingProfiles: [{ Container: 'mp4', Type: 1, Context: 1, Protocol: 'HTTP' }],
      SubtitleProfiles: [{ Format: 'vtt', Method: 2 }],
    });
    expect(parsed).toEqual({
      ok: true,
      profile: {
        MaxStaticBitrate: 4_000_000,
        DirectPlayProfiles: [{ Container: 'mp4,m4v', Type: 'Video' }],
        TranscodingProfiles: [{ Container: 'mp4', Type: 'Video', Context: 'Static', Protocol: 'http' }],
        SubtitleProfiles: [{ Format: 'vtt', Method: 'External' }],
      },
    });
  });

  it.each([
    [{ TranscodingProfiles: [{ Type: 'Video' }] }, 'TranscodingProfiles.0'],
    [{ CodecProfiles: [{ Type: 'Video', Conditions: 7 }] }, 'CodecProfiles.0.Conditions'],
    [{ MaxStaticBitrate: -1 }, 'MaxStaticBitrate'],
    [{ DirectPlayProfiles: [{ Type: 'Hologram' }] }, 'DirectPlayProfiles[0].Type'],
    [{ SubtitleProfiles: [{ Format: 'vtt/../../x', Method: 'External' }] }, 'SubtitleProfiles.0.Format'],
    [{ CodecProfiles: [{ Type: 'Video', Conditions: [{ Condition: 'Equals', Property: 'Width', Value: 'x'.repeat(5000) }] }] }, 'Value'],
  ])('refuses %j, naming %s', (raw, field) => {
    const parsed = parseDeviceProfile(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(field);
  });
});
