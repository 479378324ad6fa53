/**
 * Live sync state for one connection (API.md §3 WebSocket, §9.7 SSE): who may watch what is checked before
 * the stream opens; then the state on connect, changes at most once per period, the device's notifications,
 * and an end as soon as the session does (signed out, user disabled or deleted).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { AuthContext } from '../auth/authService.js';
import { normalizeId } from '../ids.js';
import type { SyncAccess } from '../sync/syncAccess.js';
import type { LiveChannels } from './liveChannels.js';
import type { SyncEvents } from './syncEvents.js';
import {
  subscribeDeviceNotifications,
  SyncSubscription,
  type CurrentCaller,
  type JobListings,
  type NotificationFilter,
  type Send,
  type SubscriptionSpec,
} from './syncSubscription.js';

const SSE_PERIOD_MS = 1500;
const KEEPALIVE_MS = 15_000;

export interface LiveSyncDeps {
  views: JobListings;
  events: SyncEvents;
  access: SyncAccess;
  channels: LiveChannels;
  /** The session as of now (fresh policy), or undefined once its token or user is gone. */
  current(session: AuthContext): AuthContext | undefined;
}

export interface SseQuery {
  UserId?: string;
  TargetId?: string;
  JobId?: string;
}

/** `"<dueMs>,<periodMs>[,<a>[,<b>]]"` of SyncJobsStart / SyncJobStart. */
export function parseStartData(data: unknown): { due: number; period: number; rest: string[] } {
  const parts = String(data ?? '')
    .split(',')
    .map((p) => p.trim());
  const due = Number(parts[0]);
  const period = Number(parts[1]);
  return {
    due: Number.isFinite(due) && due >= 0 ? Math.min(due, 60_000) : 0,
    // Never faster than 250 ms: a client asking for 0 would otherwise get a message per item change.
    period: Number.isFinite(period) && period > 0 ? Math.max(period, 250) : SSE_PERIOD_MS,
    rest: parts.slice(2).filter(Boolean),
  };
}

export class LiveSync {
  constructor(private readonly d: LiveSyncDeps) {}

  private currentOf(session: AuthContext): CurrentCaller {
    return () => this.d.current(session);
  }

  /** Device notifications the connection's caller (as of each event) may receive. */
  private filterFor(current: CurrentCaller): NotificationFilter {
    return {
      job: (userId) => {
        const me = current();
        return !!me && this.d.access.ownsJob(me, { userId });
      },
      item: (userId, itemId) => {
        const me = current();
        return !!me && (this.d.access.ownsJob(me, { userId }) || this.d.access.seesItem(me, itemId));
      },
    };
  }

  /**
   * `GET /Sync/Events`: checks access now (so a refusal is a plain JSON error), then returns what streams
   * to the raw response once the route hands it over.
   */
  sse(me: AuthContext, q: SseQuery): (res: ServerResponse, req: IncomingMessage) => void {
    let spec: SubscriptionSpec;
    if (q.JobId) {
      this.d.views.getJob(me, q.JobId);
      spec = { kind: 'job', jobId: normalizeId(q.JobId)!, dueMs: 0, periodMs: SSE_PERIOD_MS };
    } else {
      this.d.views.listJobs(me, { UserId: q.UserId, Limit: 0 });
      spec = {
        kind: 'jobs',
        userId: q.UserId ? normalizeId(q.UserId) : undefined,
        targetId: q.TargetId,
        dueMs: 0,
        periodMs: SSE_PERIOD_MS,
      };
    }
    if (q.TargetId) this.d.access.requireTarget(me, q.TargetId);
    return (res, req) => this.streamSse(me, spec, q.TargetId, res, req);
  }

  private streamSse(
    me: AuthContext,
    spec: SubscriptionSpec,
    targetId: string | undefined,
    res: ServerResponse,
    req: IncomingMessage,
  ): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let id = 0;
    const current = this.currentOf(me);
    const send: Send = (type, data) => {
      // A session that ended (signed out, user disabled or deleted) ends its stream.
      if (!current()) return endStream();
      res.write(`id: ${++id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    res.write('retry: 3000\n\n');
    const sub = new SyncSubscription(current, me, spec, this.d.views, this.d.events, send, () => endStream());
    const offDevice = targetId ? subscribeDeviceNotifications(targetId, this.d.events, send, this.filterFor(current)) : () => {};
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
    // Signing out ends the stream at once (issue 14 item 8), not at the next event.
    const forget = this.d.channels.open(me.tokenHash, { userId: me.user.id, close: () => endStream() });
    const closeAll = () => {
      clearInterval(keepAlive);
      sub.close();
      offDevice();
      forget();
    };
    // Nothing may be written after the end (not even a keep-alive comment): stop everything first.
    function endStream(): void {
      closeAll();
      if (!res.writableEnded) res.end();
    }
    req.on('close', closeAll);
  }

  /** The Emby WebSocket (`/embywebsocket`): device notifications at once, job lists on SyncJobsStart/SyncJobStart. */
  webSocket(me: AuthContext, socket: WebSocket): void {
    const current = this.currentOf(me);
    // A session that ended (signed out, user disabled or deleted) closes its socket (4401: as a 401).
    const endSocket = () => socket.close(4401, 'Session ended');
    const subs: { jobs?: SyncSubscription; job?: SyncSubscription } = {};
    const send: Send = (type, data) => {
      if (socket.readyState !== socket.OPEN) return;
      if (!current()) return endSocket();
      socket.send(JSON.stringify({ MessageType: type, Data: data }));
    };
    const subscribe = (slot: 'jobs' | 'job', spec: SubscriptionSpec | undefined) => {
      subs[slot]?.close();
      subs[slot] = spec && new SyncSubscription(current, me, spec, this.d.views, this.d.events, send, endSocket);
    };
    const offDevice = subscribeDeviceNotifications(me.deviceId, this.d.events, send, this.filterFor(current));
    const forget = this.d.channels.open(me.tokenHash, { userId: me.user.id, close: endSocket });
    socket.on('message', (raw) => {
      let msg: { MessageType?: string; Data?: unknown };
      try {
        msg = JSON.parse(String(raw));
      } catch {
        return;
      }
      const start = parseStartData(msg.Data);
      switch (msg.MessageType) {
        case 'SyncJobsStart': {
          const userId = start.rest[0] ? normalizeId(start.rest[0]) : undefined;
          if (userId && userId !== me.user.id && !current()?.user.policy.IsAdministrator) return subscribe('jobs', undefined);
          return subscribe('jobs', { kind: 'jobs', userId, targetId: start.rest[1], dueMs: start.due, periodMs: start.period });
        }
        case 'SyncJobsStop':
          return subscribe('jobs', undefined);
        case 'SyncJobStart': {
          const jobId = normalizeId(start.rest[0]);
          return subscribe('job', jobId ? { kind: 'job', jobId, dueMs: start.due, periodMs: start.period } : undefined);
        }
        case 'SyncJobStop':
          return subscribe('job', undefined);
        case 'KeepAlive':
          return send('KeepAlive', null);
      }
    });
    socket.on('close', () => {
      subs.jobs?.close();
      subs.job?.close();
      offDevice();
      forget();
    });
  }
}
