/**
 * Entry for scripts/record-probe.mjs: runs the real builder in a browser page and returns every answer it
 * got, to be saved as a fixture for tests/unit/app/profileBuilder.test.ts.
 */
import { buildDeviceProfile } from './deviceProfile';
import { browserProbe, recordingProbe } from './probe';

export async function recordBrowserAnswers() {
  const { probe, answers } = recordingProbe(browserProbe());
  const profile = await buildDeviceProfile(probe);
  return { userAgent: navigator.userAgent, answers, profile };
}
