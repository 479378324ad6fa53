/**
 * Devices as people manage them (issue 15 §5): five browsers all called "Chrome on Linux" could not be
 * told apart, so a device can be renamed — the name survives its next sign-in (devices.custom_name) — and
 * removed. An administrator manages every device; anyone else only the devices they have signed in on,
 * and removing a device that other users share drops only the caller's link, sessions and sync jobs.
 */
import type { Db } from '../db/connection.js';
import { tx } from '../db/connection.js';
import { badRequest, notFound } from '../errors.js';
import type { AuthContext } from './authService.js';
import type { DeviceRecord, DevicesRepo } from './devicesRepo.js';
import type { TokensRepo } from './tokensRepo.js';

/** Sync jobs a device removal takes with it (SyncService: cancels conversions, releases outputs). */
export interface DeviceJobsPort {
  cancelJobsOnTarget(targetId: string, userId?: string): void;
}

export const MAX_DEVICE_NAME = 64;

export class DevicesService {
  constructor(
    private readonly db: Db,
    private readonly devices: DevicesRepo,
    private readonly tokens: TokensRepo,
    private readonly jobs: DeviceJobsPort,
  ) {}

  /** Every device for an administrator; one's own devices for anyone else. */
  list(caller: AuthContext, userId?: string): DeviceRecord[] {
    if (!caller.user.policy.IsAdministrator) return this.devices.listForUser(caller.user.id);
    return userId ? this.devices.listForUser(userId) : this.devices.list();
  }

  /** A device the caller may manage; another user's device is "not found" to them (API.md §1: 404). */
  get(caller: AuthContext, id: string): DeviceRecord {
    const device = this.devices.get(id);
    if (!device || !this.mayManage(caller, id)) throw notFound('Device not found');
    return device;
  }

  /** A blank name gives the device back the name its client reports. */
  rename(caller: AuthContext, id: string, customName: string | undefined): DeviceRecord {
    this.get(caller, id);
    const name = customName?.trim().replace(/\s+/g, ' ') ?? '';
    if (name.length > MAX_DEVICE_NAME) throw badRequest(`A device name is at most ${MAX_DEVICE_NAME} characters`);
    this.devices.setCustomName(id, name || null);
    return this.devices.get(id)!;
  }

  /**
   * An administrator removes the device for everyone: every session on it ends and its sync jobs are
   * cancelled. Anyone else removes it for themselves; the device goes too when nobody else uses it.
   */
  remove(caller: AuthContext, id: string): void {
    this.get(caller, id);
    const forEveryone = caller.user.policy.IsAdministrator;
    // Cancelling jobs stops conversions and releases outputs (its own transactions), so it goes first.
    this.jobs.cancelJobsOnTarget(id, forEveryone ? undefined : caller.user.id);
    tx(this.db, () => {
      if (forEveryone) {
        this.tokens.deleteForDevice(id);
        this.devices.delete(id);
        return;
      }
      this.tokens.deleteForUserDevice(caller.user.id, id);
      this.devices.removeUser(id, caller.user.id);
      if (this.devices.userIdsOf(id).length === 0) this.devices.delete(id);
    });
  }

  private mayManage(caller: AuthContext, id: string): boolean {
    return caller.user.policy.IsAdministrator || this.devices.isUserOfDevice(id, caller.user.id);
  }
}
