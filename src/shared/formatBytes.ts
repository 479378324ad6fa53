/** Sizes as people read them, in decimal units (5.7 MB), the same on every screen. Pure. */
export function formatBytes(bytes: number): string;
export function formatBytes(bytes: number | undefined): string | undefined;
export function formatBytes(bytes: number | undefined): string | undefined {
  if (bytes === undefined) return undefined;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
