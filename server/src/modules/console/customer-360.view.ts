import type { Layer } from '../../../../shared/src/customer.ts';
import type { toCustomerProfile } from '../customers/customer-dto.util.ts';
import type { InteractionService } from '../customers/interaction.service.ts';
import type { NotesService } from '../customers/notes.service.ts';
import type { Dictionary, Locale } from './console-i18n.ts';
import { formatDateTime } from './format-date-time.util.ts';

type Profile = ReturnType<typeof toCustomerProfile>;
type TimelinePage = Awaited<ReturnType<InteractionService['page']>>;
type Note = Awaited<ReturnType<NotesService['listNotes']>>[number];
type Reminder = Awaited<ReturnType<NotesService['listReminders']>>[number];

const BLANK = '—';

export interface Customer360Input {
  profile: Profile;
  timeline: TimelinePage;
  notes: Note[];
  reminders: Reminder[];
  allowed: { tags: boolean; notes: boolean; reminders: boolean };
  t: Dictionary;
  locale: Locale;
  timeZone: string;
  now: Date;
}

/** Mirrored by timelineText() in assets/console.js for the entries "load more" fetches. */
function timelineText(item: TimelinePage['items'][number], t: Dictionary): string {
  const data = item.data as { from?: string; to?: string } | null;
  if (item.type === 'layer_changed' && data?.from && data.to) {
    return `${t.layers[data.from as Layer] ?? data.from} → ${t.layers[data.to as Layer] ?? data.to}`;
  }
  return item.summary ?? '';
}

function profileFields(profile: Profile, t: Dictionary, when: (iso: string | null) => string | null) {
  const fields = [
    { key: 'name', label: t.customer.name, value: profile.name },
    { key: 'nickname', label: t.customer.nickname, value: profile.nickname },
    { key: 'phone', label: t.customer.phone, value: profile.phone },
    { key: 'gender', label: t.customer.gender, value: t.genders[profile.gender as keyof Dictionary['genders']] },
    { key: 'region', label: t.customer.region, value: [profile.region.province, profile.region.city].filter(Boolean).join(' ') },
    { key: 'birthday', label: t.customer.birthday, value: profile.birthday },
    { key: 'remark', label: t.customer.remark, value: profile.remark },
    { key: 'source', label: t.customer.source, value: profile.source.channel },
    { key: 'createdAt', label: t.customer.createdAt, value: when(profile.createdAt) },
    { key: 'lastActive', label: t.customer.lastActive, value: when(profile.lastActiveAt) },
  ];
  return fields.map((field) => ({ ...field, value: field.value || BLANK }));
}

/** Most asked first; bar lengths relative to the most asked keyword. */
function needBars(needs: Profile['needs'], t: Dictionary) {
  const rows = Object.entries(needs).sort(([, a], [, b]) => b - a);
  const largest = rows[0]?.[1] ?? 0;
  return rows.map(([keyword, count]) => ({
    keyword,
    count: t.customer.needCount.replace('{count}', String(count)),
    percent: largest ? Math.round((count / largest) * 1000) / 10 : 0,
  }));
}

export function customer360View({ profile, timeline, notes, reminders, allowed, t, locale, timeZone, now }: Customer360Input) {
  const when = (iso: string | null) => formatDateTime(iso, locale, timeZone);
  const displayName = profile.name ?? profile.nickname ?? t.list.noName;
  return {
    title: displayName,
    customer: {
      id: profile.id,
      displayName,
      initial: [...displayName][0],
      avatarUrl: profile.avatarUrl,
      layer: profile.layer,
      layerLabel: t.layers[profile.layer as Layer] ?? profile.layer,
      lifecycle: profile.lifecycle,
      lifecycleLabel: t.lifecycle[profile.lifecycle],
      tags: profile.tags,
      lost: profile.lost ? { label: t.customer.lost, detail: t.customer.lostSince.replace('{date}', when(profile.lost.at) ?? '') } : null,
    },
    needs: needBars(profile.needs, t),
    fields: profileFields(profile, t, when),
    timeZone,
    timeline: {
      items: timeline.items.map((item) => ({ type: item.type, label: t.interactions[item.type as keyof Dictionary['interactions']] ?? item.type, text: timelineText(item, t), at: when(item.at) })),
      nextCursor: timeline.nextCursor,
    },
    notes: notes.map((note) => ({ body: note.body, authorName: note.authorName, at: when(note.createdAt) })),
    reminders: reminders.map((reminder) => ({
      id: reminder.id,
      title: reminder.title,
      due: when(reminder.dueAt),
      done: reminder.done,
      overdue: !reminder.done && new Date(reminder.dueAt) < now,
    })),
    allowed,
  };
}
