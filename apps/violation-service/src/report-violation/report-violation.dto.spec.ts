import { fastPathDisagreements } from '@conduct/contract-validation/testing';
import { AddNoteDto } from '../investigate-case/investigate-case.dto';
import { offDutyPunjabReport, violationReport } from '../testing/case-fixtures';
import { ReportViolationDto } from './report-violation.dto';

/*
 * The validation pipe takes a body through the contract fast path (ADR 24) before ValidationPipe:
 * for the busiest bodies, it must accept exactly what class-validator accepts, as the same DTO
 * instance, on every mutation of a valid one (wrong types, empty values, unknown fields, odd keys).
 */
describe('the fast path on case bodies', () => {
  it.each([
    ['a report', ReportViolationDto, violationReport()],
    ['an off-duty report without features', ReportViolationDto, offDutyPunjabReport()],
    ['a note', AddNoteDto, { text: 'Called the officer in for an interview' }],
  ])('agrees with class-validator on every mutation of %s', async (_, dto, body) => {
    expect(await fastPathDisagreements(dto as new () => object, body)).toEqual([]);
  });
});
