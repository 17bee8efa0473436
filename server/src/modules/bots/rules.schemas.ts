import { Type, type Static } from 'typebox';
import { StrictObject } from '../../../../shared/src/schema.ts';
import { TagName } from '../customers/customer.schemas.ts';
import { MAX_REGEX_LENGTH } from './check-regex.util.ts';

const Keyword = Type.String({ minLength: 1, maxLength: 50 });
/** Need keywords become field names on the profile (`needs.<keyword>`): no '.', '$' or NUL. */
const NeedKeyword = Type.String({ minLength: 1, maxLength: 30, pattern: '^[^$.\\u0000]+$' });
const Reply = Type.String({ minLength: 1, maxLength: 1000, description: 'Handlebars: {{nickname}} {{name}} {{remark}} {{brandName}}' });

const Match = Type.Union([
  StrictObject({ keywords: Type.Array(Keyword, { minItems: 1, maxItems: 50 }) }, { description: 'any keyword contained, case-insensitive' }),
  StrictObject({ regex: Type.String({ minLength: 1, maxLength: MAX_REGEX_LENGTH }) }, { description: 'case-insensitive; checked for catastrophic backtracking' }),
]);

const common = {
  name: Type.String({ minLength: 1, maxLength: 60 }),
  enabled: Type.Optional(Type.Boolean({ default: true })),
  priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'lower first; the first matching auto-reply wins' })),
};

export const RuleBody = Type.Union([
  StrictObject({ kind: Type.Literal('auto_tag'), ...common, match: Match, tags: Type.Array(TagName, { minItems: 1, maxItems: 10 }) }),
  StrictObject({ kind: Type.Literal('auto_reply'), ...common, match: Match, reply: Reply }),
  StrictObject({ kind: Type.Literal('welcome'), ...common, reply: Reply }),
  StrictObject({ kind: Type.Literal('need'), ...common, keywords: Type.Array(NeedKeyword, { minItems: 1, maxItems: 50 }) }),
]);
export type RuleInput = Static<typeof RuleBody>;

export const RuleSchema = Type.Object({
  id: Type.String(),
  kind: Type.Enum(['auto_tag', 'auto_reply', 'welcome', 'need']),
  name: Type.String(),
  enabled: Type.Boolean(),
  priority: Type.Integer(),
  match: Type.Optional(Type.Object({ keywords: Type.Optional(Type.Array(Type.String())), regex: Type.Optional(Type.String()) })),
  tags: Type.Optional(Type.Array(Type.String())),
  reply: Type.Optional(Type.String()),
  keywords: Type.Optional(Type.Array(Type.String())),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type RuleDto = Static<typeof RuleSchema>;
