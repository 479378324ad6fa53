/**
 * A small typed fetch client for one server. It knows the base URL, who we are (the Emby identity header)
 * and the token; it turns the server's `{ error, message }` bodies (API.md §1) into a thrown ApiError whose
 * message is fit to show a person.
 */

export interface ClientIdentity {
  client: string;
  device: string;
  deviceId: string;
  version: string;
}

export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

export class ApiError extends Error {
  constructor(
    /** HTTP status, or 0 when the server could not be reached at all. */
    readonly status: number,
    /** The server's error code (`X-Application-Error-Code`), or our own for network/parse failures. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

/** Words for statuses whose server message is missing or too terse to help a person. */
function fallbackMessage(status: number): string {
  if (status === 401) return 'Your sign-in is no longer valid. Please sign in again.';
  if (status === 403) return 'You are not allowed to do that.';
  if (status === 404) return 'Not found on the server.';
  if (status === 429) return 'Too many attempts. Please wait a minute and try again.';
  if (status >= 500) return `The server had a problem (HTTP ${status}). Please try again.`;
  return `The request failed (HTTP ${status}).`;
}

async function errorFrom(res: Response): Promise<ApiError> {
  const codeHeader = res.headers.get('X-Application-Error-Code') ?? undefined;
  let text = '';
  try {
    text = await res.text();
  } catch {
    // A body that breaks off mid-error still leaves the status to explain.
  }
  let message: string | undefined;
  let code = codeHeader;
  if (text) {
    try {
      const parsed = JSON.parse(text) as { message?: unknown; error?: unknown; Message?: unknown };
      const m = parsed.message ?? parsed.Message;
      if (typeof m === 'string' && m.trim()) message = m.trim();
      if (!code && typeof parsed.error === 'string') code = parsed.error;
    } catch {
      // Emby-style servers sometimes answer errors as plain text; short text is still a good message.
      if (text.length < 300 && !text.trimStart().startsWith('<')) message = text.trim();
    }
  }
  return new ApiError(res.status, code ?? `Http${res.status}`, message ?? fallbackMessage(res.status));
}

function quote(value: string): string {
  // The header format has no escaping; a quote or comma in a browser name would break parsing.
  return value.replace(/[",]/g, ' ');
}

export function authorizationHeader(identity: ClientIdentity, userId?: string): string {
  const parts = [
    `Client="${quote(identity.client)}"`,
    `Device="${quote(identity.device)}"`,
    `DeviceId="${quote(identity.deviceId)}"`,
    `Version="${quote(identity.version)}"`,
  ];
  if (userId) parts.push(`UserId="${quote(userId)}"`);
  return `MediaBrowser ${parts.join(', ')}`;
}

export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Trailing slashes would double up with our leading ones: "http://host/" + "/Users" → "//Users". */
export function normaliseServerUrl(input: string): string {
  let url = input.trim();
  if (!/^https?:\/\//i.test(url)) url = `http://${url}`;
  return url.replace(/\/+$/, '');
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly identity: ClientIdentity,
    private token?: string,
    private userId?: string,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {
    this.baseUrl = normaliseServerUrl(baseUrl);
  }

  withSession(token: string, userId: string): ApiClient {
    return new ApiClient(this.baseUrl, this.identity, token, userId, this.fetchImpl);
  }

  get accessToken(): string | undefined {
    return this.token;
  }

  url(path: string, query?: Record<string, QueryValue>): string {
    return `${this.baseUrl}${path}${buildQuery(query)}`;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'X-Emby-Authorization': authorizationHeader(this.identity, this.userId),
    };
    if (this.token) headers['X-Emby-Token'] = this.token;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchImpl(this.url(path, options.query), {
        method,
        headers,
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        signal: options.signal,
      });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      // fetch only rejects when no HTTP answer came back at all (offline, DNS, refused, CORS).
      throw new ApiError(0, 'NetworkError', `Could not reach the server at ${this.baseUrl}. Check the address and your connection.`);
    }
    if (!res.ok) throw await errorFrom(res);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(
        res.status,
        'BadResponse',
        'The server sent a response this app could not read. Is this a Stowaway or Emby server?',
      );
    }
  }

  get<T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { query, signal });
  }

  post<T>(path: string, body?: unknown, query?: Record<string, QueryValue>): Promise<T> {
    return this.request<T>('POST', path, { body, query });
  }
}
