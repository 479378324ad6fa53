/**
 * Routes of the shell. Paths avoid the server's API prefixes (/Items, /Library … are matched
 * case-insensitively there and by the service worker's navigation denylist), so a reload on a deep link
 * gets the shell, not an API answer. Every route needs a session unless `meta.public`; `meta.admin` and
 * `meta.sync` mark pages the navigation offers only to administrators or to users with `EnableSync`.
 */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { useSessionStore } from './stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    title?: string;
    /** Only administrators: others reaching it by URL see "Administrators only" (App.vue). */
    admin?: boolean;
    /** Needs `EnableSync` (administrators see every job anyway). */
    sync?: boolean;
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/signin', name: 'signin', component: () => import('./views/SignIn.vue'), meta: { public: true, title: 'Sign in' } },
  { path: '/', name: 'home', component: () => import('./views/Home.vue'), meta: { title: 'Home' } },
  { path: '/browse/:parentId', name: 'list', component: () => import('./views/ItemList.vue'), props: true },
  { path: '/item/:id', name: 'item', component: () => import('./views/ItemDetail.vue'), props: true },
  { path: '/play/:id', name: 'play', component: () => import('./player/PlayerView.vue'), props: true, meta: { title: 'Player' } },
  // Sync UI. Not under /sync: that prefix is the server's API and the service worker's navigation denylist.
  { path: '/jobs', name: 'sync-jobs', component: () => import('./sync/MyJobsView.vue'), meta: { title: 'Sync jobs', sync: true } },
  {
    path: '/jobs/:jobId',
    name: 'sync-job',
    component: () => import('./sync/JobDetailView.vue'),
    props: true,
    meta: { title: 'Sync job', sync: true },
  },
  {
    path: '/admin/sync',
    name: 'admin-sync',
    component: () => import('./admin/AdminSyncView.vue'),
    meta: { title: 'Sync · Dashboard', admin: true },
  },
  {
    path: '/admin/users',
    name: 'admin-users',
    component: () => import('./admin/AdminUsersView.vue'),
    meta: { title: 'Users · Dashboard', admin: true },
  },
  {
    path: '/admin/devices',
    name: 'admin-devices',
    component: () => import('./admin/AdminDevicesView.vue'),
    meta: { title: 'Devices · Dashboard' },
  },
  // One's own password and devices (issue 15 §5, §6).
  { path: '/account', name: 'account', component: () => import('./account/AccountView.vue'), meta: { title: 'Account' } },
  { path: '/search', name: 'search', component: () => import('./views/SearchView.vue'), meta: { title: 'Search' } },
  {
    path: '/discover/:kind',
    name: 'discover',
    component: () => import('./views/DiscoverView.vue'),
    props: true,
    meta: { title: 'Browse' },
  },
  // Offline library and player. Not under /offline: that prefix is the service worker's media responder.
  { path: '/on-device', name: 'on-device', component: () => import('./offline/OnDevice.vue'), meta: { title: 'On this device' } },
  {
    path: '/on-device/play/:id',
    name: 'offline-play',
    component: () => import('./offline/OfflinePlayer.vue'),
    props: true,
    meta: { title: 'Play offline' },
  },
  // Camera upload: the picker and settings; the share sheet lands here too (SW /share-target → 303).
  { path: '/upload', name: 'upload', component: () => import('./upload/UploadView.vue'), meta: { title: 'Upload photos and videos' } },
  // What this user uploaded (GET /Users/{id}/CameraUploads): where the upload page says uploads appear.
  {
    path: '/camera-uploads',
    name: 'camera-uploads',
    component: () => import('./upload/CameraUploadsView.vue'),
    meta: { title: 'Camera uploads' },
  },
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
    // Signed in with the generated first password: choose one before anything else (issue 15 §6).
    if (session.active?.mustChangePassword && to.name !== 'account' && !to.meta.public) return { name: 'account' };
    return true;
  });
  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · Stowaway` : 'Stowaway';
  });
  return router;
}
