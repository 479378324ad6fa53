import { describe, expect, it } from 'vitest';
import { DevicesService, type DeviceStore } from '../../../src/server/auth/devicesService.js';
import type { DeviceRecord } from '../../../src/server/auth/devicesRepo.js';
import { DomainError } from '../../../src/server/errors.js';

function store(): DeviceStore & { rows: Map<string, DeviceRecord>; owners: Map<string, string[]> } {
  const rows = new Map<string, DeviceRecord>();
  const owners = new Map<string, string[]>();
  return {
    rows,
    owners,
    get: (id) => rows.get(id),
    list: () => [...rows.values()],
    listForUser: (userId) => [...rows.values()].filter((d) => owners.get(d.id)?.includes(userId)),
    delete: (id) => void rows.delete(id),
  };
}

const device = (id: string): DeviceRecord => ({
  id,
  name: id,
  appName: null,
  appVersion: null,
  lastUserId: null,
  dateLastActivity: '2026-01-01T00:00:00Z',
  capabilities: null,
});

describe('DevicesService', () => {
  it('lists every device, or those of one user whatever the spelling of their id', () => {
    const s = store();
    const user = 'abcdef00111122223333444455556666';
    s.rows.set('tv', device('tv'));
    s.rows.set('Phone 1', device('Phone 1'));
    s.owners.set('Phone 1', [user]);
    const svc = new DevicesService(s);
    expect(svc.list().map((d) => d.id)).toEqual(['tv', 'Phone 1']);
    expect(svc.list('ABCDEF00-1111-2222-3333-444455556666').map((d) => d.id)).toEqual(['Phone 1']);
  });

  it('matches device ids exactly (they are opaque) and answers NotFound for unknown ones', () => {
    const s = store();
    s.rows.set('Phone 1', device('Phone 1'));
    const svc = new DevicesService(s);
    expect(svc.info('Phone 1').id).toBe('Phone 1');
    expect(() => svc.info('phone 1')).toThrow(DomainError);
    expect(() => svc.delete('nope')).toThrow(DomainError);
    svc.delete('Phone 1');
    expect(s.rows.size).toBe(0);
  });
});
