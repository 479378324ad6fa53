import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/server/errors.js';
import { aProfile } from '../builders.js';
import { anItem } from './fakeLibrary.js';
import { anId, aUser, syncHarness } from './fakes.js';

const A = anId(1);
const B = anId(2);

function setup() {
  const h = syncHarness();
  const alice = h.signIn(aUser('alice'), 'phone', aProfile());
  const bob = h.signIn(aUser('bob'), 'tablet', aProfile());
  const admin = h.signIn(aUser('root', { IsAdministrator: true }), 'desk', aProfile());
  h.lib.add(anItem({ id: A, name: 'A', size: 100 }), anItem({ id: B, name: 'B', size: 50 }));
  return { h, alice, bob, admin };
}

describe('JobViews', () => {
  it('lists a user’s own jobs; an administrator sees everyone’s; another user’s job is not found', () => {
    const { h, alice, bob, admin } = setup();
    const mine = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [A] });
    h.jobs.createJob(bob, { TargetId: 'tablet', ItemIds: [B] });
    expect(h.views.listJobs(alice, {}).Items.map((j) => j.Id)).toEqual([mine.Job.Id]);
    expect(h.views.listJobs(admin, {}).TotalRecordCount).toBe(2);
    expect(() => h.views.listJobs(alice, { UserId: bob.user.id })).toThrow(DomainError);
    expect(() => h.views.getJob(bob, mine.Job.Id)).toThrow(expect.objectContaining({ kind: 'NotFound' }));
    expect(h.views.listJobItems(bob, {}).TotalRecordCount).toBe(1);
  });

  it('estimates a job’s size from the items still on their way or on the device', () => {
    const { h, alice } = setup();
    const { Job, JobItems } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [A, B] });
    expect(h.views.getJob(alice, Job.Id).EstimatedSize).toBe(150);
    h.store.saveItem({ ...h.store.getItem(JobItems[1].Id)!, status: 'Failed' });
    expect(h.views.getJob(alice, Job.Id).EstimatedSize).toBe(100);
  });
});
