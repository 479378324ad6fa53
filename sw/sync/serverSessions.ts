/**
 * The sessions of one server on this device, and which of them speaks for what.
 *
 * One browser may hold several users of a server (a family on one tablet). They share the DeviceId, the
 * sync target, but the server answers each of them only about what they may see themselves (a DeviceId is
 * not a credential): Items/Ready lists the items the caller may see, a file or Transferred of another
 * user's item they may not see is a 404, offline actions on such items are skipped, and Sync/Data leaves
 * them alone. So target-wide questions are asked as every user, and an item's own calls go out as a user
 * who was offered it — its owner when they are signed in here.
 */
import type { LocalItem, ServerRow } from '../db';
import { isNetworkFailure, type ApiPort } from './ports';
import { errorText, type RunContext } from './runContext';

/** Groups sessions by server, skipping those without a token (API.md §7). */
export function groupByServer(sessions: ServerRow[]): ServerRow[][] {
  const groups = new Map<string, ServerRow[]>();
  for (const s of sessions) {
    if (!s.token) continue;
    const list = groups.get(s.serverId) ?? [];
    list.push(s);
    groups.set(s.serverId, list);
  }
  return [...groups.values()];
}

export class ServerSessions {
  private readonly apis = new Map<string, ApiPort>();
  /** Who was offered each job item by Items/Ready in this run (by SyncJobItemId). */
  private readonly offeredBy = new Map<string, ServerRow>();
  /** Sessions the server refused in this run, each said once in the summary. */
  private readonly refused = new Set<string>();

  constructor(
    readonly all: readonly ServerRow[],
    private readonly apiFor: (session: ServerRow) => ApiPort,
  ) {}

  get serverId(): string {
    return this.all[0]!.serverId;
  }

  get serverUrl(): string {
    return this.all[0]!.serverUrl;
  }

  api(session: ServerRow): ApiPort {
    let api = this.apis.get(session.key);
    if (!api) {
      api = this.apiFor(session);
      this.apis.set(session.key, api);
    }
    return api;
  }

  /** The user's own session when they are signed in here, else the first. */
  forUser(userId: string): ServerRow {
    return this.all.find((s) => s.userId === userId) ?? this.all[0]!;
  }

  /** Records that `session` was offered the item; its owner's offer wins over another user's. */
  offered(session: ServerRow, jobItemId: string, ownerId: string): void {
    if (!this.offeredBy.has(jobItemId) || session.userId === ownerId) this.offeredBy.set(jobItemId, session);
  }

  /** The session for an item's own calls: one that was offered it in this run, else its owner's. */
  forItem(item: Pick<LocalItem, 'SyncJobItemId' | 'UserId'>): ServerRow {
    return this.offeredBy.get(item.SyncJobItemId) ?? this.forUser(item.UserId);
  }

  apiForItem(item: Pick<LocalItem, 'SyncJobItemId' | 'UserId'>): ApiPort {
    return this.api(this.forItem(item));
  }

  /**
   * Asks every session in turn. No answer at all means the server is out of reach: that throws at once.
   * A session the server refuses (a revoked token, a user without sync) does not stop the others — it is
   * said in the summary — unless every session was refused, which fails the server's run as before.
   * Returns whether every session answered.
   */
  async askEach(ctx: RunContext, ask: (session: ServerRow, api: ApiPort) => Promise<void>): Promise<boolean> {
    const failures: Array<{ session: ServerRow; err: unknown }> = [];
    for (const session of this.all) {
      try {
        await ask(session, this.api(session));
      } catch (err) {
        if (isNetworkFailure(err)) throw err;
        failures.push({ session, err });
      }
    }
    if (failures.length === this.all.length) throw failures[0]!.err;
    for (const { session, err } of failures) {
      if (!this.refused.has(session.key)) ctx.summary.errors.push(`${session.userName}: ${errorText(err)}`);
      this.refused.add(session.key);
    }
    return failures.length === 0;
  }
}
