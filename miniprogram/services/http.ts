import { API_BASE_URL } from '../config';
import { ApiError } from './api-error';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type Query = Record<string, string | number | undefined>;

export interface HttpRequest {
  method: HttpMethod;
  path: string;
  query?: Query;
  body?: object;
  token?: string | null;
}

export interface HttpResponse {
  status: number;
  body: unknown;
}

const TIMEOUT_MS = 10_000;
/** Only reads are repeated on their own: a POST that timed out may have been applied. */
const NETWORK_RETRIES: Record<HttpMethod, number> = { GET: 1, POST: 0, PUT: 0, DELETE: 0 };

export function buildUrl(path: string, query: Query = {}): string {
  const pairs = Object.entries(query)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return `${API_BASE_URL}${path}${pairs.length ? `?${pairs.join('&')}` : ''}`;
}

function sendOnce({ method, path, query, body, token }: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    wx.request({
      url: buildUrl(path, query),
      method,
      // A body-less POST goes out as {}: Fastify refuses an empty JSON body.
      data: body ?? (method === 'GET' ? undefined : {}),
      header: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      timeout: TIMEOUT_MS,
      dataType: 'json',
      success: (result) => resolve({ status: result.statusCode, body: result.data }),
      fail: () => reject(ApiError.network()),
    });
  });
}

/** One HTTP exchange; a read that got no response at all is tried once more before failing with NETWORK. */
export async function send(request: HttpRequest): Promise<HttpResponse> {
  let retries = NETWORK_RETRIES[request.method];
  for (;;) {
    try {
      return await sendOnce(request);
    } catch (error) {
      if (retries <= 0) throw error;
      retries -= 1;
    }
  }
}
