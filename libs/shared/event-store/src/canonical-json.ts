/**
 * Deterministic JSON text of a value, the input of every event hash.
 *
 * Same value model as JSON.stringify (toJSON is honoured; undefined, functions and symbols are
 * dropped from objects and become null in arrays; non-finite numbers become null; bigint throws),
 * but object keys are sorted recursively by UTF-16 code units and there is no whitespace. Strings
 * and numbers are written exactly as JSON.stringify writes them. For JSON data this is the
 * JSON Canonicalization Scheme (RFC 8785), so other languages can reproduce it.
 */
export function canonicalJson(value: unknown): string {
  const text = serialize(value);
  if (text === undefined) throw new TypeError(`canonicalJson: a ${typeof value} has no JSON representation`);
  return text;
}

// Plain loops and string concatenation: about twice as fast as map/join on a 1 KB event.
function serialize(input: unknown): string | undefined {
  const value = hasToJson(input) ? input.toJSON() : input;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'bigint':
      throw new TypeError('canonicalJson: bigint has no JSON representation; store it as a string');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? serializeArray(value) : serializeObject(value as Record<string, unknown>);
  }
}

function serializeArray(array: readonly unknown[]): string {
  let text = '[';
  for (let index = 0; index < array.length; index += 1) {
    if (index > 0) text += ',';
    text += serialize(array[index]) ?? 'null';
  }
  return `${text}]`;
}

function serializeObject(object: Record<string, unknown>): string {
  let text = '{';
  for (const key of Object.keys(object).sort()) {
    const member = serialize(object[key]);
    if (member === undefined) continue;
    if (text.length > 1) text += ',';
    text += `${JSON.stringify(key)}:${member}`;
  }
  return `${text}}`;
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}
