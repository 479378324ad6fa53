import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseAuthorizationHeader, type ClientIdentity } from '../auth/authHeader.js';
import type { AuthContext, AuthService } from '../auth/authService.js';
import { forbidden, unauthorized } from '../errors.js';

/** Per-route access level, set as `config: { auth }` on the route; 'user' when absent. */
export type AuthLevel = 'none' | 'optional' | 'user' | 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
    identity: ClientIdentity;
  }
  interface FastifyContextConfig {
    auth?: AuthLevel;
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** api_key (download URLs, WebSocket, SSE) in any case, as Emby clients vary. */
function queryToken(req: FastifyRequest): string | undefined {
  const q = req.query as Record<string, unknown> | undefined;
  if (!q || typeof q !== 'object') return undefined;
  for (const [k, v] of Object.entries(q)) {
    const key = k.toLowerCase();
    if ((key === 'api_key' || key === 'apikey') && typeof v === 'string' && v) return v;
  }
  return undefined;
}

export function extractToken(req: FastifyRequest, identity: ClientIdentity): string | undefined {
  return header(req, 'x-emby-token') ?? header(req, 'x-mediabrowser-token') ?? identity.token ?? queryToken(req);
}

export function registerAuth(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('identity', null as unknown as ClientIdentity);
  app.addHook('onRequest', async (req) => {
    req.identity = parseAuthorizationHeader(header(req, 'x-emby-authorization') ?? header(req, 'authorization'));
    const token = extractToken(req, req.identity);
    const resolved = token ? auth.resolveToken(token) : undefined;
    req.auth = resolved
      ? {
          user: resolved.user,
          deviceId: resolved.record.deviceId,
          deviceName: req.identity.device ?? resolved.record.deviceId,
          client: resolved.record.appName ?? req.identity.client ?? '',
          version: resolved.record.appVersion ?? req.identity.version ?? '',
          tokenHash: resolved.record.tokenHash,
        }
      : null;
  });
  // preValidation: after routing (404s stay 404s) and body parsing, before the schema and the handler run,
  // so a caller without access learns nothing from validation errors either.
  app.addHook('preValidation', async (req) => {
    if (req.is404) return;
    const level: AuthLevel = req.routeOptions.config?.auth ?? 'user';
    if (level === 'none' || level === 'optional') return;
    if (!req.auth) throw unauthorized();
    if (level === 'admin' && !req.auth.user.policy.IsAdministrator) throw forbidden('Administrator only');
  });
}

/** The signed-in caller; routes with auth 'user'/'admin' always have one. */
export function caller(req: FastifyRequest): AuthContext {
  if (!req.auth) throw unauthorized();
  return req.auth;
}

/** A user id from input may name the caller, or anyone for an administrator (API.md §2 Access). */
export function resolveUserId(req: FastifyRequest, requested: string | undefined): string {
  const me = caller(req);
  if (!requested || requested === me.user.id) return me.user.id;
  if (me.user.policy.IsAdministrator) return requested;
  throw forbidden('You may only act for yourself');
}
