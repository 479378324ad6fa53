/**
 * Devices as administrators see and manage them (`/Devices`). Device records are written by sign-in and
 * capability reports (`AuthService`, the sessions routes); this service reads and removes them.
 */
import { notFound } from '../errors.js';
import { normalizeId } from '../ids.js';
import type { DeviceRecord } from './devicesRepo.js';

export interface DeviceStore {
  get(id: string): DeviceRecord | undefined;
  list(): DeviceRecord[];
  listForUser(userId: string): DeviceRecord[];
  delete(id: string): void;
}

export class DevicesService {
  constructor(private readonly devices: DeviceStore) {}

  /** Every device, most recently active first; or the devices a user has signed in on. */
  list(userId?: string): DeviceRecord[] {
    if (userId === undefined) return this.devices.list();
    return this.devices.listForUser(normalizeId(userId) ?? userId);
  }

  /** Device ids are opaque strings chosen by clients: matched exactly. */
  info(id: string): DeviceRecord {
    const device = this.devices.get(id);
    if (!device) throw notFound('Device not found');
    return device;
  }

  delete(id: string): void {
    this.info(id);
    this.devices.delete(id);
  }
}
