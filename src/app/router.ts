/**
 * Routes of the shell. Paths avoid the server's API prefixes (/Items, /Library … are matched
 * case-insensitively there and by the service worker's navigation denylist), so a reload on a deep link
 * gets the shell, not an API answer. Later views (sync jobs, downloads, offline library, player) add routes here; every
 * route needs a session unless `meta.public`.
 */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { useSessionStore } from './stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    title?: string;
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/signin', name: 'signin', component: () => import('./views/SignIn.vue'), meta: { public: true, title: 'Sign in' } },
  { path: '/', name: 'home', component: () => import('./views/Home.vue'), meta: { title: 'Home' } },
  { path: '/browse/:parentId', name: 'list', component: () => import('./views/ItemList.vue'), props: true },
  { path: '/item/:id', name: 'item', component: () => import('./views/ItemDetail.vue'), props: true },
  { path: '/:pathMatch(.*)*', redirect: { name: 'home' } },
];

export function createAppRouter() {
  const router = createRouter({
    history: createWebHistory(),
    routes,
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  });
  router.beforeEach((to) => {
    const session = useSessionStore();
    if (!to.meta.public && !session.isSignedIn) {
      return { name: 'signin', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
    }
    if (to.name === 'signin' && session.isSignedIn && !to.query.add) return { name: 'home' };
    return true;
  });
  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · Stowaway` : 'Stowaway';
  });
  return router;
}
