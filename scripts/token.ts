/**
 * Mints a development token and prints only the token on stdout, so it composes:
 *   curl -H "Authorization: Bearer $(npm run -s token -- --role APPROVER --province Punjab)" ...
 * Options: --role <ROLE> (repeatable, required), --province, --range, --district, --unit,
 * --sub <id> (default local-<role>), --service-number <n> (a person's police service number: how
 * own-case rules know the officer a case is about), --ttl <8h|15m|3600> (default 8h). No scope option = national.
 * Signs (RS256) with the local development key in .cache/keys/ (CONDUCT_CACHE_DIR), made on first
 * use; services with no identity provider configured (JWT_JWKS_URL, JWT_PUBLIC_KEY) verify with its
 * public key. Production services refuse that key.
 */
import { parseArgs } from 'node:util';
import { ALL_ROLES, InvalidTtlError, isRole, mintLocalToken, Role, Scope } from '@conduct/auth';

const USAGE =
  'usage: npm run -s token -- --role <ROLE> [--role <ROLE>] [--province <p>] [--range <r>] [--district <d>] [--unit <u>] [--sub <id>] [--service-number <n>] [--ttl 8h]';

class UsageError extends Error {}

function tokenFromArgs(args: string[]): string {
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
      'service-number': { type: 'string' },
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
  const serviceNumber = values['service-number'];
  if (serviceNumber !== undefined && serviceNumber.trim() === '') throw new UsageError('--service-number must not be empty');
  return mintLocalToken({ subject, roles, scope, ...(serviceNumber === undefined ? {} : { serviceNumber }) }, values.ttl);
}

try {
  process.stdout.write(`${tokenFromArgs(process.argv.slice(2))}\n`);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  const isUsage = error instanceof UsageError || error instanceof InvalidTtlError || (error instanceof TypeError && 'code' in error);
  process.stderr.write(`token: ${message}\n${isUsage ? `${USAGE}\n` : ''}`);
  process.exitCode = isUsage ? 2 : 1;
}
