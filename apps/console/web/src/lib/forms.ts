/** A text field of a submitted form, trimmed; '' when absent (or a file). */
export function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** A textarea of reasons, one per line, blank lines dropped: what the services' `reasons` take. */
export function reasonLines(form: FormData, name = 'reasons'): string[] {
  return textField(form, name)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}
