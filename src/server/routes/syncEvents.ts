import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { normalizeId } from '../ids.js';
import {
  subscribeDeviceNotifications,
  SyncSubscription,
  type CurrentCaller,
  type NotificationFilter,
  type SubscriptionSpec,
} from '../events/syncSubscription.js';
import type { AuthContext } from '../auth/authService.js';

const SSE_PERIOD_MS = 1500;
const KEEPALIVE_MS = 15_000;

/** `"<dueMs>,<periodMs>[,<a>[,<b>]]"` of SyncJobsStart / SyncJobStart. */
function parseStartData(data: unknown): { due: number; period: number; rest: string[] } {
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

export async function registerSyncEventRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { sync, syncEvents } = deps;

  /** Device notifications the connection's caller (as of each event) may receive. */
  const notificationFilter = (current: CurrentCaller): NotificationFilter => ({
    job: (userId) => {
      const me = current();
      return !!me && deps.syncAccess.ownsJob(me, { userId });
    },
    item: (userId, itemId) => {
      const me = current();
      return !!me && (deps.syncAccess.ownsJob(me, { userId }) || deps.syncAccess.seesItem(me, itemId));
    },
  });

  /** The connection's caller as of now (fresh policy), or undefined once its token or user is gone. */
  const currentCaller =
    (me: AuthContext): CurrentCaller =>
    () => {
      if (!deps.tokens.get(me.tokenHash)) return undefined;
      const user = deps.users.get(me.user.id);
      return user && !user.policy.IsDisabled ? { ...me, user } : undefined;
    };

  // SSE (ours, API.md §9.7): state on connect, then changes; rising ids; keep-alive comments.
  app.get(
    '/Sync/Events',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            UserId: { type: 'string', maxLength: 64 },
            TargetId: { type: 'string', maxLength: 256 },
            JobId: { type: 'string', maxLength: 64 },
          },
        },
      },
    },
    async (req, reply) => {
      const me = caller(req);
      const q = req.query as { UserId?: string; TargetId?: string; JobId?: string };
      // Validate access before the stream opens, so errors are plain JSON.
      let spec: SubscriptionSpec;
      if (q.JobId) {
        sync.getJob(me, q.JobId);
        spec = { kind: 'job', jobId: normalizeId(q.JobId)!, dueMs: 0, periodMs: SSE_PERIOD_MS };
      } else {
        sync.listJobs(me, { UserId: q.UserId, Limit: 0 });
        spec = {
          kind: 'jobs',
          userId: q.UserId ? normalizeId(q.UserId) : undefined,
          targetId: q.TargetId,
          dueMs: 0,
          periodMs: SSE_PERIOD_MS,
        };
      }
      if (q.TargetId) deps.syncAccess.requireTarget(me, q.TargetId);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let id = 0;
      const current = currentCaller(me);
      const send = (type: string, data: unknown) => {
        // A session that ended (signed out, user disabled or deleted) ends its stream.
        if (!current()) {
          endStream();
          return;
        }
        res.write(`id: ${++id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      res.write('retry: 3000\n\n');
      const sub = new SyncSubscription(current, me, spec, sync, syncEvents, send, () => endStream());
      const offDevice = q.TargetId ? subscribeDeviceNotifications(q.TargetId, syncEvents, send, notificationFilter(current)) : () => {};
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
      // Signing out ends the stream at once (issue 14 item 8), not at the next event.
      const forget = deps.liveChannels.open(me.tokenHash, { userId: me.user.id, close: () => endStream() });
      const closeAll = () => {
        clearInterval(keepAlive);
        sub.close();
        offDevice();
        forget();
      };
      // Nothing may be written after the end (not even a keep-alive comment): stop everything first.
      const endStream = () => {
        closeAll();
        if (!res.writableEnded) res.end();
      };
      req.raw.on('close', closeAll);
      deps.onClose.push(() => {
        closeAll();
        res.end();
      });
    },
  );

  // WebSocket (API.md §3): Emby's message protocol on /embywebsocket and /socket.
  await app.register(websocket);
  const wsHandler = (socket: import('ws').WebSocket, req: import('fastify').FastifyRequest) => {
    const me = req.auth!;
    const current = currentCaller(me);
    // A session that ended (signed out, user disabled or deleted) closes its socket (4401: as a 401).
    const endSocket = () => socket.close(4401, 'Session ended');
    let jobsSub: SyncSubscription | undefined;
    let jobSub: SyncSubscription | undefined;
    const send = (type: string, data: unknown) => {
      if (socket.readyState !== socket.OPEN) return;
      if (!current()) {
        endSocket();
        return;
      }
      socket.send(JSON.stringify({ MessageType: type, Data: data }));
    };
    const offDevice = subscribeDeviceNotifications(me.deviceId, syncEvents, send, notificationFilter(current));
    const forget = deps.liveChannels.open(me.tokenHash, { userId: me.user.id, close: endSocket });
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
          jobsSub?.close();
          const userId = start.rest[0] ? normalizeId(start.rest[0]) : undefined;
          if (userId && userId !== me.user.id && !current()?.user.policy.IsAdministrator) return;
          jobsSub = new SyncSubscription(
            current,
            me,
            { kind: 'jobs', userId, targetId: start.rest[1], dueMs: start.due, periodMs: start.period },
            sync,
            syncEvents,
            send,
            endSocket,
          );
          break;
        }
        case 'SyncJobsStop':
          jobsSub?.close();
          jobsSub = undefined;
          break;
        case 'SyncJobStart': {
          jobSub?.close();
          const jobId = normalizeId(start.rest[0]);
          if (!jobId) return;
          jobSub = new SyncSubscription(
            current,
            me,
            { kind: 'job', jobId, dueMs: start.due, periodMs: start.period },
            sync,
            syncEvents,
            send,
            endSocket,
          );
          break;
        }
        case 'SyncJobStop':
          jobSub?.close();
          jobSub = undefined;
          break;
        case 'KeepAlive':
          send('KeepAlive', null);
          break;
      }
    });
    socket.on('close', () => {
      jobsSub?.close();
      jobSub?.close();
      offDevice();
      forget();
    });
  };
  app.get('/embywebsocket', { websocket: true }, wsHandler);
  app.get('/socket', { websocket: true }, wsHandler);
}
