import type { Types } from 'mongoose';
import { DomainError } from '../../lib/errors.ts';
import { unsafeRegexReason } from './check-regex.util.ts';
import type { BotModels } from './models.ts';
import { compileReplyTemplate, type ReplyTemplate } from './reply-template.util.ts';
import type { Rule } from './rule.model.ts';
import type { RuleDto, RuleInput } from './rules.schemas.ts';

type RuleRecord = Rule & { _id: Types.ObjectId; updatedAt: Date };
type Matcher = (text: string) => boolean;

/** Rules look at the start of a message only: bounded work per message whatever its length. */
export const RULE_TEXT_LIMIT = 2000;
const CACHE_MS = 5000;

export interface MessageMatch {
  tags: string[];
  needs: string[];
  reply: { ruleId: string; template: ReplyTemplate } | null;
}

interface CompiledRules {
  tagging: Array<{ matches: Matcher; tags: string[] }>;
  replies: Array<{ ruleId: string; matches: Matcher; template: ReplyTemplate }>;
  needs: string[];
  welcome: { ruleId: string; template: ReplyTemplate } | null;
}

function matcherFor(rule: Pick<Rule, 'keywords' | 'regex'>): Matcher {
  if (rule.regex) {
    const regex = new RegExp(rule.regex, 'iu');
    return (text) => regex.test(text);
  }
  const keywords = (rule.keywords ?? []).map((keyword) => keyword.toLowerCase());
  return (text) => keywords.some((keyword) => text.includes(keyword));
}

function toDto(doc: RuleRecord): RuleDto {
  const match = doc.kind === 'auto_tag' || doc.kind === 'auto_reply' ? (doc.regex ? { regex: doc.regex } : { keywords: doc.keywords ?? [] }) : undefined;
  return {
    id: String(doc._id),
    kind: doc.kind,
    name: doc.name,
    enabled: doc.enabled ?? true,
    priority: doc.priority ?? 100,
    ...(match ? { match } : {}),
    ...(doc.tags ? { tags: doc.tags } : {}),
    ...(doc.reply ? { reply: doc.reply } : {}),
    ...(doc.kind === 'need' ? { keywords: doc.keywords ?? [] } : {}),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

/** Refuses what would fail or hang at run time, naming the field. */
function checkRule(input: RuleInput): void {
  if ('match' in input && 'regex' in input.match) {
    const reason = unsafeRegexReason(input.match.regex);
    if (reason) throw new DomainError('VALIDATION_FAILED', `regex ${reason}`, [{ path: '/body/match/regex', message: reason }]);
  }
  if ('reply' in input) {
    try {
      compileReplyTemplate(input.reply);
    } catch (error) {
      throw new DomainError('VALIDATION_FAILED', 'reply template not usable', [{ path: '/body/reply', message: (error as Error).message }]);
    }
  }
}

function toFields(input: RuleInput) {
  const match = 'match' in input ? input.match : undefined;
  return {
    name: input.name,
    kind: input.kind,
    enabled: input.enabled ?? true,
    priority: input.priority ?? 100,
    keywords: match && 'keywords' in match ? match.keywords : 'keywords' in input ? input.keywords : undefined,
    regex: match && 'regex' in match ? match.regex : undefined,
    tags: 'tags' in input ? input.tags : undefined,
    reply: 'reply' in input ? input.reply : undefined,
  };
}

/** Operators' chat rules: auto-tagging, auto-replies, the welcome message and need keywords. */
export function createRulesService({ Rule }: BotModels) {
  let cache: { rules: CompiledRules; until: number } | null = null;

  async function list(): Promise<RuleDto[]> {
    const rows = (await Rule.find().sort({ kind: 1, priority: 1, _id: 1 }).lean()) as RuleRecord[];
    return rows.map(toDto);
  }

  async function create(input: RuleInput): Promise<RuleDto> {
    checkRule(input);
    const doc = await Rule.create(toFields(input));
    cache = null;
    return toDto(doc.toObject() as RuleRecord);
  }

  async function replace(id: string, input: RuleInput): Promise<RuleDto | null> {
    checkRule(input);
    const fields = toFields(input);
    const set = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    const unset = Object.fromEntries(Object.entries(fields).filter(([, value]) => value === undefined).map(([key]) => [key, 1]));
    const doc = (await Rule.findOneAndUpdate({ _id: id }, { $set: set, $unset: unset }, { returnDocument: 'after' }).lean()) as RuleRecord | null;
    cache = null;
    return doc ? toDto(doc) : null;
  }

  async function remove(id: string): Promise<boolean> {
    const result = await Rule.deleteOne({ _id: id });
    cache = null;
    return result.deletedCount === 1;
  }

  async function compiled(): Promise<CompiledRules> {
    if (cache && cache.until > Date.now()) return cache.rules;
    const rows = (await Rule.find({ enabled: true }).sort({ priority: 1, _id: 1 }).lean()) as RuleRecord[];
    const rules: CompiledRules = { tagging: [], replies: [], needs: [], welcome: null };
    for (const row of rows) {
      if (row.kind === 'auto_tag') rules.tagging.push({ matches: matcherFor(row), tags: row.tags ?? [] });
      if (row.kind === 'auto_reply') rules.replies.push({ ruleId: String(row._id), matches: matcherFor(row), template: compileReplyTemplate(row.reply ?? '') });
      if (row.kind === 'need') rules.needs.push(...(row.keywords ?? []));
      if (row.kind === 'welcome' && !rules.welcome) rules.welcome = { ruleId: String(row._id), template: compileReplyTemplate(row.reply ?? '') };
    }
    rules.needs = [...new Set(rules.needs)];
    cache = { rules, until: Date.now() + CACHE_MS };
    return rules;
  }

  async function matchMessage(fullText: string): Promise<MessageMatch> {
    const rules = await compiled();
    const text = fullText.slice(0, RULE_TEXT_LIMIT).toLowerCase();
    const tags = [...new Set(rules.tagging.filter((rule) => rule.matches(text)).flatMap((rule) => rule.tags))];
    const needs = rules.needs.filter((keyword) => text.includes(keyword.toLowerCase()));
    const reply = rules.replies.find((rule) => rule.matches(text)) ?? null;
    return { tags, needs, reply: reply ? { ruleId: reply.ruleId, template: reply.template } : null };
  }

  async function welcome() {
    return (await compiled()).welcome;
  }

  return { list, create, replace, remove, matchMessage, welcome };
}

export type RulesService = ReturnType<typeof createRulesService>;
