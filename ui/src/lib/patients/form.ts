// The registration and edit form as plain data: an empty form, a copy to edit, what is sent,
// when there is enough to look for duplicates, and the input each field's errors go under. Rust
// validates everything; nothing here decides whether a record is valid.
import type { PatientFormView, PatientStatus, PhoneKind, PhoneView, Sex } from '../../generated/bindings';
import { normaliseFieldName } from '../forms/fieldErrors';

/** One of a Rust enum's codes, with its words. */
export interface Choice<T extends string> {
  value: T;
  label: string;
}

export const PHONE_KINDS: readonly Choice<PhoneKind>[] = [
  { value: 'mobile', label: 'Mobile' },
  { value: 'home', label: 'Home' },
  { value: 'work', label: 'Work' },
  { value: 'other', label: 'Other' },
];

export const SEX_CHOICES: readonly Choice<Sex>[] = [
  { value: 'unknown', label: 'Unknown' },
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'intersex', label: 'Intersex' },
];

export const STATUS_CHOICES: readonly Choice<PatientStatus>[] = [
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Inactive' },
  { value: 'deceased', label: 'Deceased' },
];

/** At most this many phone numbers (Rust refuses more). */
export const MAX_PHONES = 5;

/** Every field Rust may name in an error about the form, in the order the form shows them. */
export const FORM_FIELDS = [
  'family_name',
  'given_names',
  'preferred_name',
  'date_of_birth',
  'sex',
  'gender_identity',
  'phones',
  'email',
  'address.line1',
  'address.line2',
  'address.postal_code',
  'address.city',
  'address.region',
  'address.country',
  'emergency_contact.name',
  'emergency_contact.relationship',
  'emergency_contact.phone',
  'insurance.payer',
  'insurance.member_id',
  'front_desk_note',
  'status',
  'deceased_on',
] as const;

export type FormField = (typeof FORM_FIELDS)[number];

export function emptyPhone(kind: PhoneKind = 'mobile'): PhoneView {
  return { kind, number: '' };
}

export function emptyPatientForm(): PatientFormView {
  return {
    familyName: '',
    givenNames: '',
    preferredName: '',
    dateOfBirth: '',
    sex: 'unknown',
    genderIdentity: '',
    phones: [emptyPhone()],
    email: '',
    address: { line1: '', line2: '', city: '', region: '', postalCode: '', country: '' },
    emergencyContact: { name: '', relationship: '', phone: '' },
    insurance: { payer: '', memberId: '' },
    frontDeskNote: '',
    status: 'active',
    deceasedOn: '',
  };
}

/** A copy of a record's form to edit, with a phone row to type into when it has none. */
export function formForEditing(form: PatientFormView): PatientFormView {
  const copy: PatientFormView = {
    ...form,
    phones: form.phones.map((phone) => ({ ...phone })),
    address: { ...form.address },
    emergencyContact: { ...form.emergencyContact },
    insurance: { ...form.insurance },
  };
  if (copy.phones.length === 0) {
    copy.phones.push(emptyPhone());
  }
  return copy;
}

/**
 * What is sent: a copy without empty phone rows, and without a date of death unless the status
 * is deceased (its field is hidden then, so what was typed there earlier is not meant).
 */
export function formToSend(form: PatientFormView): PatientFormView {
  const copy = formForEditing(form);
  copy.phones = copy.phones.filter((phone) => phone.number.trim() !== '');
  if (copy.status !== 'deceased') {
    copy.deceasedOn = '';
  }
  return copy;
}

/** A whole date as people type one: 1984-03-07, 07/03/1984, 7.3.1984 (not 07/03/19 yet). */
export function looksLikeFullDate(text: string): boolean {
  const trimmed = text.trim();
  return /^\d{4}-\d{1,2}-\d{1,2}$/.test(trimmed) || /^\d{1,2}[./-]\d{1,2}[./-]\d{4}$/.test(trimmed);
}

const digitsOf = (text: string) => text.replace(/\D/g, '');

/**
 * What the duplicate check would look at, as a key, once there is enough for it: the family name
 * with a whole date of birth, or a phone number of at least 6 digits. Null until then. The form
 * asks Rust only when this key changes, since every check is an audited search.
 */
export function duplicateProbe(form: PatientFormView): string | null {
  const family = form.familyName.trim().toLowerCase();
  const born = form.dateOfBirth.trim();
  const phones = form.phones.map((phone) => digitsOf(phone.number)).filter((digits) => digits.length >= 6);
  const named = family !== '' && looksLikeFullDate(born);
  if (!named && phones.length === 0) {
    return null;
  }
  return JSON.stringify([family, form.givenNames.trim().toLowerCase(), named ? born : '', phones]);
}

/** The messages under the form's fields, by FORM_FIELDS name (see FormState's `errors`). */
export type FormErrors = Partial<Record<string, string>>;

/** The id of the input for `field` (the first phone number for "phones"). */
export function inputIdOf(prefix: string, field: string): string {
  if (normaliseFieldName(field) === 'phones') {
    return `${prefix}-phone-0`;
  }
  return `${prefix}-${field.replace(/[._]/g, '-')}`;
}

/** Each field of the form with its input's id under `prefix`, in the order the form shows them. */
export function formFieldsOf(prefix: string): Record<FormField, string> {
  return Object.fromEntries(FORM_FIELDS.map((field) => [field, inputIdOf(prefix, field)])) as Record<FormField, string>;
}
