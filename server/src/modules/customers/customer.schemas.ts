import { Type } from 'typebox';
import { CONSENT_CHANNELS, GENDERS, LAYERS, LIFECYCLE_STAGES } from '../../../../shared/src/customer.ts';
import { IsoDateTime, LocalDate, ObjectIdString, StrictObject } from '../../../../shared/src/schema.ts';
import { INTERACTION_TYPES } from './interaction.model.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
export const TagName = Type.String({ minLength: 1, maxLength: 30, pattern: '^[^$.\\u0000]+$' });
const ShortText = (maxLength: number) => Type.String({ maxLength });

export const IdParams = StrictObject({ id: ObjectIdString });

/** The whitelisted customer filters, shared by the list, bulk tagging and export. */
const FILTER_FIELDS = {
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  tags: Type.Optional(Type.Array(TagName, { maxItems: 10 })),
  layer: Type.Optional(Type.Array(Type.Enum(LAYERS), { maxItems: LAYERS.length })),
  lifecycle: Type.Optional(Type.Enum(LIFECYCLE_STAGES)),
  province: Type.Optional(ShortText(30)),
  city: Type.Optional(ShortText(30)),
  createdFrom: Type.Optional(IsoDateTime),
  createdTo: Type.Optional(IsoDateTime),
  activeFrom: Type.Optional(IsoDateTime),
  activeTo: Type.Optional(IsoDateTime),
};

export const ListQuery = StrictObject({
  ...FILTER_FIELDS,
  sort: Type.Enum(['newest', 'oldest', 'lastActive'], { default: 'newest' }),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});

export const FilterBody = StrictObject(FILTER_FIELDS);

const RegionSchema = Type.Object({
  country: Type.Optional(Type.String()),
  province: Type.Optional(Type.String()),
  city: Type.Optional(Type.String()),
});

export const CustomerSummary = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  nickname: Nullable(Type.String()),
  avatarUrl: Nullable(Type.String()),
  gender: Type.String(),
  region: RegionSchema,
  phone: Nullable(Type.String()),
  layer: Type.String(),
  lifecycle: Type.String(),
  tags: Type.Array(Type.String()),
  lastActiveAt: Nullable(Type.String()),
  createdAt: Type.String(),
});

export const CustomerProfile = Type.Object({
  ...CustomerSummary.properties,
  remark: Nullable(Type.String()),
  birthday: Nullable(Type.String()),
  unionId: Nullable(Type.String()),
  source: Type.Object({
    channel: Type.Optional(Type.String()),
    qrScene: Type.Optional(Type.String()),
    referrerId: Type.Optional(Type.String()),
  }),
  identities: Type.Array(Type.Object({ type: Type.String(), accountId: Type.String(), externalId: Type.String() })),
  consents: Type.Array(
    Type.Object({ channel: Type.String(), status: Type.String(), at: Type.String(), method: Type.String(), wordingVersion: Type.String() }),
  ),
  /** 需求关键字: how often the person asked about each need keyword. */
  needs: Type.Record(Type.String(), Type.Integer()),
  /** 流失: when the person deleted the brand account, and on which bot account. */
  lost: Nullable(Type.Object({ at: Type.String(), botAccountId: Type.String() })),
  updatedAt: Type.String(),
});

export const CustomerList = Type.Object({ items: Type.Array(CustomerSummary), nextCursor: Nullable(Type.String()) });

export const InteractionSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  at: Type.String(),
  channel: Nullable(Type.String()),
  summary: Nullable(Type.String()),
  data: Type.Unknown(),
});
export const InteractionPage = Type.Object({ items: Type.Array(InteractionSchema), nextCursor: Nullable(Type.String()) });

export const NoteSchema = Type.Object({ id: Type.String(), body: Type.String(), authorName: Type.String(), createdAt: Type.String() });
export const ReminderSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  dueAt: Type.String(),
  assigneeId: Type.String(),
  done: Type.Boolean(),
  doneAt: Nullable(Type.String()),
});

export const Profile360 = Type.Object({
  customer: CustomerProfile,
  timeline: InteractionPage,
  notes: Type.Array(NoteSchema),
  reminders: Type.Array(ReminderSchema),
  tagGroups: Type.Record(Type.String(), Type.String()),
});

export const UpdateCustomerBody = StrictObject(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    nickname: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    remark: Type.Optional(Type.String({ maxLength: 200 })),
    avatarUrl: Type.Optional(Type.String({ maxLength: 500, pattern: '^https://' })),
    gender: Type.Optional(Type.Enum(GENDERS)),
    region: Type.Optional(
      StrictObject({ country: Type.Optional(ShortText(30)), province: Type.Optional(ShortText(30)), city: Type.Optional(ShortText(30)) }),
    ),
    phone: Type.Optional(Type.String({ minLength: 5, maxLength: 20, pattern: '^[+\\d\\s()-]+$' })),
    birthday: Type.Optional(LocalDate),
    source: Type.Optional(StrictObject({ channel: Type.Optional(ShortText(30)), qrScene: Type.Optional(ShortText(64)) })),
  },
  { minProperties: 1 },
);

export const TagsBody = StrictObject({ tags: Type.Array(TagName, { minItems: 1, maxItems: 20 }), group: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })) });
export const BulkTagsBody = StrictObject({
  filter: FilterBody,
  add: Type.Optional(Type.Array(TagName, { maxItems: 20 })),
  remove: Type.Optional(Type.Array(TagName, { maxItems: 20 })),
});

export const ConsentBody = StrictObject({
  channel: Type.Enum(CONSENT_CHANNELS),
  status: Type.Enum(['granted', 'withdrawn']),
  method: Type.String({ minLength: 1, maxLength: 60 }),
  wordingVersion: Type.String({ minLength: 1, maxLength: 30 }),
});

export const NoteBody = StrictObject({ body: Type.String({ minLength: 1, maxLength: 2000 }) });
export const ReminderBody = StrictObject({
  title: Type.String({ minLength: 1, maxLength: 200 }),
  dueAt: IsoDateTime,
  assigneeId: Type.Optional(ObjectIdString),
});
export const ReminderParams = StrictObject({ id: ObjectIdString, reminderId: ObjectIdString });
export const MergeBody = StrictObject({ sourceId: ObjectIdString });
export const TimelineQuery = StrictObject({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  type: Type.Optional(Type.Enum(INTERACTION_TYPES)),
});
