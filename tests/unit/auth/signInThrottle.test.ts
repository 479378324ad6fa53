/** Failed sign-ins in a sliding window (src/server/auth/signInThrottle.ts), and that memory stays bounded. */
import { describe, expect, it } from 'vitest';
import { SignInThrottle } from '../../../src/server/auth/signInThrottle';

describe('SignInThrottle', () => {
  it('blocks a key after the limit within the window and lets it go once the failures age out', () => {
    let now = 0;
    const throttle = new SignInThrottle(3, 1000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(throttle.isBlocked('ann|1.2.3.4')).toBe(false);
      throttle.recordFailure('ann|1.2.3.4');
      now += 100;
    }
    expect(throttle.isBlocked('ann|1.2.3.4')).toBe(true);
    expect(throttle.isBlocked('bob|1.2.3.4')).toBe(false);
    now += 801; // the first failure leaves the window
    expect(throttle.isBlocked('ann|1.2.3.4')).toBe(false);
    throttle.forget('ann|1.2.3.4');
    expect(throttle.size).toBe(0);
  });

  it('does not remember keys that were only looked at', () => {
    const throttle = new SignInThrottle(3, 1000, () => 0);
    for (let i = 0; i < 100; i++) throttle.isBlocked(`name-${i}|addr`);
    expect(throttle.size).toBe(0);
  });

  it('forgets expired keys of made-up names once the map grows', () => {
    let now = 0;
    const throttle = new SignInThrottle(3, 1000, () => now, 50);
    for (let i = 0; i < 50; i++) throttle.recordFailure(`made-up-${i}|addr`);
    expect(throttle.size).toBe(50);
    now += 5000; // all expired
    for (let i = 50; i < 60; i++) throttle.recordFailure(`made-up-${i}|addr`);
    // The sweep ran when the map passed 50 keys: only the fresh ones are left.
    expect(throttle.size).toBeLessThanOrEqual(10);
  });
});
