import { NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigValidationError, loadConfig } from '@conduct/config';
import { ViolationServiceConfig } from '../violation-service.config';
import { BenchBaselineController } from './bench-baseline.http.controller';

const env = { PORT: '3002', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/conduct_violation', KAFKA_BROKERS: '127.0.0.1:9092' };
const production = {
  ...env,
  NODE_ENV: 'production',
  JWT_JWKS_URL: 'https://idp.example/certs',
  JWT_ISSUER: 'https://idp.example',
  KEYSTORE_URL: 'postgres://conduct_service@keys.internal:5432/conduct_keys',
  PERSONAL_DATA_KEY: Buffer.alloc(32, 9).toString('base64'),
};

describe('the bench:http baseline route', () => {
  it('is off unless BENCH_BASELINE_ROUTE=true: a 404 that touches no database', async () => {
    const controller = new BenchBaselineController(loadConfig(ViolationServiceConfig, env), {} as DataSource);
    await expect(controller.insert({})).rejects.toBeInstanceOf(NotFoundException);
  });

  it('is refused in production, naming the setting', () => {
    expect(loadConfig(ViolationServiceConfig, production).benchBaselineRoute).toBe(false);
    try {
      loadConfig(ViolationServiceConfig, { ...production, BENCH_BASELINE_ROUTE: 'true' });
      throw new Error('expected the production configuration to be refused');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      expect((error as ConfigValidationError).problems.map((problem) => problem.variable)).toEqual(['BENCH_BASELINE_ROUTE']);
    }
  });
});
