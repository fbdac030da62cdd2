/**
 * Mints a development token and prints only the token on stdout, so it composes:
 *   curl -H "Authorization: Bearer $(npm run -s token -- --role APPROVER --province Punjab)" ...
 * Options: --role <ROLE> (repeatable, required), --province, --range, --district, --unit,
 * --sub <id> (default local-<role>), --ttl <8h|15m|3600> (default 8h). No scope option = national.
 * The secret is JWT_SECRET, or the same default scripts/start.sh gives the services.
 */
import { parseArgs } from 'node:util';
import { ALL_ROLES, InvalidTtlError, isRole, mintToken, Role, Scope } from '@conduct/auth';

const DEFAULT_SECRET = 'conduct-local-dev-secret';
const USAGE =
  'usage: npm run -s token -- --role <ROLE> [--role <ROLE>] [--province <p>] [--range <r>] [--district <d>] [--unit <u>] [--sub <id>] [--ttl 8h]';

class UsageError extends Error {}

function tokenFromArgs(args: string[], secret: string): string {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      role: { type: 'string', multiple: true },
      province: { type: 'string' },
      range: { type: 'string' },
      district: { type: 'string' },
      unit: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
    },
  });
  const requested = values.role ?? [];
  if (requested.length === 0) throw new UsageError('at least one --role is required');
  const unknown = requested.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new UsageError(`unknown role ${unknown.join(', ')}; roles are ${ALL_ROLES.join(', ')}`);
  const roles = requested as Role[];

  const scope: Scope = {};
  for (const level of ['province', 'range', 'district', 'unit'] as const) {
    const value = values[level];
    if (value !== undefined) {
      if (value === '') throw new UsageError(`--${level} must not be empty`);
      scope[level] = value;
    }
  }
  const subject = values.sub ?? `local-${roles[0]!.toLowerCase().replace(/_/g, '-')}`;
  return mintToken({ subject, roles, scope }, secret, values.ttl);
}

try {
  process.stdout.write(`${tokenFromArgs(process.argv.slice(2), process.env['JWT_SECRET'] || DEFAULT_SECRET)}\n`);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  const isUsage = error instanceof UsageError || error instanceof InvalidTtlError || (error instanceof TypeError && 'code' in error);
  process.stderr.write(`token: ${message}\n${isUsage ? `${USAGE}\n` : ''}`);
  process.exitCode = isUsage ? 2 : 1;
}
