import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const RULE_KINDS = ['auto_tag', 'auto_reply', 'welcome', 'need'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** Operators' chat rules; validated (regex safety, template variables) by the rules service before saving. */
export const ruleSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    kind: { type: String, enum: RULE_KINDS, required: true },
    enabled: { type: Boolean, default: true },
    /** Lower runs first; the first matching auto-reply wins. */
    priority: { type: Number, default: 100 },
    keywords: { type: [String], default: undefined },
    regex: { type: String },
    tags: { type: [String], default: undefined },
    reply: { type: String },
  },
  { timestamps: true, collection: 'bot_rules' },
);
ruleSchema.index({ kind: 1, priority: 1, _id: 1 });

export type Rule = InferSchemaType<typeof ruleSchema>;
export const createRuleModel = (db: Connection) => db.model('BotRule', ruleSchema);
