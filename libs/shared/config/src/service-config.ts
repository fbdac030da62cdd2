import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { isLocalDevelopmentKey, LOCAL_ISSUER, localIssuer, TOKEN_AUDIENCE, VerifierOptions } from '@conduct/auth';
import { ConfigProblem, ConfigValidationError } from './load-config';

/** A setting written as a comma-separated list (`a, b,c`), as the array of its non-empty items. */
export function commaSeparated({ value }: { value: unknown }): unknown {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;
}

export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const PORT_RANGE = { message: 'PORT must be an integer between 1 and 65535' };
const METRICS_PORT_RANGE = { message: 'METRICS_PORT must be an integer between 1 and 65535' };

/**
 * What every service reads from its environment. A service extends it with its own variables and
 * passes its class to `ServiceRuntimeModule.forRoot({ config })` or `loadConfig`.
 */
export class BaseServiceConfig {
  @Type(() => Number)
  @IsInt(PORT_RANGE)
  @Min(1, PORT_RANGE)
  @Max(65535, PORT_RANGE)
  PORT: number;

  /**
   * When set, Prometheus scrapes `/metrics` on this port of its own (no token), and the API port
   * answers 404 there: operators' metrics stay off the public API and its gateway.
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt(METRICS_PORT_RANGE)
  @Min(1, METRICS_PORT_RANGE)
  @Max(65535, METRICS_PORT_RANGE)
  METRICS_PORT?: number;

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  /**
   * The database's owner, who runs the migrations (then grants DATABASE_URL's role what a service
   * needs, and on `events` SELECT and INSERT only). Unset, the migrations run as DATABASE_URL.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_MIGRATION_URL must be a postgres:// URL' })
  DATABASE_MIGRATION_URL?: string;

  /**
   * The keystore of per-person keys (ADR 21), a database apart from every service's events. Unset:
   * the database `conduct_keys` on DATABASE_URL's server, as DATABASE_URL's role (local runs).
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'KEYSTORE_URL must be a postgres:// URL' })
  KEYSTORE_URL?: string;

  /** The keystore's owner, who creates its table and grants KEYSTORE_URL's role. Unset: `conduct_keys` on DATABASE_MIGRATION_URL's server. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'KEYSTORE_MIGRATION_URL must be a postgres:// URL' })
  KEYSTORE_MIGRATION_URL?: string;

  /**
   * The master key that wraps every person's key in the keystore: 32 bytes, base64. Unset outside
   * production: a development key written in this file (refused in production).
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'PERSONAL_DATA_KEY must be 32 bytes in base64 (44 characters)' })
  PERSONAL_DATA_KEY?: string;

  /** How long a person's key is used from memory before the keystore is asked again: an erasure reaches every replica within it. */
  @Type(() => Number)
  @IsInt({ message: 'PERSONAL_DATA_KEY_CACHE_MS must be a whole number of milliseconds' })
  @Min(0)
  @Max(60_000)
  PERSONAL_DATA_KEY_CACHE_MS = 5_000;

  /** Comma-separated host:port list, e.g. `127.0.0.1:9092,kafka-2:9092`. */
  @Transform(commaSeparated)
  @IsArray({ message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  @ArrayNotEmpty({ message: 'KAFKA_BROKERS must name at least one broker' })
  @Matches(/^[^\s:]+:\d{1,5}$/, { each: true, message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS: string[];

  /** `production` turns on the checks of productionProblems(): the service refuses unsafe settings. */
  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  /** The identity provider's JWKS endpoint (keys rotate: fetched and cached by key id). */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'JWT_JWKS_URL must be an http(s) URL' })
  JWT_JWKS_URL?: string;

  /**
   * Or the identity provider's public key: PEM text, or the path of a PEM file. With neither, a
   * local run uses the local development key (.cache/keys/, made by `npm run token` or any service).
   */
  @IsOptional()
  @IsString()
  JWT_PUBLIC_KEY?: string;

  /** The `iss` tokens must carry: the identity provider's issuer URL. */
  @IsString()
  JWT_ISSUER: string = LOCAL_ISSUER;

  /** The `aud` tokens must carry: how the identity provider names Conduct. */
  @IsString()
  JWT_AUDIENCE: string = TOKEN_AUDIENCE;

  /** The oldest token accepted, by its `iat`, in seconds (a leaked token is useless after this). */
  @Type(() => Number)
  @IsInt({ message: 'JWT_MAX_TOKEN_AGE_SECONDS must be a whole number of seconds' })
  @Min(60, { message: 'JWT_MAX_TOKEN_AGE_SECONDS must be at least 60' })
  @Max(7 * 86_400, { message: 'JWT_MAX_TOKEN_AGE_SECONDS must be at most 604800 (7 days)' })
  JWT_MAX_TOKEN_AGE_SECONDS = 43_200;

  /** Clock skew tolerated between the identity provider and this service, in seconds. */
  @Type(() => Number)
  @IsInt({ message: 'JWT_CLOCK_TOLERANCE_SECONDS must be a whole number of seconds' })
  @Min(0, { message: 'JWT_CLOCK_TOLERANCE_SECONDS must be 0 or more' })
  @Max(300, { message: 'JWT_CLOCK_TOLERANCE_SECONDS must be at most 300' })
  JWT_CLOCK_TOLERANCE_SECONDS = 30;

  /** The shared HS256 secret of earlier versions: no longer used, and refused in production. */
  @IsOptional()
  @IsString()
  JWT_SECRET?: string;

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /**
   * SASL authentication to Kafka: `scram-sha-512`, `scram-sha-256` or `plain` (plain only over TLS
   * in production), with KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: each service its own
   * credentials, which the cluster's ACLs tie to the topics it may write.
   */
  @IsOptional()
  @IsIn(KAFKA_SASL_MECHANISMS, { message: `KAFKA_SASL_MECHANISM must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}` })
  KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;

  @IsOptional()
  @IsString()
  KAFKA_SASL_USERNAME?: string;

  @IsOptional()
  @IsString()
  KAFKA_SASL_PASSWORD?: string;

  /** `true`: connect to the brokers over TLS (certificates checked against KAFKA_SSL_CA, or the system's CAs). */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'KAFKA_SSL must be true or false' })
  KAFKA_SSL?: 'true' | 'false';

  /** The CA that signed the brokers' certificates: PEM text, or the path of a PEM file. Implies KAFKA_SSL=true. */
  @IsOptional()
  @IsString()
  KAFKA_SSL_CA?: string;

  /** Prefixes Kafka consumer group ids: isolated test runs, or a second environment on one cluster. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'KAFKA_GROUP_PREFIX may hold only letters, digits, ".", "_" and "-" (at most 64)' })
  KAFKA_GROUP_PREFIX?: string;

  /**
   * Longest a single SQL statement may run (ms, 0 = no limit): a stuck statement fails instead of
   * holding a pooled connection, and locks, forever.
   */
  @Type(() => Number)
  @IsInt({ message: 'DB_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(0, { message: 'DB_STATEMENT_TIMEOUT_MS must be 0 (no limit) or more' })
  DB_STATEMENT_TIMEOUT_MS = 60_000;

  /**
   * Longest a transaction may sit idle between statements (ms, 0 = no limit): PostgreSQL ends it,
   * so a process that froze or lost its peer mid-transaction cannot hold back row locks and every
   * relay of the cluster (relays read only below the oldest open transaction).
   */
  @Type(() => Number)
  @IsInt({ message: 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(0, { message: 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS must be 0 (no limit) or more' })
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;

  /**
   * How often a service that records events publishes the Merkle root of its stream heads on
   * `conduct.anchors.v1` (ms; 0: never): what a rewrite of the database is checked against.
   */
  @Type(() => Number)
  @IsInt({ message: 'ANCHOR_INTERVAL_MS must be a whole number of milliseconds' })
  @Min(0, { message: 'ANCHOR_INTERVAL_MS must be 0 (never) or more' })
  ANCHOR_INTERVAL_MS = 300_000;

  /**
   * How often the backlogs a service owes are measured (ms; 0: never): notices and webhook
   * deliveries waiting, deadlines and expiries passed and not yet recorded (`conduct_backlog_*`).
   */
  @Type(() => Number)
  @IsInt({ message: 'BACKLOG_MEASURE_INTERVAL_MS must be a whole number of milliseconds' })
  @Min(0, { message: 'BACKLOG_MEASURE_INTERVAL_MS must be 0 (never) or more' })
  BACKLOG_MEASURE_INTERVAL_MS = 15_000;

  /**
   * On SIGTERM, how long readiness answers 503 before the HTTP server stops taking requests (ms):
   * time for a load balancer to stop sending new ones. Requests keep being served meanwhile.
   */
  @Type(() => Number)
  @IsInt({ message: 'SHUTDOWN_DRAIN_MS must be a whole number of milliseconds' })
  @Min(0, { message: 'SHUTDOWN_DRAIN_MS must be 0 or more' })
  @Max(60_000, { message: 'SHUTDOWN_DRAIN_MS must be at most 60000' })
  SHUTDOWN_DRAIN_MS = 2_000;

  /**
   * Requests one caller (the token's `sub`) may make per RATE_LIMIT_WINDOW_SECONDS to this
   * service, every route together; beyond it 429 with Retry-After. Counted per process.
   */
  @Type(() => Number)
  @IsInt({ message: 'RATE_LIMIT_REQUESTS must be a whole number of requests' })
  @Min(1, { message: 'RATE_LIMIT_REQUESTS must be at least 1' })
  RATE_LIMIT_REQUESTS = 600;

  @Type(() => Number)
  @IsInt({ message: 'RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds' })
  @Min(1, { message: 'RATE_LIMIT_WINDOW_SECONDS must be at least 1' })
  @Max(3_600, { message: 'RATE_LIMIT_WINDOW_SECONDS must be at most 3600' })
  RATE_LIMIT_WINDOW_SECONDS = 60;

  /** Overrides the service name in logs, e.g. to tell replicas apart. */
  @IsOptional()
  @IsString()
  SERVICE_NAME?: string;

  /** JWT_PUBLIC_KEY as PEM text: the variable itself, or the file it names. */
  configuredPublicKey(): string | undefined {
    return this.JWT_PUBLIC_KEY?.trim() ? pemSetting('JWT_PUBLIC_KEY', this.JWT_PUBLIC_KEY, 'key') : undefined;
  }

  /** How tokens are verified: the JWKS endpoint, the configured key, or (not in production) the local development key. */
  tokenVerifierOptions(): VerifierOptions {
    const common = {
      issuer: this.JWT_ISSUER,
      audience: this.JWT_AUDIENCE,
      maxTokenAgeSeconds: this.JWT_MAX_TOKEN_AGE_SECONDS,
      clockToleranceSeconds: this.JWT_CLOCK_TOLERANCE_SECONDS,
    };
    if (this.JWT_JWKS_URL) return { ...common, jwksUrl: this.JWT_JWKS_URL };
    return { ...common, publicKeyPem: this.configuredPublicKey() ?? localIssuer().publicKeyPem };
  }

  /** The TLS and SASL settings of every Kafka client of the service (none: plaintext, unauthenticated). */
  kafkaSecurity(): Pick<KafkaConfig, 'ssl' | 'sasl'> {
    const security: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
    const ca = this.KAFKA_SSL_CA?.trim();
    if (ca) security.ssl = { ca: [ca.startsWith('-----BEGIN') ? ca : readPem('KAFKA_SSL_CA', ca, 'certificate')], rejectUnauthorized: true };
    else if (this.KAFKA_SSL === 'true') security.ssl = true;
    if (this.KAFKA_SASL_MECHANISM && this.KAFKA_SASL_USERNAME && this.KAFKA_SASL_PASSWORD) {
      // kafkajs types SASL as one union member per mechanism; the validated setting is one of them.
      security.sasl = { mechanism: this.KAFKA_SASL_MECHANISM, username: this.KAFKA_SASL_USERNAME, password: this.KAFKA_SASL_PASSWORD } as SASLOptions;
    }
    return security;
  }

  /** Kafka settings that validate one by one but not together; checked in every environment. */
  private kafkaProblems(): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    if (this.KAFKA_SASL_MECHANISM) {
      for (const variable of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
        if (!this[variable]) problems.push({ variable, reason: `${variable} is required with KAFKA_SASL_MECHANISM` });
      }
    } else if (this.KAFKA_SASL_USERNAME || this.KAFKA_SASL_PASSWORD) {
      problems.push({
        variable: 'KAFKA_SASL_MECHANISM',
        reason: 'KAFKA_SASL_MECHANISM is required with KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD (scram-sha-512, scram-sha-256 or plain)',
      });
    }
    if (this.KAFKA_SSL === 'false' && this.KAFKA_SSL_CA)
      problems.push({ variable: 'KAFKA_SSL', reason: 'KAFKA_SSL=false contradicts KAFKA_SSL_CA (a CA means TLS)' });
    if (this.production && this.KAFKA_SASL_MECHANISM === 'plain' && !this.kafkaSecurity().ssl) {
      problems.push({
        variable: 'KAFKA_SASL_MECHANISM',
        reason: 'KAFKA_SASL_MECHANISM=plain sends the password in clear: production needs KAFKA_SSL=true (or KAFKA_SSL_CA) with it, or SCRAM',
      });
    }
    return problems;
  }

  /** KEYSTORE_URL, or `conduct_keys` on DATABASE_URL's server. */
  get keystoreUrl(): string {
    return this.KEYSTORE_URL ?? databaseNamed(this.DATABASE_URL, KEYSTORE_DATABASE);
  }

  /** KEYSTORE_MIGRATION_URL, or `conduct_keys` on DATABASE_MIGRATION_URL's server; undefined when neither is set. */
  get keystoreMigrationUrl(): string | undefined {
    if (this.KEYSTORE_MIGRATION_URL) return this.KEYSTORE_MIGRATION_URL;
    return this.DATABASE_MIGRATION_URL && !this.KEYSTORE_URL ? databaseNamed(this.DATABASE_MIGRATION_URL, KEYSTORE_DATABASE) : undefined;
  }

  /** The 32 bytes of PERSONAL_DATA_KEY, or the development key. */
  get personalDataMasterKey(): Buffer {
    return Buffer.from(this.PERSONAL_DATA_KEY ?? DEVELOPMENT_PERSONAL_DATA_KEY, 'base64');
  }

  /** Running in production: `NODE_ENV=production`. */
  get production(): boolean {
    return this.NODE_ENV === 'production';
  }

  /**
   * Settings that validate one by one but are unsafe together in production: the service refuses
   * to start with them, naming each. A service's config class adds its own (call super).
   */
  productionProblems(): ConfigProblem[] {
    const problems: ConfigProblem[] = this.kafkaProblems();
    if (!this.production) return problems;
    if (!this.JWT_JWKS_URL && !this.JWT_PUBLIC_KEY) {
      problems.push({
        variable: 'JWT_JWKS_URL',
        reason: 'NODE_ENV=production needs JWT_JWKS_URL or JWT_PUBLIC_KEY: the identity provider that signs tokens',
      });
    }
    if (this.JWT_ISSUER === LOCAL_ISSUER) {
      problems.push({
        variable: 'JWT_ISSUER',
        reason: `JWT_ISSUER must name the identity provider in production, not the local development issuer "${LOCAL_ISSUER}"`,
      });
    }
    const pem = this.configuredPublicKey();
    if (pem !== undefined && isLocalDevelopmentKey(pem)) {
      problems.push({
        variable: 'JWT_PUBLIC_KEY',
        reason: "JWT_PUBLIC_KEY is the local development key, whose private half lies in .cache/keys: configure the identity provider's key",
      });
    }
    if (!this.KEYSTORE_URL) {
      problems.push({
        variable: 'KEYSTORE_URL',
        reason: 'NODE_ENV=production needs KEYSTORE_URL: the keystore of per-person keys, a database of its own (docs/privacy.md)',
      });
    }
    if (!this.PERSONAL_DATA_KEY || this.PERSONAL_DATA_KEY === DEVELOPMENT_PERSONAL_DATA_KEY) {
      problems.push({
        variable: 'PERSONAL_DATA_KEY',
        reason: 'NODE_ENV=production needs PERSONAL_DATA_KEY, a master key of its own (32 random bytes, base64), not the development key',
      });
    }
    if (this.JWT_SECRET !== undefined) {
      problems.push({
        variable: 'JWT_SECRET',
        reason:
          "JWT_SECRET is a shared secret anyone who holds it can mint tokens with: remove it (tokens are verified with the identity provider's public key)",
      });
    }
    return problems;
  }
}

/** The keystore's database when KEYSTORE_URL is not set. */
export const KEYSTORE_DATABASE = 'conduct_keys';

/** Local runs and tests only: production refuses it. */
export const DEVELOPMENT_PERSONAL_DATA_KEY = 'Y29uZHVjdC1kZXZlbG9wbWVudC1vbmx5LWtleS0wMDA=';

/** `url` with its database replaced by `database`. */
function databaseNamed(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A setting that holds PEM text, or the path of a PEM file; the variable is at fault when the file cannot be read. */
export function pemSetting(variable: string, value: string, kind: 'key' | 'certificate'): string {
  const text = value.trim();
  return text.startsWith('-----BEGIN') ? text : readPem(variable, text, kind);
}

/** A PEM file a variable names; the variable is at fault when it cannot be read. */
function readPem(variable: string, path: string, kind: 'key' | 'certificate'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ConfigValidationError([{ variable, reason: `${variable} is neither a PEM ${kind} nor a readable file: ${path}` }]);
  }
}

/**
 * The Kafka TLS and SASL settings of a command-line tool (dlq, rebuild, create-topics) from the same
 * variables the services read, so that a tool reaches a secured cluster as the services do.
 */
export function kafkaSecurityFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const config = new BaseServiceConfig();
  const variables = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SSL', 'KAFKA_SSL_CA'] as const;
  Object.assign(config, Object.fromEntries(variables.filter((name) => env[name]).map((name) => [name, env[name]])));
  return config.kafkaSecurity();
}
