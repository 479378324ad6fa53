/**
 * One kind of server request a view makes (load a panel, save a form, act on a row): `busy` while it runs,
 * and what went wrong as text — except a 401, which means the token is gone: the person is signed out
 * (session.handleUnauthorized) instead of being shown an error.
 */
import { ref } from 'vue';
import type { ApiClient } from '../api/client';
import { useSessionStore } from '../stores/session';

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `busy`: the starting state (true for a panel that loads as soon as it is shown). */
export function useServerTask(options: { busy?: boolean } = {}) {
  const session = useSessionStore();
  const busy = ref(options.busy ?? false);
  const error = ref<string>();

  /** Runs `task` with the active session's client. True when it succeeded; false when signed out or it failed. */
  async function run(task: (api: ApiClient) => Promise<unknown>): Promise<boolean> {
    const api = session.api;
    if (!api) return false;
    busy.value = true;
    error.value = undefined;
    try {
      await task(api);
      return true;
    } catch (err) {
      if (!session.handleUnauthorized(err)) error.value = errorText(err);
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, run };
}
