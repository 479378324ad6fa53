/** Background Fetch ids of media downloads: this prefix plus the LocalItem's Id. */
export const BACKGROUND_FETCH_PREFIX = 'stowaway-media:';
