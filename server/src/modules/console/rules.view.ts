import type { BotSettings } from '../bots/bots.schemas.ts';
import type { RuleDto } from '../bots/rules.schemas.ts';
import type { Dictionary } from './console-i18n.ts';
import { RULE_KINDS, type RuleKind } from './rules.i18n.ts';

export interface RulesInput {
  rules: RuleDto[];
  /** Present only for roles that may change bot settings. */
  botSettings: BotSettings | null;
  t: Dictionary;
}

function condition(rule: RuleDto, t: Dictionary): string {
  if (rule.kind === 'welcome') return t.rules.newFriend;
  if (rule.match?.regex) return `/${rule.match.regex}/`;
  return (rule.match?.keywords ?? rule.keywords ?? []).join('、');
}

function ruleRow(rule: RuleDto, t: Dictionary) {
  const kind = rule.kind as RuleKind;
  return {
    id: rule.id,
    name: rule.name,
    kind,
    kindLabel: t.rules.kinds[kind],
    condition: condition(rule, t),
    isRegex: Boolean(rule.match?.regex),
    tags: kind === 'auto_tag' ? (rule.tags ?? []) : [],
    actionText: kind === 'need' ? t.rules.countNeed : (rule.reply ?? ''),
    enabled: rule.enabled,
    priority: rule.priority,
    // The edit form fills itself from this; Handlebars escapes it into the attribute.
    json: JSON.stringify(rule),
    deleteConfirm: t.rules.deleteConfirm.replace('{name}', rule.name),
  };
}

/** The settings form shows gaps in seconds; the API takes milliseconds (data-scale in the template). */
function settingsForm(settings: BotSettings) {
  const seconds = (ms: number) => ms / 1000;
  return {
    autoAcceptFriends: settings.autoAcceptFriends,
    replyGap: seconds(settings.throttle.replyMinGapMs),
    proactiveMin: seconds(settings.throttle.proactiveMinGapMs),
    proactiveMax: seconds(settings.throttle.proactiveMaxGapMs),
    dailyCap: settings.throttle.dailyCap,
    unanswered: settings.throttle.unansweredPerContactPerDay,
    autoReplyMax: settings.autoReply.maxPerContact,
    autoReplyWindow: settings.autoReply.windowMinutes,
  };
}

export function rulesView({ rules, botSettings, t }: RulesInput) {
  return {
    title: t.rules.title,
    rows: rules.map((rule) => ruleRow(rule, t)),
    kinds: RULE_KINDS.map((kind) => ({ value: kind, label: t.rules.kinds[kind] })),
    settings: botSettings ? settingsForm(botSettings) : null,
  };
}

export const rulesClientData = (t: Dictionary) => ({ newRule: t.rules.newRule, editRule: t.rules.editRule });
