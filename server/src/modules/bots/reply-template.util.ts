import Handlebars from 'handlebars';

export const TEMPLATE_VARIABLES = ['nickname', 'name', 'remark', 'brandName'] as const;
export type TemplateVariables = Record<(typeof TEMPLATE_VARIABLES)[number], string>;
export type ReplyTemplate = (variables: TemplateVariables) => string;

// An environment of its own: nothing another feature registers (helpers, partials) reaches operators' templates.
const handlebars = Handlebars.create();
const SAMPLE: TemplateVariables = { nickname: 'x', name: 'x', remark: 'x', brandName: 'x' };

/**
 * Compiles an operator's reply template. Strict: a variable that is not offered is an error at save time (the
 * sample render below), never an empty gap in a message a customer reads. No HTML escaping: the result is a
 * WeChat text message, where `&amp;` would show literally; pages that display it escape it themselves.
 * Throws with the reason when the template is not usable.
 */
export function compileReplyTemplate(source: string): ReplyTemplate {
  const template = handlebars.compile<TemplateVariables>(source, { strict: true, noEscape: true, knownHelpersOnly: true });
  try {
    template(SAMPLE);
  } catch (error) {
    const message = (error as Error).message.replace(/\s*\n\s*/g, ' ').slice(0, 200);
    const unknown = /^"(.+)" not defined/.exec(message);
    throw new Error(unknown ? `uses {{${unknown[1]}}}; offered: ${TEMPLATE_VARIABLES.join(', ')}` : message);
  }
  return (variables) => template(variables);
}
