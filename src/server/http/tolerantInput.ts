import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';

/**
 * Emby clients send names in any case, arrays as one CSV string, numbers and booleans as strings, and
 * "" for "absent" (API.md §1). Before validation, rename keys to the schema's spelling, drop empty
 * strings and split CSV strings for array-typed properties; Ajv's type coercion does the rest.
 */
interface JsonSchemaObject {
  type?: string | string[];
  properties?: Record<string, JsonSchemaObject>;
}

interface PropMap {
  canonical: Map<string, string>;
  arrays: Set<string>;
}

function propMap(schema: unknown): PropMap | undefined {
  const s = schema as JsonSchemaObject | undefined;
  if (!s?.properties) return undefined;
  const canonical = new Map<string, string>();
  const arrays = new Set<string>();
  for (const [name, prop] of Object.entries(s.properties)) {
    canonical.set(name.toLowerCase(), name);
    const t = prop.type;
    if (t === 'array' || (Array.isArray(t) && t.includes('array'))) arrays.add(name);
  }
  return { canonical, arrays };
}

export function normalizeInput(input: unknown, map: PropMap | undefined): unknown {
  if (!map || input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const name = map.canonical.get(key.toLowerCase()) ?? key;
    if (value === '' || value === null) continue;
    if (map.arrays.has(name) && typeof value === 'string') {
      out[name] = value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
    } else if (map.arrays.has(name) && Array.isArray(value)) {
      // A repeated query key (?Ids=a&Ids=b,c) arrives as an array of possibly-CSV strings.
      out[name] = value.flatMap((v) =>
        typeof v === 'string'
          ? v
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean)
          : [v],
      );
    } else {
      out[name] = value;
    }
  }
  return out;
}

export function registerTolerantInput(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as FastifySchema | undefined;
    if (!schema) return;
    const query = propMap(schema.querystring);
    const body = propMap(schema.body);
    const params = propMap(schema.params);
    if (!query && !body && !params) return;
    const hook = async (req: { query: unknown; body: unknown; params: unknown }) => {
      if (query) req.query = normalizeInput(req.query, query);
      if (params) req.params = normalizeInput(req.params, params);
      if (body) {
        // POST fields may also come from the query string (API.md §1): the body wins.
        const fromQuery = normalizeInput(req.query, body) as Record<string, unknown>;
        const normalizedBody = normalizeInput(req.body ?? {}, body);
        if (normalizedBody && typeof normalizedBody === 'object' && !Array.isArray(normalizedBody)) {
          const merged: Record<string, unknown> = {};
          for (const k of body.canonical.values()) if (fromQuery && k in fromQuery) merged[k] = fromQuery[k];
          req.body = { ...merged, ...(normalizedBody as Record<string, unknown>) };
        } else {
          req.body = normalizedBody;
        }
      }
    };
    const existing = route.preValidation;
    route.preValidation = existing ? [hook, ...(Array.isArray(existing) ? existing : [existing])] : [hook];
  });
}
