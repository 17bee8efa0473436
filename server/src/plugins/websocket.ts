import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** A bot message may carry 100,000 characters and a room event 500 member cards: 2 MiB leaves room for both. */
const MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;

/** WebSocket support for the bot gateway and the agent inbox; registered before any route, as the plugin requires. */
async function websocketPlugin(fastify: FastifyInstance): Promise<void> {
  await fastify.register(websocket, { options: { maxPayload: MAX_PAYLOAD_BYTES } });
}

export default fp(websocketPlugin, { fastify: '5.x', name: 'websocket' });
