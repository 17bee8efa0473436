import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** OpenAPI 3 generated from the route schemas: UI at /docs, JSON at /docs/json. */
async function openapiPlugin(fastify: FastifyInstance): Promise<void> {
  await fastify.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Siyu (私域) API', version: '0.1.0', description: 'Social CRM for brands on WeChat' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'siyu_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await fastify.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
}

export default fp(openapiPlugin, { fastify: '5.x', name: 'openapi' });
