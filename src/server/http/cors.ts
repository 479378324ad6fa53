import type { FastifyInstance } from 'fastify';

/**
 * The web app signs in to several servers at once (README "Several servers and shared devices"), so a page
 * served by one Stowaway calls others, and so does its service worker. Tokens travel in headers, never in
 * cookies, so any origin may call (`*`, no credentials) — as Emby servers answer too. Preflights are
 * answered before routing; headers the client must read (Range, ETag, upload offsets) are exposed.
 */
const EXPOSED = ['Content-Range', 'Content-Length', 'Accept-Ranges', 'ETag', 'X-Application-Error-Code', 'Upload-Offset', 'Location'];

export function registerCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!req.headers.origin) return;
    reply.header('Access-Control-Allow-Origin', '*');
    reply.header('Access-Control-Expose-Headers', EXPOSED.join(', '));
    const preflightMethod = req.headers['access-control-request-method'];
    if (req.method === 'OPTIONS' && preflightMethod) {
      const asked = req.headers['access-control-request-headers'];
      return reply
        .header('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, DELETE, OPTIONS')
        .header(
          'Access-Control-Allow-Headers',
          typeof asked === 'string' && asked ? asked : 'Content-Type, X-Emby-Authorization, X-Emby-Token',
        )
        .header('Access-Control-Max-Age', '600')
        .status(204)
        .send();
    }
  });
}
