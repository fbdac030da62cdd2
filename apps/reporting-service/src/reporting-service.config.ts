import { createPrivateKey, KeyObject } from 'node:crypto';
import { IsOptional, IsString } from 'class-validator';
import { localSigningKey } from '@conduct/auth';
import { BaseServiceConfig, ConfigProblem, ConfigValidationError, pemSetting } from '@conduct/config';

export class ReportingServiceConfig extends BaseServiceConfig {
  /**
   * The Ed25519 private key that signs case dossiers (PKCS#8 PEM text, or the path of a PEM file),
   * e.g. `openssl genpkey -algorithm ed25519`. Required in production; elsewhere a local key in
   * `.cache/keys/`. Its public half is served at /.well-known/conduct-keys.
   */
  @IsOptional()
  @IsString()
  DOSSIER_SIGNING_KEY?: string;

  dossierSigningKey(): KeyObject {
    const pem = this.DOSSIER_SIGNING_KEY
      ? pemSetting('DOSSIER_SIGNING_KEY', this.DOSSIER_SIGNING_KEY, 'key')
      : localSigningKey('dossier-signing.pem');
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch {
      throw new ConfigValidationError([{ variable: 'DOSSIER_SIGNING_KEY', reason: 'DOSSIER_SIGNING_KEY is not a PEM private key' }]);
    }
    if (key.asymmetricKeyType !== 'ed25519')
      throw new ConfigValidationError([
        {
          variable: 'DOSSIER_SIGNING_KEY',
          reason: `DOSSIER_SIGNING_KEY must be an Ed25519 key (openssl genpkey -algorithm ed25519), not ${key.asymmetricKeyType}`,
        },
      ]);
    return key;
  }

  override productionProblems(): ConfigProblem[] {
    const problems = super.productionProblems();
    if (this.production && !this.DOSSIER_SIGNING_KEY)
      problems.push({
        variable: 'DOSSIER_SIGNING_KEY',
        reason: 'production signs case dossiers with its own Ed25519 key (openssl genpkey -algorithm ed25519), kept apart from the database',
      });
    return problems;
  }
}
