import { IsOptional, IsString, IsUrl } from 'class-validator';
import { ConfigValidationError, loadConfig } from './load-config';
import { BaseServiceConfig, DEVELOPMENT_PERSONAL_DATA_KEY } from './service-config';

const validEnv = {
  PORT: '3001',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/conduct_approval',
  KAFKA_BROKERS: '127.0.0.1:9092, kafka-2:9093',
};

function problemsOf(env: NodeJS.ProcessEnv): ConfigValidationError {
  try {
    loadConfig(BaseServiceConfig, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('loadConfig', () => {
  it('reads and converts a valid environment, with defaults for unset optional variables', () => {
    const config = loadConfig(BaseServiceConfig, { ...validEnv, PATH: '/usr/bin' });
    expect(config).toBeInstanceOf(BaseServiceConfig);
    expect(config.PORT).toBe(3001);
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', 'kafka-2:9093']);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.SERVICE_NAME).toBeUndefined();
    expect(config).not.toHaveProperty('PATH');
  });

  it('names every bad variable and why, in one message', () => {
    const error = problemsOf({ ...validEnv, PORT: '70000', DATABASE_URL: undefined, JWT_MAX_TOKEN_AGE_SECONDS: '5', LOG_LEVEL: 'loud' });
    expect(error.message).toBe(
      'Invalid configuration: PORT must be an integer between 1 and 65535; DATABASE_URL is required; ' +
        'JWT_MAX_TOKEN_AGE_SECONDS must be at least 60; LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    );
    expect(error.problems.map((problem) => problem.variable)).toEqual(['PORT', 'DATABASE_URL', 'JWT_MAX_TOKEN_AGE_SECONDS', 'LOG_LEVEL']);
  });

  it('treats an empty variable as unset', () => {
    expect(problemsOf({ ...validEnv, DATABASE_URL: '' }).message).toBe('Invalid configuration: DATABASE_URL is required');
  });

  it('refuses a port that is not a number, and a broker list that is not host:port', () => {
    const error = problemsOf({ ...validEnv, PORT: 'eighty', KAFKA_BROKERS: 'localhost' });
    expect(error.message).toBe(
      'Invalid configuration: PORT must be an integer between 1 and 65535; KAFKA_BROKERS must be a comma-separated list of host:port',
    );
  });

  it('refuses a database URL that is not PostgreSQL', () => {
    expect(problemsOf({ ...validEnv, DATABASE_URL: 'mysql://x/y' }).message).toBe('Invalid configuration: DATABASE_URL must be a postgres:// URL');
  });

  it('never puts a value in the message (secrets stay out of logs)', () => {
    expect(problemsOf({ ...validEnv, JWT_JWKS_URL: 'tiny-secret' }).message).not.toContain('tiny-secret');
  });

  it('validates the variables a service adds by extending the base class', () => {
    class ApprovalServiceConfig extends BaseServiceConfig {
      @IsUrl({ require_tld: false, protocols: ['smtp'] }, { message: 'SMTP_URL must be a URL' })
      SMTP_URL: string;

      @IsOptional()
      @IsString()
      FEATURE_FLAG?: string;
    }
    expect(() => loadConfig(ApprovalServiceConfig, validEnv)).toThrow('Invalid configuration: SMTP_URL is required');
    expect(loadConfig(ApprovalServiceConfig, { ...validEnv, SMTP_URL: 'smtp://mail:1025' }).SMTP_URL).toBe('smtp://mail:1025');
  });

  describe('in production (NODE_ENV=production)', () => {
    const production = {
      ...validEnv,
      NODE_ENV: 'production',
      JWT_JWKS_URL: 'https://idp.police.gov.pk/realms/punjab/protocol/openid-connect/certs',
      JWT_ISSUER: 'https://idp.police.gov.pk/realms/punjab',
      KEYSTORE_URL: 'postgres://conduct_service@keys.internal:5432/conduct_keys',
      PERSONAL_DATA_KEY: Buffer.alloc(32, 9).toString('base64'),
    };

    it('takes an identity provider with its JWKS and issuer', () => {
      const config = loadConfig(BaseServiceConfig, production);
      expect(config.tokenVerifierOptions()).toMatchObject({ jwksUrl: production.JWT_JWKS_URL, issuer: production.JWT_ISSUER, audience: 'conduct' });
    });

    it('refuses no identity provider, the local development issuer, and the shared secret of earlier versions, naming each', () => {
      expect(
        problemsOf({ ...production, JWT_JWKS_URL: undefined, JWT_ISSUER: undefined, JWT_SECRET: 'conduct-local-dev-secret' }).problems.map(
          (problem) => problem.variable,
        ),
      ).toEqual(['JWT_JWKS_URL', 'JWT_ISSUER', 'JWT_SECRET']);
    });

    it('refuses no keystore, and no master key of personal data or the development one, naming each', () => {
      expect(
        problemsOf({ ...production, KEYSTORE_URL: undefined, PERSONAL_DATA_KEY: undefined }).problems.map((problem) => problem.variable),
      ).toEqual(['KEYSTORE_URL', 'PERSONAL_DATA_KEY']);
      expect(problemsOf({ ...production, PERSONAL_DATA_KEY: DEVELOPMENT_PERSONAL_DATA_KEY }).problems.map((problem) => problem.variable)).toEqual([
        'PERSONAL_DATA_KEY',
      ]);
      expect(problemsOf({ ...production, PERSONAL_DATA_KEY: 'c2hvcnQ=' }).message).toBe(
        'Invalid configuration: PERSONAL_DATA_KEY must be 32 bytes in base64 (44 characters)',
      );
    });

    it('keeps keys in conduct_keys beside the service database outside production, unless KEYSTORE_URL says where', () => {
      const local = loadConfig(BaseServiceConfig, { ...validEnv, DATABASE_MIGRATION_URL: 'postgres://postgres@127.0.0.1:5432/conduct_violation' });
      expect(local.keystoreUrl).toBe(validEnv.DATABASE_URL.replace(/\/[^/]+$/, '/conduct_keys'));
      expect(local.keystoreMigrationUrl).toBe('postgres://postgres@127.0.0.1:5432/conduct_keys');
      expect(local.personalDataMasterKey.toString('base64')).toBe(DEVELOPMENT_PERSONAL_DATA_KEY);
      expect(loadConfig(BaseServiceConfig, production).keystoreUrl).toBe(production.KEYSTORE_URL);
    });

    it('names a JWT_PUBLIC_KEY that is neither a key nor a readable file', () => {
      expect(problemsOf({ ...production, JWT_JWKS_URL: undefined, JWT_PUBLIC_KEY: '/nonexistent/idp.pem' }).message).toBe(
        'Invalid configuration: JWT_PUBLIC_KEY is neither a PEM key nor a readable file: /nonexistent/idp.pem',
      );
    });

    it('checks nothing of this outside production: a local run uses the local development key', () => {
      expect(loadConfig(BaseServiceConfig, { ...validEnv, JWT_SECRET: 'left-over-from-an-old-env' }).production).toBe(false);
    });
  });

  describe('Kafka security (KAFKA_SASL_*, KAFKA_SSL*)', () => {
    const scram = { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'violation-service', KAFKA_SASL_PASSWORD: 's3cret' };

    it('connects in plaintext without settings, and with SCRAM credentials and TLS when given them', () => {
      expect(loadConfig(BaseServiceConfig, validEnv).kafkaSecurity()).toEqual({});
      expect(loadConfig(BaseServiceConfig, { ...validEnv, ...scram, KAFKA_SSL: 'true' }).kafkaSecurity()).toEqual({
        ssl: true,
        sasl: { mechanism: 'scram-sha-512', username: 'violation-service', password: 's3cret' },
      });
      const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
      expect(loadConfig(BaseServiceConfig, { ...validEnv, KAFKA_SSL_CA: ca }).kafkaSecurity()).toEqual({
        ssl: { ca: [ca], rejectUnauthorized: true },
      });
    });

    it('refuses a mechanism without credentials, credentials without a mechanism, and an unknown mechanism', () => {
      expect(problemsOf({ ...validEnv, KAFKA_SASL_MECHANISM: 'scram-sha-512' }).problems.map((problem) => problem.variable)).toEqual([
        'KAFKA_SASL_USERNAME',
        'KAFKA_SASL_PASSWORD',
      ]);
      expect(problemsOf({ ...validEnv, KAFKA_SASL_USERNAME: 'x', KAFKA_SASL_PASSWORD: 'y' }).problems.map((problem) => problem.variable)).toEqual([
        'KAFKA_SASL_MECHANISM',
      ]);
      expect(problemsOf({ ...validEnv, ...scram, KAFKA_SASL_MECHANISM: 'gssapi' }).message).toContain(
        'KAFKA_SASL_MECHANISM must be one of scram-sha-512, scram-sha-256, plain',
      );
    });

    it('refuses SASL/PLAIN without TLS in production: the password would cross the network in clear', () => {
      const production = {
        ...validEnv,
        NODE_ENV: 'production',
        JWT_JWKS_URL: 'https://idp.example/certs',
        JWT_ISSUER: 'https://idp.example',
        KEYSTORE_URL: 'postgres://conduct_service@keys.internal:5432/conduct_keys',
        PERSONAL_DATA_KEY: Buffer.alloc(32, 9).toString('base64'),
      };
      const plain = { ...scram, KAFKA_SASL_MECHANISM: 'plain' };
      expect(problemsOf({ ...production, ...plain }).problems).toEqual([expect.objectContaining({ variable: 'KAFKA_SASL_MECHANISM' })]);
      expect(loadConfig(BaseServiceConfig, { ...production, ...plain, KAFKA_SSL: 'true' }).kafkaSecurity().sasl).toMatchObject({
        mechanism: 'plain',
      });
    });
  });
});
