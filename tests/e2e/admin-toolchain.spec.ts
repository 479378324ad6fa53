/** Dashboard → the media toolchain panel: the ffmpeg and ffprobe the server chose, their versions and filters. */
import { expect, snapshot, test } from './fixtures';
import { pageSession, signInAndWaitForLibrary } from './syncUi';

test('the dashboard shows the chosen ffmpeg and ffprobe with their versions, filters and encoders', async ({ page, server }) => {
  await signInAndWaitForLibrary(page, server);
  const admin = await pageSession(page, server);
  const { MediaToolchain: info } = await admin.json('GET', '/System/Info');
  await page.getByTestId('nav-admin').click();
  const panel = page.getByTestId('media-toolchain');
  await expect(panel.getByTestId('toolchain-ffmpeg')).toContainText(info.Ffmpeg.Version);
  await expect(panel.getByTestId('toolchain-ffmpeg')).toContainText(info.Ffmpeg.Path);
  await expect(panel.getByTestId('toolchain-ffprobe')).toContainText(info.Ffprobe.Path);
  await expect(panel).toContainText('zscale');
  await expect(panel).toContainText('libx264');
  await expect(panel).toContainText(`sharp ${info.Images.Sharp}`);
  await panel.scrollIntoViewIfNeeded();
  await snapshot(page, '32-admin-toolchain');
});
