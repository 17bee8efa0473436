import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { AckFrame, BotEvent, BotStatusFrame, type BotToServer } from '../../../../shared/src/bot-protocol.ts';

// ajv-formats ships CommonJS; its default export arrives wrapped under ESM.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);

// Validating against the one schema a frame claims to be gives a precise reason, where the union gives dozens.
const BY_KIND = new Map<string, ValidateFunction>([
  ['status', ajv.compile(BotStatusFrame)],
  ['ack', ajv.compile(AckFrame)],
]);
const BY_EVENT_TYPE = new Map<string, ValidateFunction>(BotEvent.anyOf.map((schema) => [schema.properties.type.const, ajv.compile(schema)]));

export type ParsedFrame = { ok: true; frame: BotToServer } | { ok: false; id?: string; detail: string };

const MAX_DETAIL = 500;

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 3)
    .map((error) => {
      const extra = error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
      return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${extra}`;
    })
    .join('; ');
}

/** JSON-parses and validates one frame from a bot; a rejection carries the frame's id when it had a usable one. */
export function parseBotFrame(raw: string): ParsedFrame {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, detail: 'not JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, detail: 'not a JSON object' };
  const fields = data as Record<string, unknown>;
  const id = typeof fields.id === 'string' && fields.id.length > 0 && fields.id.length <= 128 ? fields.id : undefined;
  const kind = String(fields.kind);
  const validate = kind === 'event' ? BY_EVENT_TYPE.get(String(fields.type)) : BY_KIND.get(kind);
  if (!validate) {
    const detail = kind === 'event' ? `unknown event type ${JSON.stringify(fields.type)}` : `unknown frame kind ${JSON.stringify(fields.kind)}`;
    return { ok: false, id, detail: detail.slice(0, MAX_DETAIL) };
  }
  if (!validate(data)) return { ok: false, id, detail: describe(validate.errors).slice(0, MAX_DETAIL) };
  return { ok: true, frame: data as BotToServer };
}
