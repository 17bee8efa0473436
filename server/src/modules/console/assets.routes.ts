import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ASSET_NAMES, AssetParams, AssetQuery, type AssetName } from './console.schemas.ts';

const typeOf = (name: AssetName) => (name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

export interface ConsoleAssets {
  byName: Record<AssetName, Asset>;
  /** Changes whenever any file does; pages add it to asset URLs so browsers never run a stale script. */
  version: string;
}

export async function loadConsoleAssets(directory: string): Promise<ConsoleAssets> {
  const entries = await Promise.all(
    ASSET_NAMES.map(async (name) => {
      const body = await readFile(path.join(directory, name));
      const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
      return [name, { body, type: typeOf(name), etag: `"${hash}"` }] as const;
    }),
  );
  const byName = Object.fromEntries(entries) as Record<AssetName, Asset>;
  const version = createHash('sha256').update(entries.map(([, asset]) => asset.etag).join()).digest('base64url').slice(0, 12);
  return { byName, version };
}

/** A few small files kept in memory: the console's scripts and styles, served from our origin as the CSP requires. */
export async function assetRoutes(fastify: FastifyInstance, options: { assets: ConsoleAssets }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/assets/:name', { schema: { hide: true, params: AssetParams, querystring: AssetQuery } }, async (request, reply) => {
    const asset = options.assets.byName[request.params.name];
    reply.header('etag', asset.etag).header('cache-control', 'public, max-age=86400');
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  });
}
