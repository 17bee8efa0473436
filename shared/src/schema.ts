import { Type, type TProperties, type TObject, type TSchemaOptions } from 'typebox';

/** An object schema that rejects unknown fields: our API's default. */
export function StrictObject<const Properties extends TProperties>(
  properties: Properties,
  options: TSchemaOptions = {},
): TObject<Properties> {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

export const ObjectIdString = Type.String({ pattern: '^[a-f0-9]{24}$', description: 'a 24-character hex id' });

export const IsoDateTime = Type.String({ format: 'date-time' });

/** Calendar day in the brand's time zone, e.g. 2026-11-25. */
export const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    code: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);
