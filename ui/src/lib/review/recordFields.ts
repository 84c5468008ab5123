// A patient record's fields in words, for the screens that show records without editing them:
// the import preview and its problems, the merge comparison and History. The Rust side names
// fields by code ("date_of_birth", "address.city"); these are the words for them.
import type { PatientFormView, PatientSummaryView } from '../../generated/bindings';
import { sexLabel, statusLabel } from '../patients/format';
import { humaniseCode } from '../audit/format';

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
  'address.line1': 'Street address',
  'address.line2': 'Address, second line',
  'address.city': 'Town or city',
  'address.region': 'Region',
  'address.postal_code': 'Postal code',
  'address.country': 'Country',
  emergency_contact: 'Emergency contact',
  'emergency_contact.name': "Emergency contact's name",
  'emergency_contact.relationship': "Emergency contact's relationship",
  'emergency_contact.phone': "Emergency contact's phone",
  insurance: 'Insurance',
  'insurance.payer': 'Insurer',
  'insurance.member_id': 'Member number',
  front_desk_note: 'Front-desk note',
  status: 'Status',
  deceased_on: 'Date of death',
  file: 'File',
  mapping: 'Columns',
};

/** "address.city" as "Town or city"; a code without words of its own as "Some code". */
export function fieldLabel(code: string): string {
  const trimmed = code.trim();
  return FIELD_LABELS[trimmed] ?? humaniseCode(trimmed.replace(/\./g, ' '));
}

/** A day written "1984-03-07" as "7 Mar 1984" (in this PC's language); other text as it is. */
export function formatDay(day: string, locale?: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (match === null) {
    return day.trim();
  }
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (date.getMonth() !== Number(match[2]) - 1) {
    return day.trim();
  }
  return date.toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** "Family, Given" ("Family" alone without given names). */
export function displayName(person: { familyName: string; givenNames: string }): string {
  const given = person.givenNames.trim();
  return given === '' ? person.familyName.trim() : `${person.familyName.trim()}, ${given}`;
}

/** One line for a patient in a list: "Ortega, José · born 23 Nov 1941 · MRN 1000009". */
export function summaryLine(patient: PatientSummaryView): string {
  const parts = [displayName(patient)];
  if (patient.dateOfBirth !== '') {
    parts.push(`born ${formatDay(patient.dateOfBirth)}`);
  }
  parts.push(`MRN ${patient.mrn}`);
  return parts.join(' · ');
}

const joined = (parts: string[], separator = ', ') =>
  parts.map((part) => part.trim()).filter((part) => part !== '').join(separator);

export interface RecordRow {
  /** The field's code, as History names changed fields. */
  key: string;
  label: string;
  value: string;
}

/** Every field of a record as words, in the order the screens list them; "" when empty. */
export function formRows(form: PatientFormView): RecordRow[] {
  const contact = form.emergencyContact;
  const contactText = joined([
    contact.relationship.trim() === '' ? contact.name : `${contact.name.trim()} (${contact.relationship.trim()})`,
    contact.phone,
  ]);
  const insuranceText = joined([
    form.insurance.payer,
    form.insurance.memberId.trim() === '' ? '' : `member number ${form.insurance.memberId.trim()}`,
  ]);
  const address = form.address;
  return [
    { key: 'family_name', label: fieldLabel('family_name'), value: form.familyName.trim() },
    { key: 'given_names', label: fieldLabel('given_names'), value: form.givenNames.trim() },
    { key: 'preferred_name', label: fieldLabel('preferred_name'), value: form.preferredName.trim() },
    { key: 'date_of_birth', label: fieldLabel('date_of_birth'), value: formatDay(form.dateOfBirth) },
    { key: 'sex', label: fieldLabel('sex'), value: sexLabel(form.sex) },
    { key: 'gender_identity', label: fieldLabel('gender_identity'), value: form.genderIdentity.trim() },
    {
      key: 'phones',
      label: fieldLabel('phones'),
      value: joined(form.phones.filter((phone) => phone.number.trim() !== '').map((phone) => `${phone.number.trim()} (${phone.kind})`)),
    },
    { key: 'email', label: fieldLabel('email'), value: form.email.trim() },
    {
      key: 'address',
      label: fieldLabel('address'),
      value: joined([address.line1, address.line2, address.city, address.region, address.postalCode, address.country]),
    },
    { key: 'emergency_contact', label: fieldLabel('emergency_contact'), value: contactText },
    { key: 'insurance', label: fieldLabel('insurance'), value: insuranceText },
    { key: 'front_desk_note', label: fieldLabel('front_desk_note'), value: form.frontDeskNote.trim() },
    { key: 'status', label: fieldLabel('status'), value: statusLabel(form.status) },
    { key: 'deceased_on', label: fieldLabel('deceased_on'), value: formatDay(form.deceasedOn) },
  ];
}
