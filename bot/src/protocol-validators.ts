import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { BotEvent, ServerToBot } from '../../shared/src/bot-protocol.ts';

// ajv-formats ships CommonJS; its default export arrives wrapped under ESM.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));

/** Every frame the server sends is checked against the shared protocol before the bot acts on it. */
export const isServerFrame: ValidateFunction<ServerToBot> = ajv.compile<ServerToBot>(ServerToBot);

/** Events are checked before they enter the disk queue: the server would refuse an invalid one forever. */
export const isBotEvent: ValidateFunction<BotEvent> = ajv.compile<BotEvent>(BotEvent);

export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'invalid';
  return errors
    .slice(0, 5)
    .map((error) => `${error.instancePath || '/'} ${error.message ?? 'invalid'}`)
    .join('; ');
}
