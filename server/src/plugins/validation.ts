import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

// ajv-formats ships CommonJS; its default export arrives wrapped under ESM.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function createAjv(coerceTypes: boolean | 'array'): Ajv {
  const ajv = new Ajv({
    removeAdditional: false,
    useDefaults: true,
    coerceTypes,
    allErrors: true,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

/**
 * Query strings and params arrive as text, so they are coerced; JSON bodies are not, so "100" where a number
 * belongs is an error rather than a silent conversion. Unknown fields are errors everywhere.
 */
async function validationPlugin(fastify: FastifyInstance): Promise<void> {
  const bodyAjv = createAjv(false);
  const textAjv = createAjv('array');
  fastify.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object),
  );
}

export default fp(validationPlugin, { fastify: '5.x', name: 'validation' });
