import { describe, expect, it } from 'vitest';
import type { ImportFieldChoiceView, ImportMappingView } from '../../generated/bindings';
import {
  columnSamples,
  dateEvidence,
  guessDateFormat,
  guessedRows,
  guessField,
  IGNORE,
  type MappingRow,
  mappingNameLabel,
  mappingOf,
  mappingProblems,
  mapsNames,
  missingColumns,
  rowsFromMapping,
  withField,
} from './mapping';

const FIELDS: readonly ImportFieldChoiceView[] = [
  { code: 'family_name', label: 'Family name' },
  { code: 'given_names', label: 'Given names' },
  { code: 'middle_name', label: 'Middle name' },
  { code: 'date_of_birth', label: 'Date of birth' },
  { code: 'sex', label: 'Sex' },
  { code: 'mobile_phone', label: 'Mobile phone' },
  { code: 'home_phone', label: 'Home phone' },
  { code: 'postal_code', label: 'Postal code' },
  { code: 'date_of_death', label: 'Date of death' },
];
const label = (code: string) => FIELDS.find((field) => field.code === code)?.label ?? code;

const SYNTHEA: ImportMappingView = {
  columns: [
    { column: 'LAST', field: 'family_name', dateFormat: null, optional: false },
    { column: 'FIRST', field: 'given_names', dateFormat: null, optional: false },
    { column: 'MIDDLE', field: 'middle_name', dateFormat: null, optional: true },
    { column: 'BIRTHDATE', field: 'date_of_birth', dateFormat: 'iso', optional: false },
    { column: 'DEATHDATE', field: 'date_of_death', dateFormat: 'iso', optional: true },
  ],
  stripNameDigits: true,
};

describe('columnSamples', () => {
  it('takes the first non-empty values of a column', () => {
    const sample = [['a', ''], ['b', ' x '], ['c', ''], ['d', 'y'], ['e', 'z'], ['f', 'w']];
    expect(columnSamples(sample, 1)).toEqual(['x', 'y', 'z']);
    expect(columnSamples(sample, 1, 1)).toEqual(['x']);
    expect(columnSamples(sample, 5)).toEqual([]);
  });
});

describe('dates', () => {
  it('see ISO dates, and day or month first when a number over 12 shows it', () => {
    expect(dateEvidence(['1984-03-07', '2001-12-31'])).toBe('iso');
    expect(dateEvidence(['03/07/1984', '25/12/1990'])).toBe('day_first');
    expect(dateEvidence(['03/07/1984', '12/25/1990'])).toBe('month_first');
    expect(dateEvidence(['7.3.1984', '1.2.84'])).toBe('either');
    expect(dateEvidence(['unknown'])).toBe('unknown');
    expect(dateEvidence([])).toBe('unknown');
  });

  it('start from the practice order when the sample fits both', () => {
    expect(guessDateFormat(['07/03/1984'], 'dmy')).toBe('day_first');
    expect(guessDateFormat(['07/03/1984'], 'mdy')).toBe('month_first');
    expect(guessDateFormat(['25/03/1984'], 'mdy')).toBe('day_first');
    expect(guessDateFormat(['1984-03-07'], 'mdy')).toBe('iso');
    expect(guessDateFormat([], 'mdy')).toBe('iso');
  });
});

describe('guessField', () => {
  it('knows the usual column names and the fields own words, whatever the case or spacing', () => {
    expect(guessField('Surname', FIELDS)).toBe('family_name');
    expect(guessField('LAST', FIELDS)).toBe('family_name');
    expect(guessField('first_name', FIELDS)).toBe('given_names');
    expect(guessField('Date of birth', FIELDS)).toBe('date_of_birth');
    expect(guessField('DOB', FIELDS)).toBe('date_of_birth');
    expect(guessField('Gender', FIELDS)).toBe('sex');
    expect(guessField('Cell', FIELDS)).toBe('mobile_phone');
    expect(guessField('ZIP', FIELDS)).toBe('postal_code');
  });

  it('ignores what it does not know, and fields the Rust side did not offer', () => {
    expect(guessField('Id', FIELDS)).toBe(IGNORE);
    expect(guessField('SSN', FIELDS)).toBe(IGNORE);
    expect(guessField('', FIELDS)).toBe(IGNORE);
    expect(guessField('Email', FIELDS)).toBe(IGNORE);
  });
});

describe('guessedRows', () => {
  it('maps each column once, with the date format its values show', () => {
    const rows = guessedRows(['Surname', 'Last', 'Born', 'Notes'], [['A', 'B', '25/12/1990', 'x']], FIELDS, 'mdy');
    expect(rows).toEqual([
      { column: 'Surname', field: 'family_name', dateFormat: null, optional: false },
      { column: 'Last', field: IGNORE, dateFormat: null, optional: false },
      { column: 'Born', field: 'date_of_birth', dateFormat: 'day_first', optional: false },
      { column: 'Notes', field: IGNORE, dateFormat: null, optional: false },
    ]);
  });

  it('lets several columns fill the names and phones that add up', () => {
    const rows = guessedRows(['First', 'Forename', 'Mobile', 'Cell'], [], FIELDS, 'dmy');
    expect(rows.map((row) => row.field)).toEqual(['given_names', 'given_names', 'mobile_phone', 'mobile_phone']);
  });
});

describe('rowsFromMapping', () => {
  const headers = ['Id', 'BIRTHDATE', 'first', 'LAST', 'GENDER'];

  it('takes the fields of the columns the mapping names and ignores the others', () => {
    const rows = rowsFromMapping(headers, [], SYNTHEA, 'dmy');
    expect(rows.map((row) => [row.column, row.field, row.dateFormat])).toEqual([
      ['Id', IGNORE, null],
      ['BIRTHDATE', 'date_of_birth', 'iso'],
      ['first', 'given_names', null],
      ['LAST', 'family_name', null],
      ['GENDER', IGNORE, null],
    ]);
  });

  it('guesses the format of a date column the mapping left without one', () => {
    const mapping: ImportMappingView = {
      columns: [{ column: 'DOB', field: 'date_of_birth', dateFormat: null, optional: false }],
      stripNameDigits: false,
    };
    expect(rowsFromMapping(['DOB'], [['12/31/1990']], mapping, 'dmy')[0].dateFormat).toBe('month_first');
  });

  it('names the required columns the file lacks, not the optional ones', () => {
    expect(missingColumns(headers, SYNTHEA)).toEqual([]);
    expect(missingColumns(['LAST', 'BIRTHDATE'], SYNTHEA)).toEqual(['FIRST']);
  });
});

describe('withField', () => {
  const rows = guessedRows(['A', 'B'], [['x', '07/03/1984']], FIELDS, 'dmy');

  it('gives a date field a format and takes it away from other fields', () => {
    const dated = withField(rows, 1, 'date_of_birth', ['07/03/1984'], 'mdy');
    expect(dated[1]).toMatchObject({ field: 'date_of_birth', dateFormat: 'month_first' });
    expect(dated[0]).toBe(rows[0]);
    const undated = withField(dated, 1, 'sex', [], 'mdy');
    expect(undated[1]).toMatchObject({ field: 'sex', dateFormat: null });
  });

  it('keeps the format chosen when moving between date fields', () => {
    const dated = withField(rows, 1, 'date_of_birth', ['07/03/1984'], 'dmy');
    const chosen = dated.map((row, index) => (index === 1 ? { ...row, dateFormat: 'iso' as const } : row));
    expect(withField(chosen, 1, 'date_of_death', [], 'dmy')[1].dateFormat).toBe('iso');
  });
});

describe('mappingOf', () => {
  it('sends the columns used, in the file order, with formats for dates only', () => {
    const rows: MappingRow[] = [
      { column: 'Id', field: IGNORE, dateFormat: null, optional: false },
      { column: 'Born', field: 'date_of_birth', dateFormat: 'day_first', optional: false },
      { column: 'Name', field: 'family_name', dateFormat: 'iso', optional: true },
    ];
    expect(mappingOf(rows, true)).toEqual({
      columns: [
        { column: 'Born', field: 'date_of_birth', dateFormat: 'day_first', optional: false },
        { column: 'Name', field: 'family_name', dateFormat: null, optional: true },
      ],
      stripNameDigits: true,
    });
  });

  it('round-trips a preset through the rows for a file that has all its columns', () => {
    const headers = ['LAST', 'FIRST', 'MIDDLE', 'BIRTHDATE', 'DEATHDATE'];
    expect(mappingOf(rowsFromMapping(headers, [], SYNTHEA, 'dmy'), true)).toEqual(SYNTHEA);
  });
});

describe('mappingProblems', () => {
  it('asks for a family name', () => {
    const problems = mappingProblems([{ column: 'A', field: 'given_names', dateFormat: null, optional: false }], label);
    expect(problems).toEqual([
      { column: null, message: 'Choose the column that holds the family name: every patient needs one.' },
    ]);
  });

  it('names two columns filling the same field, at the second', () => {
    const problems = mappingProblems(
      [
        { column: 'Surname', field: 'family_name', dateFormat: null, optional: false },
        { column: 'Last', field: 'family_name', dateFormat: null, optional: false },
        { column: 'First', field: 'given_names', dateFormat: null, optional: false },
        { column: 'Forename', field: 'given_names', dateFormat: null, optional: false },
      ],
      label,
    );
    expect(problems).toEqual([{ column: 'Last', message: 'Surname and Last both fill “Family name”. Keep one and ignore the other.' }]);
  });

  it('asks how a date column writes its dates', () => {
    const problems = mappingProblems(
      [
        { column: 'Surname', field: 'family_name', dateFormat: null, optional: false },
        { column: 'Born', field: 'date_of_birth', dateFormat: null, optional: false },
      ],
      label,
    );
    expect(problems).toEqual([{ column: 'Born', message: 'Choose how the dates in Born are written.' }]);
  });

  it('finds nothing wrong with a complete mapping', () => {
    expect(mappingProblems(rowsFromMapping(['LAST', 'FIRST', 'BIRTHDATE'], [], SYNTHEA, 'dmy'), label)).toEqual([]);
  });
});

describe('small words', () => {
  it('say whether names are mapped and name the preset', () => {
    expect(mapsNames([{ column: 'A', field: 'given_names', dateFormat: null, optional: false }])).toBe(true);
    expect(mapsNames([{ column: 'A', field: 'sex', dateFormat: null, optional: false }])).toBe(false);
    expect(mappingNameLabel('synthea')).toBe('Synthea (patients.csv)');
    expect(mappingNameLabel('Old system')).toBe('Old system');
  });
});
