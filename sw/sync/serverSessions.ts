/**
 * The sessions of one server on this device. One browser may hold several users of a server (a family on
 * one tablet): they share the DeviceId, the sync target.
 */
import type { ServerRow } from '../db';
import type { ApiPort } from './ports';

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

  /** Target-scoped calls go out with the first session. */
  get device(): ServerRow {
    return this.all[0]!;
  }

  api(session: ServerRow = this.device): ApiPort {
    let api = this.apis.get(session.key);
    if (!api) {
      api = this.apiFor(session);
      this.apis.set(session.key, api);
    }
    return api;
  }
}
