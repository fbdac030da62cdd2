import { join } from 'node:path';
import { misplacedImports, packageOf, runtimeImports } from './production-imports';

describe('production imports', () => {
  it('reads the package of a specifier', () => {
    expect(['kafkajs', '@nestjs/common/decorators', 'node:crypto', 'crypto', './local', '@conduct/auth', 'jose/jwt/verify'].map(packageOf)).toEqual([
      'kafkajs',
      '@nestjs/common',
      undefined,
      undefined,
      undefined,
      undefined,
      'jose',
    ]);
  });

  it('finds runtime imports and leaves type-only ones out', () => {
    const source = [
      "import { Kafka } from 'kafkajs';",
      "import type { Options } from 'nodemailer';",
      "import 'reflect-metadata';",
      "export { SMTPServer } from 'smtp-server';",
      "const parser = require('mailparser');",
      "import { join } from 'node:path';",
    ].join('\n');
    expect(runtimeImports(source)).toEqual(['kafkajs', 'mailparser', 'reflect-metadata', 'smtp-server']);
  });

  // The Docker image installs dependencies only (npm ci --omit=dev): whatever the services, their
  // libraries and the scripts the image runs import must be among them.
  it('every package that code running in production imports is a production dependency', () => {
    expect(misplacedImports(join(__dirname, '..', '..'))).toEqual([]);
  });
});
