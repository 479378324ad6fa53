// @vitest-environment happy-dom
/** The job list: cards with status words and progress, the empty and error states, and the live filter. */
import { createTestingPinia } from './testingPinia';
import { mount } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import { describe, expect, it } from 'vitest';
import type { SyncJob } from '../../../src/shared/api/sync';
import SyncJobList from '../../../src/app/sync/SyncJobList.vue';
import { filterJobs } from '../../../src/app/sync/useLiveJobs';

function aJob(over: Partial<SyncJob> = {}): SyncJob {
  return {
    Id: 'j1',
    TargetId: 'dev1',
    TargetName: 'Chrome on Linux',
    Name: 'Big Buck Test',
    Status: 'Converting',
    Progress: 25,
    UserId: 'u1',
    UnwatchedOnly: false,
    SyncNewContent: false,
    RequestedItemIds: ['m1'],
    DateCreated: '',
    DateLastModified: '',
    ItemCount: 1,
    Quality: 'medium',
    EstimatedSize: 1_900_000,
    ...over,
  };
}

function mountList(props: { jobs: SyncJob[]; loading?: boolean; error?: string; userNames?: Record<string, string> }) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/jobs/:jobId', name: 'sync-job', component: { template: '<div />' } },
      { path: '/', component: { template: '<div />' } },
    ],
  });
  return mount(SyncJobList, { props, global: { plugins: [router, createTestingPinia()] } });
}

describe('SyncJobList', () => {
  it('shows each job with its target, status in words, progress and size', () => {
    const wrapper = mountList({
      jobs: [aJob(), aJob({ Id: 'j2', Name: 'Demo Show', Status: 'ReadyToTransfer', Progress: 50, ItemCount: 6, Bitrate: 2_500_000 })],
    });
    const cards = wrapper.findAll('[data-testid="job-card"]');
    expect(cards).toHaveLength(2);
    expect(cards[0]!.text()).toContain('Chrome on Linux');
    expect(cards[0]!.find('[data-testid="status"]').text()).toBe('Converting');
    // The wire's 25 (of the conversion's 0–50 half) is "Converting 50 %": the bar is the current phase only.
    expect(cards[0]!.find('[role="progressbar"]').attributes('aria-valuenow')).toBe('50');
    expect(cards[0]!.find('[data-testid="progress-text"]').text()).toBe('Converting 50 %');
    expect(cards[0]!.text()).toContain('1.9 MB');
    expect(cards[1]!.find('[data-testid="status"]').text()).toBe('Ready to download');
    expect(cards[1]!.text()).toContain('6 items · 2.5 Mbps');
    expect(cards[1]!.attributes('href')).toBe('/jobs/j2');
  });

  it('shows conversion and download apart from the server’s summary ("Ready to download 50 %" mixed them)', () => {
    const wrapper = mountList({
      jobs: [
        aJob({
          Status: 'Transferring',
          Progress: 60,
          ItemCount: 3,
          SyncSummary: {
            Queued: 0,
            Converting: 1,
            ConvertingPercent: 30,
            Ready: 1,
            Synced: 1,
            Failed: 0,
            Cancelled: 0,
            Removed: 0,
            ThroughOtherJob: 0,
            BytesServed: 3_000_000,
            BytesTotal: 5_000_000,
          },
        }),
      ],
    });
    const card = wrapper.find('[data-testid="job-card"]');
    expect(card.find('[data-testid="status"]').text()).toBe('Downloading');
    expect(card.find('[data-testid="progress-text"]').text()).toBe('Downloading 3.0 MB of 5.0 MB');
    expect(card.find('[role="progressbar"]').attributes('aria-valuenow')).toBe('60');
  });

  it('names the user when given names (the admin view)', () => {
    const wrapper = mountList({ jobs: [aJob()], userNames: { u1: 'ann' } });
    expect(wrapper.text()).toContain('ann · Chrome on Linux');
  });

  it('has loading, error and empty states', async () => {
    expect(mountList({ jobs: [], loading: true }).text()).toContain('Loading sync jobs');
    const failed = mountList({ jobs: [], error: 'The server had a problem (HTTP 500). Please try again.' });
    expect(failed.find('[role="alert"]').text()).toContain('HTTP 500');
    await failed.find('button').trigger('click');
    expect(failed.emitted('retry')).toHaveLength(1);
    expect(mountList({ jobs: [] }).text()).toContain('No sync jobs yet');
  });
});

describe('filterJobs', () => {
  it('applies user, target and status filters that live updates cannot', () => {
    const jobs = [aJob(), aJob({ Id: 'j2', UserId: 'u2', TargetId: 'dev2', Status: 'Failed' })];
    expect(filterJobs(jobs, {}).map((j) => j.Id)).toEqual(['j1', 'j2']);
    expect(filterJobs(jobs, { userId: 'u2' }).map((j) => j.Id)).toEqual(['j2']);
    expect(filterJobs(jobs, { targetId: 'dev1' }).map((j) => j.Id)).toEqual(['j1']);
    expect(filterJobs(jobs, { statuses: ['Failed'] }).map((j) => j.Id)).toEqual(['j2']);
  });
});
