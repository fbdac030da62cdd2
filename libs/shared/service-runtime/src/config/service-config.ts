import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const PORT_RANGE = { message: 'PORT must be an integer between 1 and 65535' };

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

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  /** Comma-separated host:port list, e.g. `127.0.0.1:9092,kafka-2:9092`. */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((broker) => broker.trim()).filter(Boolean) : value))
  @IsArray({ message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  @ArrayNotEmpty({ message: 'KAFKA_BROKERS must name at least one broker' })
  @Matches(/^[^\s:]+:\d{1,5}$/, { each: true, message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS: string[];

  @IsString()
  @MinLength(16, { message: 'JWT_SECRET must be at least 16 characters long' })
  JWT_SECRET: string;

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

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
   * On SIGTERM, how long readiness answers 503 before the HTTP server stops taking requests (ms):
   * time for a load balancer to stop sending new ones. Requests keep being served meanwhile.
   */
  @Type(() => Number)
  @IsInt({ message: 'SHUTDOWN_DRAIN_MS must be a whole number of milliseconds' })
  @Min(0, { message: 'SHUTDOWN_DRAIN_MS must be 0 or more' })
  @Max(60_000, { message: 'SHUTDOWN_DRAIN_MS must be at most 60000' })
  SHUTDOWN_DRAIN_MS = 2_000;

  /** Overrides the service name in logs, e.g. to tell replicas apart. */
  @IsOptional()
  @IsString()
  SERVICE_NAME?: string;
}
