import { formErrors } from './problems';

describe('problem+json next to the field it names', () => {
  const fields = ['officer.serviceNumber', 'evidence.sha256', 'clauses', 'jurisdiction'];

  it('places each error on the closest field of the form', () => {
    const placed = formErrors(
      {
        status: 400,
        detail: 'The request has invalid fields',
        errors: [
          { field: 'officer.serviceNumber', reason: 'must not be empty' },
          { field: 'evidence.sha256', reason: 'must be 64 hex digits' },
          { field: 'clauses[0]', reason: 'SND-9 is not a clause of sindh v2' },
          { field: 'jurisdiction.unitId', reason: 'unknown unit' },
        ],
      },
      fields,
    );
    expect(placed).toEqual({
      fields: {
        'officer.serviceNumber': 'must not be empty',
        'evidence.sha256': 'must be 64 hex digits',
        clauses: 'SND-9 is not a clause of sindh v2',
        jurisdiction: 'unknown unit',
      },
    });
  });

  it('puts what matches no field, or a problem without fields, at the top', () => {
    expect(formErrors({ status: 422, errors: [{ field: 'onDuty', reason: 'PB-1 applies on duty only' }] }, fields)).toEqual({
      fields: {},
      general: 'onDuty: PB-1 applies on duty only',
    });
    expect(formErrors({ status: 409, detail: 'The case changed meanwhile' }, fields)).toEqual({ fields: {}, general: 'The case changed meanwhile' });
  });
});

describe('form fields', () => {
  it('reads text trimmed and reasons one per line', async () => {
    const { reasonLines, textField } = await import('./forms');
    const form = new FormData();
    form.set('text', '  Called the SHO  ');
    form.set('reasons', 'First offence\n\n  Apologised in writing \n');
    expect(textField(form, 'text')).toBe('Called the SHO');
    expect(textField(form, 'missing')).toBe('');
    expect(reasonLines(form)).toEqual(['First offence', 'Apologised in writing']);
  });
});
