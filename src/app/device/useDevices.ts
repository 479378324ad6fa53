/** A device list that loads, renames and removes through the server, with errors in words. */
import { ref } from 'vue';
import type { DeviceInfo } from '../../shared/api/users';
import { getDevices, removeDevice, renameDevice } from '../api/devices';
import { useSessionStore } from '../stores/session';

export function useDevices(userId: () => string | undefined) {
  const session = useSessionStore();
  const devices = ref<DeviceInfo[]>([]);
  const loading = ref(true);
  const error = ref<string>();
  const status = ref<string>();

  async function run(action: () => Promise<void>): Promise<boolean> {
    error.value = undefined;
    status.value = undefined;
    try {
      await action();
      return true;
    } catch (err) {
      if (!session.handleUnauthorized(err)) error.value = err instanceof Error ? err.message : String(err);
      return false;
    }
  }

  async function load() {
    const api = session.api;
    if (!api) return;
    loading.value = true;
    await run(async () => {
      devices.value = await getDevices(api, userId());
    });
    loading.value = false;
  }

  async function rename(id: string, name: string) {
    const api = session.api;
    if (!api) return;
    if (await run(() => renameDevice(api, id, name))) {
      await load();
      status.value = name ? `Renamed to “${name}”.` : 'The device has its own name again.';
    }
  }

  /** Removing this browser for oneself ends this session too: sign out here as well. */
  async function remove(ids: string[], removesOwnSession: (id: string) => boolean) {
    const api = session.api;
    if (!api) return;
    const ok = await run(async () => {
      for (const id of ids.filter((i) => !removesOwnSession(i))) await removeDevice(api, id);
      for (const id of ids.filter(removesOwnSession)) await removeDevice(api, id);
    });
    if (ids.some(removesOwnSession) && ok) return session.signOut();
    await load();
    if (ok) status.value = ids.length === 1 ? 'The device was removed.' : `${ids.length} devices were removed.`;
  }

  return { devices, loading, error, status, load, rename, remove };
}
