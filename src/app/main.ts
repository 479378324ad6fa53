import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { createAppRouter } from './router';
import { registerServiceWorker } from './pwa/serviceWorker';
import { useSessionStore } from './stores/session';
import './styles.css';

const app = createApp(App);
app.use(createPinia());
app.use(createAppRouter());
app.mount('#app');

// The dev server has no sw.js (it is built by scripts/build.mjs), so only production builds register one.
if (import.meta.env.PROD) registerServiceWorker();

// A session restored from storage reports capabilities again: the profile follows browser updates.
void useSessionStore().reportCapabilitiesOnce();
