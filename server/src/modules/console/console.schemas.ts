import { Type, type TSchema } from 'typebox';
import { LAYERS, LIFECYCLE_STAGES } from '../../../../shared/src/customer.ts';
import { ObjectIdString, StrictObject } from '../../../../shared/src/schema.ts';
import { TagName } from '../customers/customer.schemas.ts';
import { EmailSchema } from '../staff/staff.schemas.ts';
import { LOCALES } from './console-i18n.ts';

// An HTML form submits its empty fields as empty strings: "" means "no filter".
const OrBlank = <T extends TSchema>(schema: T) => Type.Union([Type.Literal(''), schema]);
const Lang = { lang: Type.Optional(Type.Enum(LOCALES)) };

export const LIST_SORTS = ['newest', 'oldest', 'lastActive'] as const;

export const PageQuery = StrictObject(Lang);

export const NOTICES = ['saved', 'deleted', 'created'] as const;
/** A page that a save reloads: `?notice=saved` shows the confirmation once. */
export const NoticeQuery = StrictObject({ notice: Type.Optional(Type.Enum(NOTICES)), ...Lang });

export const CustomerListQuery = StrictObject({
  q: Type.Optional(Type.String({ maxLength: 60 })),
  tag: Type.Optional(OrBlank(TagName)),
  layer: Type.Optional(OrBlank(Type.Enum(LAYERS))),
  lifecycle: Type.Optional(OrBlank(Type.Enum(LIFECYCLE_STAGES))),
  province: Type.Optional(Type.String({ maxLength: 30 })),
  sort: Type.Enum(LIST_SORTS, { default: 'newest' }),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  ...Lang,
});

const Cursor = Type.Optional(Type.String({ maxLength: 200 }));
export const RewardsPageQuery = StrictObject({ cursor: Cursor, notice: Type.Optional(Type.Enum(NOTICES)), ...Lang });
export const RedemptionsPageQuery = StrictObject({ status: Type.Optional(OrBlank(Type.Enum(['reserving', 'charging', 'issued', 'failed']))), cursor: Cursor, ...Lang });

export const CustomerPageParams = StrictObject({ id: ObjectIdString });
export const IdPageParams = StrictObject({ id: ObjectIdString });
export const MemberPageParams = StrictObject({ customerId: ObjectIdString });

export const LoginForm = StrictObject({ email: EmailSchema, password: Type.String({ minLength: 1, maxLength: 200 }) });

export const PAGE_SCRIPTS = ['customer-page.js', 'bots-page.js', 'rules-page.js', 'loyalty-settings-page.js', 'member-page.js', 'rewards-page.js', 'redemptions-page.js'] as const;
export type PageScript = (typeof PAGE_SCRIPTS)[number];
export const ASSET_NAMES = ['console.js', 'console.css', ...PAGE_SCRIPTS] as const;
export type AssetName = (typeof ASSET_NAMES)[number];

export const AssetParams = StrictObject({ name: Type.Enum(ASSET_NAMES) });
export const AssetQuery = StrictObject({ v: Type.Optional(Type.String({ maxLength: 32 })) });

export const HtmlPage = { content: { 'text/html': { schema: Type.String() } } };
