// @vitest-environment happy-dom
/** The dialog against a fake server: it shows only the returned options and sends Custom as Bitrate = Mbps × 10⁶. */
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import SyncDialog from '../../../src/app/sync/SyncDialog.vue';
import { categorySelection, itemsSelection } from '../../../src/app/sync/selection';
import type { SyncDialogOptions } from '../../../src/shared/api/sync';
import { createTestingPinia } from './testingPinia';

const SESSION = {
  serverUrl: 'http://server',
  serverId: 's',
  userId: 'u1',
  userName: 'ann',
  token: 't',
  deviceId: 'me',
  isAdministrator: false,
  remember: true,
};

function options(over: Partial<SyncDialogOptions> = {}): SyncDialogOptions {
  return {
    Targets: [{ Id: 'me', Name: 'Chrome' }],
    Options: ['Quality', 'Profile'],
    QualityOptions: [
      { Id: 'high', Name: 'High', Description: 'Best', IsDefault: true, IsOriginalQuality: false, EstimatedSize: 8_000_000 },
      { Id: 'custom', Name: 'Custom', Description: 'Yours', IsDefault: false, IsOriginalQuality: false },
    ],
    ProfileOptions: [],
    ...over,
  };
}

let posted: unknown[];
let optionsQueries: URLSearchParams[];

function fakeServer(dialogOptions: SyncDialogOptions) {
  posted = [];
  optionsQueries = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const u = new URL(url);
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    if (u.pathname === '/Sync/Targets')
      return json([
        { Id: 'other', Name: 'Android' },
        { Id: 'me', Name: 'Chrome' },
      ]);
    if (u.pathname === '/Sync/Options') {
      optionsQueries.push(u.searchParams);
      return json(dialogOptions);
    }
    if (u.pathname === '/Sync/Jobs' && init.method === 'POST') {
      const body = JSON.parse(String(init.body));
      posted.push(body);
      return json({ Job: { Id: 'j1', Name: body.Name ?? 'Big Buck Test', TargetId: body.TargetId }, JobItems: [{ Id: 'i1' }] });
    }
    return new Response('{}', { status: 404 });
  });
}

function mountDialog(selection = itemsSelection([{ Id: 'm1', Name: 'Big Buck Test' } as never])) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<div />' } },
      { path: '/jobs/:jobId', name: 'sync-job', component: { template: '<div />' } },
    ],
  });
  return mount(SyncDialog, { props: { selection }, global: { plugins: [router, createTestingPinia()] }, attachTo: document.body });
}

beforeEach(() => {
  localStorage.clear();
  localStorage.setItem('stowaway.sessions', JSON.stringify([SESSION]));
});
afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('SyncDialog', () => {
  it('offers this device first and only the options the server returned', async () => {
    fakeServer(options());
    const wrapper = mountDialog();
    await flushPromises();
    const targets = wrapper.findAll('#sync-target option').map((o) => o.text());
    expect(targets).toEqual(['Chrome (this device)', 'Android']);
    expect(optionsQueries[0]!.get('TargetId')).toBe('me');
    expect(wrapper.find('#sync-quality').exists()).toBe(true);
    for (const hidden of ['#sync-name', '#sync-limit', '#sync-profile']) expect(wrapper.find(hidden).exists()).toBe(false);
    expect(wrapper.text()).not.toContain('Unwatched only');
    expect(wrapper.find('[data-testid="sync-estimate"]').text()).toContain('8.0 MB');
  });

  it('sends a custom quality as Bitrate in bps and remembers it', async () => {
    fakeServer(options());
    const wrapper = mountDialog();
    await flushPromises();
    await wrapper.find('#sync-quality').setValue('custom');
    await wrapper.find('#sync-mbps').setValue('2.5');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(posted[0]).toMatchObject({ TargetId: 'me', ItemIds: ['m1'], Quality: 'custom', Bitrate: 2_500_000 });
    expect(wrapper.find('[data-testid="sync-created"]').text()).toContain('1 item');
    expect(localStorage.getItem('stowaway.sync.lastQuality')).toBe('custom');
  });

  it('refuses an empty custom bitrate with words, without calling the server', async () => {
    fakeServer(options());
    const wrapper = mountDialog();
    await flushPromises();
    await wrapper.find('#sync-quality').setValue('custom');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(posted).toHaveLength(0);
    expect(wrapper.find('[data-testid="sync-error"]').text()).toBe('Enter a bitrate in Mbps.');
  });

  it('asks for a category with its view as ParentId and sends the category settings', async () => {
    fakeServer(options({ Options: ['Name', 'Quality', 'UnwatchedOnly', 'SyncNewContent', 'ItemLimit', 'Profile'] }));
    const wrapper = mountDialog(categorySelection('Latest', { Id: 'movies', Name: 'Movies' }));
    await flushPromises();
    expect(optionsQueries[0]!.get('Category')).toBe('Latest');
    expect(optionsQueries[0]!.get('ParentId')).toBe('movies');
    expect((wrapper.find('#sync-name').element as HTMLInputElement).value).toBe('Latest – Movies');
    await wrapper.find('#sync-limit').setValue('10');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(posted[0]).toMatchObject({
      Category: 'Latest',
      ParentId: 'movies',
      ItemIds: [],
      ItemLimit: 10,
      SyncNewContent: true,
      Name: 'Latest – Movies',
    });
  });
});
