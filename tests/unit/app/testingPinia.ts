/** A fresh Pinia per mounted component, so stores never leak between tests. */
import { createPinia, setActivePinia } from 'pinia';

export function createTestingPinia() {
  const pinia = createPinia();
  setActivePinia(pinia);
  return pinia;
}
