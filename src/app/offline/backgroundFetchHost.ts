/**
 * Starts Background Fetches for the service worker. Chromium refuses `backgroundFetch.fetch()` inside a
 * service worker ("not allowed in service worker environments"), so the sync loop asks an open page
 * (sw/sync/backgroundFetch.ts) and the page starts it; the fetch then runs on without the page and
 * the worker takes in the result. Only the worker of this origin is listened to.
 */
export interface StartBackgroundFetchMessage {
  type: 'start-background-fetch';
  id: string;
  url: string;
  headers: Record<string, string>;
  title: string;
  icons: Array<{ src: string; sizes?: string; type?: string }>;
  downloadTotal: number;
}

interface BackgroundFetchManagerLike {
  fetch(
    id: string,
    requests: Request[],
    options: { title: string; icons: StartBackgroundFetchMessage['icons']; downloadTotal: number },
  ): Promise<unknown>;
}

export function hostBackgroundFetches(container: ServiceWorkerContainer = navigator.serviceWorker): void {
  container.addEventListener('message', (event: MessageEvent) => {
    const msg = event.data as StartBackgroundFetchMessage | null;
    const reply = event.ports[0];
    if (msg?.type !== 'start-background-fetch' || !reply) return;
    void start(container, msg).then(
      () => reply.postMessage({ ok: true }),
      (err: unknown) => reply.postMessage({ ok: false, error: String((err as Error)?.message ?? err) }),
    );
  });
  // Messages sent before this page finished loading are held until asked for.
  container.startMessages();
}

async function start(container: ServiceWorkerContainer, msg: StartBackgroundFetchMessage): Promise<void> {
  const registration = (await container.ready) as ServiceWorkerRegistration & { backgroundFetch?: BackgroundFetchManagerLike };
  if (!registration.backgroundFetch) throw new Error('this browser has no Background Fetch');
  await registration.backgroundFetch.fetch(msg.id, [new Request(msg.url, { headers: msg.headers })], {
    title: msg.title,
    icons: msg.icons,
    downloadTotal: msg.downloadTotal,
  });
}
