/** Signing out from the header or the phone's More sheet: forget the session, clear the library, go to sign-in. */
import { ref } from 'vue';
import { useRouter } from 'vue-router';
import { useLibraryStore } from '../stores/library';
import { useSessionStore } from '../stores/session';

export function useSignOut() {
  const session = useSessionStore();
  const library = useLibraryStore();
  const router = useRouter();
  const signingOut = ref(false);

  async function signOut(): Promise<void> {
    signingOut.value = true;
    try {
      await session.signOut();
      library.reset();
      await router.push({ name: 'signin' });
    } finally {
      signingOut.value = false;
    }
  }

  return { signingOut, signOut };
}

export function hostOf(serverUrl: string | undefined): string {
  if (!serverUrl) return '';
  try {
    return new URL(serverUrl).host;
  } catch {
    return serverUrl;
  }
}
