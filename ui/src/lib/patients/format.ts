// How patients read on screen: names, dates in the practice's order, ages, statuses, duplicate
// signs, and the fields History names.
import type { PatientFormView, PatientStatus, PhoneKind, Sex } from '../../generated/bindings';
import type { DateOrder } from '../api/frontDesk';
import { type Choice, PHONE_KINDS, SEX_CHOICES, STATUS_CHOICES } from './form';

interface Names {
  familyName: string;
  givenNames: string;
  preferredName: string;
}

/** "Müller, Anna (Annie)": family, given; the preferred name in brackets when there is one. */
export function patientName({ familyName, givenNames, preferredName }: Names): string {
  const family = familyName.trim();
  const given = givenNames.trim();
  const preferred = preferredName.trim();
  const name = given === '' ? family : `${family}, ${given}`;
  return preferred === '' || preferred === given ? name : `${name} (${preferred})`;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** "1984-03-07" as 07/03/1984 (day first) or 03/07/1984 (month first); other text as it is. */
export function formatDate(iso: string | null | undefined, order: DateOrder): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  if (match === null) {
    return iso ?? '';
  }
  const [, year, month, day] = match;
  return order === 'mdy' ? `${month}/${day}/${year}` : `${day}/${month}/${year}`;
}

/** An example date in the practice's order, for placeholders and hints. */
export function datePlaceholder(order: DateOrder): string {
  return order === 'mdy' ? '03/07/1984' : '07/03/1984';
}

/** The local calendar day of a stored instant, in the practice's order. */
export function formatInstantDate(instant: string | null | undefined, order: DateOrder): string {
  if (!instant) {
    return '';
  }
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) {
    return instant;
  }
  return formatDate(`${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`, order);
}

/** "09:05" on this PC's clock, 24-hour. */
export function clockTime(instant: string): string {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) {
    return instant;
  }
  return `${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** "25/11/2026 10:42" on this PC's clock. */
export function formatInstant(instant: string, order: DateOrder): string {
  return `${formatInstantDate(instant, order)} ${clockTime(instant)}`;
}

export function ageText(age: number | null | undefined): string {
  if (age === null || age === undefined) {
    return '';
  }
  if (age < 1) {
    return 'under 1 year';
  }
  return age === 1 ? '1 year' : `${age} years`;
}

function labelOf<T extends string>(choices: readonly Choice<T>[], value: T): string {
  return choices.find((choice) => choice.value === value)?.label ?? value;
}

export function statusLabel(status: PatientStatus): string {
  return labelOf(STATUS_CHOICES, status);
}

export function sexLabel(sex: Sex): string {
  return labelOf(SEX_CHOICES, sex);
}

export function phoneKindLabel(kind: PhoneKind): string {
  return labelOf(PHONE_KINDS, kind);
}

const SIGNS: Record<string, string> = {
  same_date_of_birth_similar_name: 'Same date of birth, similar name',
  names_transposed: 'Given and family names swapped',
  day_and_month_swapped: 'Day and month of birth swapped',
  same_phone: 'Same phone number',
};

/** Why a record looks like the person being registered, in words. */
export function duplicateSignText(sign: string): string {
  return SIGNS[sign] ?? sign.replace(/_/g, ' ');
}

const FIELD_LABELS: Record<string, string> = {
  family_name: 'Family name',
  given_names: 'Given names',
  preferred_name: 'Preferred name',
  date_of_birth: 'Date of birth',
  sex: 'Sex',
  gender_identity: 'Gender identity',
  phones: 'Phone numbers',
  email: 'Email',
  address: 'Address',
  emergency_contact: 'Emergency contact',
  insurance: 'Insurance',
  front_desk_note: 'Front desk note',
  status: 'Status',
  deceased_on: 'Date of death',
};

/** A field History names ("front_desk_note") in words ("Front desk note"). */
export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field.replace(/[._]/g, ' ');
}

const joined = (parts: string[], separator = ', ') => parts.map((part) => part.trim()).filter((part) => part !== '').join(separator);

/** The address on one line: "Hauptstraße 1, Flat 2, 1010 Vienna, Lower Austria, Austria". */
export function addressText(form: PatientFormView): string {
  const { line1, line2, postalCode, city, region, country } = form.address;
  return joined([line1, line2, joined([postalCode, city], ' '), region, country]);
}

export function phonesText(form: PatientFormView): string {
  return joined(form.phones.map((phone) => `${phone.number} (${phoneKindLabel(phone.kind).toLowerCase()})`));
}

export function emergencyContactText(form: PatientFormView): string {
  const { name, relationship, phone } = form.emergencyContact;
  const who = relationship.trim() === '' ? name : `${name} (${relationship})`;
  return joined([who, phone]);
}

export function insuranceText(form: PatientFormView): string {
  const { payer, memberId } = form.insurance;
  return joined([payer, memberId === '' ? '' : `member number ${memberId}`]);
}

/** One field of a version as text, for History; "" when not given. */
export function fieldValueText(form: PatientFormView, field: string, order: DateOrder): string {
  switch (field) {
    case 'family_name':
      return form.familyName;
    case 'given_names':
      return form.givenNames;
    case 'preferred_name':
      return form.preferredName;
    case 'date_of_birth':
      return formatDate(form.dateOfBirth, order);
    case 'sex':
      return sexLabel(form.sex);
    case 'gender_identity':
      return form.genderIdentity;
    case 'phones':
      return phonesText(form);
    case 'email':
      return form.email;
    case 'address':
      return addressText(form);
    case 'emergency_contact':
      return emergencyContactText(form);
    case 'insurance':
      return insuranceText(form);
    case 'front_desk_note':
      return form.frontDeskNote;
    case 'status':
      return statusLabel(form.status);
    case 'deceased_on':
      return formatDate(form.deceasedOn, order);
    default:
      return '';
  }
}
