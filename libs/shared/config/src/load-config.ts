import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

export interface ConfigProblem {
  variable: string;
  reason: string;
}

/** The environment does not satisfy the config class; the message names every bad variable. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`Invalid configuration: ${problems.map((problem) => problem.reason).join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}

export type ConfigClass<T extends object> = new () => T;

/**
 * Reads and validates a config class from the environment: fail fast at boot with every problem
 * at once, never at the first request. Empty variables count as unset; variables the class does
 * not declare are dropped; property defaults apply when a variable is unset.
 */
export function loadConfig<T extends object>(configClass: ConfigClass<T>, env: NodeJS.ProcessEnv = process.env): T {
  const setVariables = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = plainToInstance(configClass, setVariables, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: true, validationError: { target: false, value: false } });
  if (errors.length > 0) throw new ConfigValidationError(errors.map((error) => describe(error, setVariables)));
  const unsafe = hasProductionChecks(config) ? config.productionProblems() : [];
  if (unsafe.length > 0) throw new ConfigValidationError(unsafe);
  return config;
}

/** A config class whose settings can be unsafe together in production (BaseServiceConfig). */
function hasProductionChecks(config: object): config is { productionProblems(): ConfigProblem[] } {
  return typeof (config as { productionProblems?: unknown }).productionProblems === 'function';
}

function describe(error: ValidationError, env: Record<string, unknown>): ConfigProblem {
  const variable = error.property;
  if (!(variable in env)) return { variable, reason: `${variable} is required` };
  const reasons = [...new Set(Object.values(error.constraints ?? {}))];
  return { variable, reason: reasons.join(', ') || `${variable} is invalid` };
}
