import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

async function consolePlugin(_fastify: FastifyInstance, _options: { cookieSecure: boolean }): Promise<void> {}

export default fp(consolePlugin, { fastify: '5.x', name: 'console', dependencies: ['staff', 'customers'] });
