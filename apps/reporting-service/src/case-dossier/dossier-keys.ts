import { createPublicKey, KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DossierSigner, keyIdOf } from '@conduct/dossier';
import { ReportingServiceConfig } from '../reporting-service.config';

/** A public key as /.well-known/conduct-keys lists it. */
export interface PublishedKey {
  keyId: string;
  algorithm: 'Ed25519';
  use: 'case-dossier';
  /** SubjectPublicKeyInfo, PEM: what `conduct-verify --key` takes. */
  publicKeyPem: string;
  /** The same key as a JWK (RFC 8037). */
  jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string };
}

/** The key that signs case dossiers, read once at start (a bad DOSSIER_SIGNING_KEY stops the service there). */
@Injectable()
export class DossierKeys {
  readonly signer: DossierSigner;
  private readonly publicKey: KeyObject;

  constructor(config: ReportingServiceConfig) {
    const privateKey = config.dossierSigningKey();
    this.publicKey = createPublicKey(privateKey);
    this.signer = { keyId: keyIdOf(this.publicKey), privateKey };
  }

  published(): PublishedKey[] {
    const { x } = this.publicKey.export({ format: 'jwk' });
    return [
      {
        keyId: this.signer.keyId,
        algorithm: 'Ed25519',
        use: 'case-dossier',
        publicKeyPem: this.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        jwk: { kty: 'OKP', crv: 'Ed25519', x: x!, kid: this.signer.keyId },
      },
    ];
  }
}
