/** An API's problem+json (RFC 9457) as the services answer it, with the fields at fault. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: { field: string; reason: string }[];
}

/** What a form shows: one message per field named, and what is left for the top of the form. */
export interface FormErrors {
  fields: Record<string, string>;
  general?: string;
}

/**
 * Places a problem's errors next to the form's fields. A nested field ("evidence.sha256") goes to
 * the closest field the form has ("evidence.sha256", then "evidence"); what matches none, and the
 * detail when no field is named, goes to the top.
 */
export function formErrors(problem: Problem, formFields: readonly string[]): FormErrors {
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const { field, reason } of problem.errors ?? []) {
    const target = closestField(field, formFields);
    if (target) fields[target] = fields[target] ? `${fields[target]}; ${reason}` : reason;
    else unplaced.push(`${field}: ${reason}`);
  }
  const general =
    unplaced.length > 0
      ? unplaced.join('; ')
      : Object.keys(fields).length === 0
        ? (problem.detail ?? problem.title ?? `Error ${problem.status}`)
        : undefined;
  return general === undefined ? { fields } : { fields, general };
}

function closestField(field: string, formFields: readonly string[]): string | undefined {
  const parts = field.replace(/\[(\d+)\]/g, '.$1').split('.');
  for (let length = parts.length; length > 0; length--) {
    const candidate = parts.slice(0, length).join('.');
    if (formFields.includes(candidate)) return candidate;
  }
  return undefined;
}

export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && typeof (value as Problem).status === 'number';
}
