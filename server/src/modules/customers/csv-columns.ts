import type { Gender } from '../../../../shared/src/customer.ts';
import { DomainError, type FieldError } from '../../lib/errors.ts';
import { normalizePhone } from './phone.util.ts';

export const IMPORT_FIELDS = ['name', 'nickname', 'phone', 'gender', 'province', 'city', 'birthday', 'tags', 'remark', 'externalId', 'source'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/**
 * Header aliases, lower-cased without spaces, underscores or dashes (external_id, External ID). Columns our own
 * export writes but an import cannot set (ID, layer, lifecycle, dates) map to null and are skipped, so an
 * exported file imports back unchanged.
 */
const HEADER_ALIASES: Record<string, ImportField | null> = {
  姓名: 'name', name: 'name',
  昵称: 'nickname', nickname: 'nickname',
  手机: 'phone', 手机号: 'phone', phone: 'phone', mobile: 'phone',
  性别: 'gender', gender: 'gender',
  省份: 'province', province: 'province',
  城市: 'city', city: 'city',
  生日: 'birthday', birthday: 'birthday',
  标签: 'tags', tags: 'tags',
  备注: 'remark', remark: 'remark',
  外部id: 'externalId', externalid: 'externalId',
  来源: 'source', source: 'source',
  id: null, 关系层级: null, layer: null, 生命周期: null, lifecycle: null, 最近活跃: null, 创建时间: null,
};

/** The field a header names, null for a column to skip, undefined for a header we do not know. */
function importFieldFor(header: string): ImportField | null | undefined {
  const key = header.toLowerCase().replace(/[\s_-]/g, '');
  return Object.hasOwn(HEADER_ALIASES, key) ? HEADER_ALIASES[key] : undefined;
}

/** Maps the header row to fields; unknown, duplicate or missing identity columns reject the whole file. */
export function readHeader(headers: string[]): (ImportField | null)[] {
  const seen = new Set<ImportField>();
  const errors: FieldError[] = [];
  const fields = headers.map((header) => {
    // Spreadsheets often leave empty trailing header cells; they carry no data.
    if (!header) return null;
    const field = importFieldFor(header);
    if (field === undefined) errors.push({ path: `/body/${header}`, message: `unknown column ${header}` });
    else if (field && seen.has(field)) errors.push({ path: `/body/${header}`, message: `column ${header} appears twice` });
    if (field) seen.add(field);
    return field ?? null;
  });
  if (!seen.has('phone') && !seen.has('externalId')) {
    errors.push({ path: '/body/手机号', message: 'a phone (手机号) or external id (外部ID) column is required' });
  }
  if (errors.length) throw new DomainError('VALIDATION_FAILED', errors.map((error) => error.message).join('; '), errors);
  return fields;
}


export const EXPORT_HEADERS = ['姓名', '昵称', '手机号', '性别', '省份', '城市', '生日', '标签', '关系层级', '生命周期', '最近活跃', '创建时间', 'ID'];

const GENDER_WORDS: Record<string, Gender> = { 男: 'male', male: 'male', m: 'male', 女: 'female', female: 'female', f: 'female', 未知: 'unknown', unknown: 'unknown' };
const PROFILE_PATHS: Partial<Record<ImportField, string>> = { name: 'name', nickname: 'nickname', remark: 'remark', province: 'region.province', city: 'region.city' };
const MAX_LENGTH: Partial<Record<ImportField, number>> = { name: 60, nickname: 60, remark: 200, province: 30, city: 30, source: 30, externalId: 100 };
const TAG_SEPARATORS = /[|;；，,]/;
const TAG_PATTERN = /^[^$.\u0000]{1,30}$/;

export interface ImportRow {
  identity: { type: 'import'; accountId: 'csv' | 'phone'; externalId: string };
  /** Set only when the file gave the field a value: an empty cell never blanks a stored one. */
  set: Record<string, string>;
  tags: string[];
  phone?: string;
  source?: string;
}

export interface CellError {
  field: ImportField;
  message: string;
}

/** Our export prefixes formula-like cells with an apostrophe; take it off again on the way in. */
const unescapeFormula = (value: string) => (/^'[=+\-@]/.test(value) ? value.slice(1) : value);

function validBirthday(raw: string): string | null {
  const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(raw);
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${match[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Turns one row's cells into the customer fields it sets, or the reasons it cannot be imported. */
export function toImportRow(cells: Partial<Record<ImportField, string>>): { row: ImportRow } | { errors: CellError[] } {
  const value = (field: ImportField) => unescapeFormula(cells[field] ?? '').trim();
  const errors: CellError[] = [];
  const set: Record<string, string> = {};
  for (const [field, max] of Object.entries(MAX_LENGTH) as [ImportField, number][]) {
    if (value(field).length > max) errors.push({ field, message: `longer than ${max} characters` });
  }
  for (const [field, path] of Object.entries(PROFILE_PATHS) as [ImportField, string][]) {
    if (value(field)) set[path] = value(field);
  }
  const rawPhone = value('phone');
  const phone = rawPhone ? normalizePhone(rawPhone) : null;
  if (rawPhone && !phone) errors.push({ field: 'phone', message: 'not a phone number' });
  if (phone) set.phone = phone;
  const rawGender = value('gender');
  if (rawGender) {
    const gender = GENDER_WORDS[rawGender.toLowerCase()];
    if (gender) set.gender = gender;
    else errors.push({ field: 'gender', message: 'use 男, 女, 未知 or male, female, unknown' });
  }
  const rawBirthday = value('birthday');
  if (rawBirthday) {
    const birthday = validBirthday(rawBirthday);
    if (birthday) set.birthday = birthday;
    else errors.push({ field: 'birthday', message: 'not a date in the form YYYY-MM-DD' });
  }
  const tags = [...new Set(value('tags').split(TAG_SEPARATORS).map((tag) => tag.trim()).filter(Boolean))];
  if (tags.some((tag) => !TAG_PATTERN.test(tag))) errors.push({ field: 'tags', message: 'a tag has more than 30 characters or contains $ or .' });
  const externalId = value('externalId');
  if (!externalId && !rawPhone) errors.push({ field: 'phone', message: 'needs an external id or a phone number' });
  if (errors.length) return { errors };
  const identity = externalId
    ? { type: 'import' as const, accountId: 'csv' as const, externalId }
    : { type: 'import' as const, accountId: 'phone' as const, externalId: phone! };
  return { row: { identity, set, tags, phone: phone ?? undefined, source: value('source') || undefined } };
}
