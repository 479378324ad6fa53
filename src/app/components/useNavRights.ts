/** What the signed-in user may use, for the navigation (navigation.ts decides what each right shows). */
import { computed } from 'vue';
import type { NavRights } from '../navigation';
import { useCurrentUserStore } from '../stores/currentUser';

export function useNavRights() {
  const user = useCurrentUserStore();
  return computed<NavRights>(() => ({ canSync: user.canSync, canUpload: user.canUpload, isAdministrator: user.isAdministrator }));
}
