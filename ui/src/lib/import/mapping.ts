// The mapping step as plain functions: one row per column of the file, saying which field it
// fills (or that it is ignored) and, for dates, how the file writes them. The rows start from a
// saved mapping or preset, or from guesses by the column names; `mappingOf` turns them into the
// mapping the Rust side reads. The Rust side decides what is valid; these only help choose.
import type {
  ColumnDateFormat,
  ColumnMappingView,
  ImportField,
  ImportFieldChoiceView,
  ImportMappingView,
} from '../../generated/bindings';
import type { DateOrder } from '../api/frontDesk';

/** The field of a column that is not imported. */
export const IGNORE = null;

export interface MappingRow {
  /** The column's name in the file. */
  column: string;
  /** The field the column fills, or IGNORE. */
  field: ImportField | null;
  dateFormat: ColumnDateFormat | null;
  /** Kept from a saved mapping: a file without this column is still read. */
  optional: boolean;
}

/** The fields that hold dates and need to know how the file writes them. */
const DATE_FIELDS: readonly ImportField[] = ['date_of_birth', 'date_of_death'];

/** The fields several columns may fill together (names are joined, phones are each kept). */
const MULTI_COLUMN_FIELDS: readonly ImportField[] = ['given_names', 'middle_name', 'mobile_phone', 'home_phone', 'work_phone'];

export const DATE_FORMAT_CHOICES: readonly { code: ColumnDateFormat; label: string }[] = [
  { code: 'iso', label: '1984-03-07 (year first)' },
  { code: 'day_first', label: '07/03/1984 (day first)' },
  { code: 'month_first', label: '03/07/1984 (month first)' },
];

export function isDateField(field: ImportField | null): boolean {
  return field !== IGNORE && DATE_FIELDS.includes(field);
}

/** Column names match without regard to case or surrounding spaces, as on the Rust side. */
export function sameColumn(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Up to `count` values of the column at `index` from the sample rows, leaving out empty ones. */
export function columnSamples(sample: readonly string[][], index: number, count = 3): string[] {
  const values: string[] = [];
  for (const row of sample) {
    const value = (row[index] ?? '').trim();
    if (value !== '') {
      values.push(value);
      if (values.length === count) {
        break;
      }
    }
  }
  return values;
}

const ISO_DATE = /^\d{4}-\d{1,2}-\d{1,2}(?:[T ].*)?$/;
const TYPED_DATE = /^(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})$/;

/**
 * What the sample says about how a column writes dates: ISO, day or month first when some value
 * shows it (a first number over 12 is a day), "either" when every value fits both orders, or
 * "unknown" when no value looks like a date.
 */
export function dateEvidence(values: readonly string[]): ColumnDateFormat | 'either' | 'unknown' {
  const dates = values.map((value) => value.trim()).filter((value) => value !== '');
  if (dates.length > 0 && dates.every((value) => ISO_DATE.test(value))) {
    return 'iso';
  }
  let typed = 0;
  for (const value of dates) {
    const match = TYPED_DATE.exec(value);
    if (match === null) {
      continue;
    }
    typed += 1;
    if (Number(match[1]) > 12) {
      return 'day_first';
    }
    if (Number(match[2]) > 12) {
      return 'month_first';
    }
  }
  return typed > 0 ? 'either' : 'unknown';
}

/** The format to start with for a date column: what the sample shows, else the practice's order. */
export function guessDateFormat(values: readonly string[], order: DateOrder): ColumnDateFormat {
  const evidence = dateEvidence(values);
  if (evidence === 'iso' || evidence === 'day_first' || evidence === 'month_first') {
    return evidence;
  }
  if (evidence === 'unknown' && values.length === 0) {
    return 'iso';
  }
  return order === 'mdy' ? 'month_first' : 'day_first';
}

/** Column names other systems use for each field, compared without case, spaces or punctuation. */
const SYNONYMS: Record<ImportField, readonly string[]> = {
  family_name: ['last', 'lastname', 'surname', 'familyname', 'family'],
  given_names: ['first', 'firstname', 'firstnames', 'givenname', 'givennames', 'forename', 'forenames', 'given'],
  middle_name: ['middle', 'middlename', 'middlenames'],
  preferred_name: ['preferred', 'preferredname', 'nickname', 'knownas'],
  date_of_birth: ['birthdate', 'dob', 'dateofbirth', 'birthday', 'born'],
  sex: ['sex', 'gender'],
  gender_identity: ['genderidentity'],
  mobile_phone: ['mobile', 'mobilephone', 'cell', 'cellphone', 'mobilenumber'],
  home_phone: ['phone', 'homephone', 'telephone', 'tel', 'phonenumber'],
  work_phone: ['workphone', 'officephone', 'businessphone'],
  email: ['email', 'emailaddress', 'mail'],
  address_line1: ['address', 'street', 'streetaddress', 'address1', 'addressline1'],
  address_line2: ['address2', 'addressline2'],
  city: ['city', 'town', 'towncity'],
  region: ['state', 'region', 'county', 'province'],
  postal_code: ['zip', 'zipcode', 'postcode', 'postalcode', 'plz'],
  country: ['country'],
  emergency_contact_name: ['emergencycontact', 'emergencycontactname', 'nextofkin'],
  emergency_contact_relationship: ['emergencycontactrelationship', 'relationship'],
  emergency_contact_phone: ['emergencyphone', 'emergencycontactphone'],
  insurance_payer: ['insurer', 'insurance', 'payer', 'insurancepayer'],
  insurance_member_id: ['memberid', 'membernumber', 'policynumber', 'insurancememberid'],
  note: ['note', 'notes', 'comment', 'comments'],
  date_of_death: ['deathdate', 'dateofdeath', 'dod', 'died'],
};

const squeeze = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The field a column's name suggests, among `fields` (code and words from import_fields), or
 * IGNORE when it suggests none. The field's own words ("Date of birth") count as a name for it.
 */
export function guessField(column: string, fields: readonly ImportFieldChoiceView[]): ImportField | null {
  const name = squeeze(column);
  if (name === '') {
    return IGNORE;
  }
  for (const { code, label } of fields) {
    if (name === squeeze(code) || name === squeeze(label) || SYNONYMS[code].includes(name)) {
      return code;
    }
  }
  return IGNORE;
}

function startingDateFormat(
  field: ImportField | null,
  values: readonly string[],
  order: DateOrder,
): ColumnDateFormat | null {
  return isDateField(field) ? guessDateFormat(values, order) : null;
}

/**
 * Rows for a file with no mapping yet: each column gets the field its name suggests, each
 * field once at most (except those several columns may fill), dates their likely format.
 */
export function guessedRows(
  headers: readonly string[],
  sample: readonly string[][],
  fields: readonly ImportFieldChoiceView[],
  order: DateOrder,
): MappingRow[] {
  const taken = new Set<ImportField | null>();
  return headers.map((column, index) => {
    let field = guessField(column, fields);
    if (field !== IGNORE && taken.has(field) && !MULTI_COLUMN_FIELDS.includes(field)) {
      field = IGNORE;
    }
    taken.add(field);
    return { column, field, dateFormat: startingDateFormat(field, columnSamples(sample, index), order), optional: false };
  });
}

/**
 * Rows for a file from a saved mapping or preset: the columns it names get its fields and date
 * formats; the file's other columns are ignored.
 */
export function rowsFromMapping(
  headers: readonly string[],
  sample: readonly string[][],
  mapping: ImportMappingView,
  order: DateOrder,
): MappingRow[] {
  return headers.map((column, index) => {
    const mapped = mapping.columns.find((candidate) => sameColumn(candidate.column, column));
    if (mapped === undefined) {
      return { column, field: IGNORE, dateFormat: null, optional: false };
    }
    const dateFormat = isDateField(mapped.field)
      ? (mapped.dateFormat ?? guessDateFormat(columnSamples(sample, index), order))
      : null;
    return { column, field: mapped.field, dateFormat, optional: mapped.optional };
  });
}

/** The columns a mapping needs that the file lacks (its optional columns may be missing). */
export function missingColumns(headers: readonly string[], mapping: ImportMappingView): string[] {
  return mapping.columns
    .filter((mapped) => !mapped.optional && !headers.some((header) => sameColumn(header, mapped.column)))
    .map((mapped) => mapped.column);
}

/**
 * The rows after choosing `field` for the row at `index`: a date field starts with the format
 * the sample suggests (or keeps the one chosen); other fields have none.
 */
export function withField(
  rows: readonly MappingRow[],
  index: number,
  field: ImportField | null,
  values: readonly string[],
  order: DateOrder,
): MappingRow[] {
  return rows.map((row, at) => {
    if (at !== index) {
      return row;
    }
    const dateFormat = isDateField(field) ? (row.dateFormat ?? guessDateFormat(values, order)) : null;
    return { ...row, field, dateFormat };
  });
}

/** The mapping for the Rust side: the columns used, in the file's order. */
export function mappingOf(rows: readonly MappingRow[], stripNameDigits: boolean): ImportMappingView {
  const columns: ColumnMappingView[] = rows.flatMap((row) =>
    row.field === IGNORE
      ? []
      : [
          {
            column: row.column,
            field: row.field,
            dateFormat: isDateField(row.field) ? row.dateFormat : null,
            optional: row.optional,
          },
        ],
  );
  return { columns, stripNameDigits };
}

export interface MappingProblem {
  /** The column the problem is about, or null for the mapping as a whole. */
  column: string | null;
  message: string;
}

/**
 * What stops the mapping from making sense before the file is read: no family name, one field
 * filled by two columns (the second would overwrite the first), a date column without a format.
 */
export function mappingProblems(rows: readonly MappingRow[], labelOf: (field: ImportField) => string): MappingProblem[] {
  const problems: MappingProblem[] = [];
  if (!rows.some((row) => row.field === 'family_name')) {
    problems.push({ column: null, message: 'Choose the column that holds the family name: every patient needs one.' });
  }
  const byField = new Map<ImportField, string[]>();
  for (const row of rows) {
    if (row.field !== IGNORE) {
      byField.set(row.field, [...(byField.get(row.field) ?? []), row.column]);
    }
  }
  for (const [field, columns] of byField) {
    if (columns.length > 1 && !MULTI_COLUMN_FIELDS.includes(field)) {
      problems.push({
        column: columns[1],
        message: `${columns.join(' and ')} both fill “${labelOf(field)}”. Keep one and ignore the other.`,
      });
    }
  }
  for (const row of rows) {
    if (isDateField(row.field) && row.dateFormat === null) {
      problems.push({ column: row.column, message: `Choose how the dates in ${row.column} are written.` });
    }
  }
  return problems;
}

/** Whether any column is mapped to a name field, so stripping digits from names matters. */
export function mapsNames(rows: readonly MappingRow[]): boolean {
  const names: readonly (ImportField | null)[] = ['family_name', 'given_names', 'middle_name', 'preferred_name'];
  return rows.some((row) => names.includes(row.field));
}

/** How the start of the mapping step is offered: the preset's name in words. */
export function mappingNameLabel(name: string): string {
  return name === 'synthea' ? 'Synthea (patients.csv)' : name;
}
