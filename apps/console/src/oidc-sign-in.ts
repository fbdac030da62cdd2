import * as openid from 'openid-client';
import { Principal, TOKEN_AUDIENCE, TokenVerifier } from '@conduct/auth';

/** How the console signs people in at the force's identity provider (CONSOLE_OIDC_*). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** A confidential client's secret; without one the console is a public client (PKCE alone). */
  clientSecret?: string;
  /** `<CONSOLE_PUBLIC_URL>/bff/oidc/callback`, registered at the provider. */
  redirectUri: string;
  /** Scopes asked for: `openid` and whatever the provider needs to issue a token for Conduct's API. */
  scope: string;
  /** The resource indicator (RFC 8707) naming Conduct's API, where the provider wants one. */
  resource?: string;
  /** Plain HTTP to the provider: tests against a provider on 127.0.0.1 only; refused in production. */
  allowHttp: boolean;
}

/** A sign-in under way: the PKCE verifier kept here while the browser is at the provider. */
interface PendingSignIn {
  verifier: string;
  expiresAt: number;
}

/** A browser has this long at the provider's login page before its sign-in must start again. */
const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;

export class OidcSignInError extends Error {}

/**
 * The authorization code flow with PKCE (openid-client): the console sends the browser to the
 * provider with a fresh state and code challenge, and at the callback exchanges the code (with the
 * verifier) for the person's access token, which it verifies as the services will (issuer,
 * audience, signature against the provider's keys) before it starts a session.
 */
export class OidcSignIn {
  private configuration?: Promise<{ config: openid.Configuration; verifier: TokenVerifier }>;
  private readonly pending = new Map<string, PendingSignIn>();

  constructor(
    private readonly settings: OidcSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Where to send the browser, and the state that its callback must bring back. */
  async begin(): Promise<{ url: string; state: string }> {
    const { config } = await this.discovered();
    const verifier = openid.randomPKCECodeVerifier();
    const state = openid.randomState();
    this.forgetExpired();
    if (this.pending.size >= MAX_PENDING) throw new OidcSignInError('Too many sign-ins under way; try again in a moment');
    this.pending.set(state, { verifier, expiresAt: this.now() + PENDING_TTL_MS });
    const url = openid.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scope,
      code_challenge: await openid.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      ...(this.settings.resource ? { resource: this.settings.resource } : {}),
    });
    return { url: url.href, state };
  }

  /** Exchanges the callback's code for the person's token; the principal is read from the verified token. */
  async complete(callbackUrl: URL, state: string | undefined): Promise<{ principal: Principal; accessToken: string; expiresAt: number }> {
    const pending = state === undefined ? undefined : this.pending.get(state);
    if (!pending || pending.expiresAt < this.now()) throw new OidcSignInError('This sign-in is unknown or took too long: start again');
    this.pending.delete(state!);
    const { config, verifier } = await this.discovered();
    let tokens: openid.TokenEndpointResponse;
    try {
      tokens = await openid.authorizationCodeGrant(
        config,
        callbackUrl,
        { pkceCodeVerifier: pending.verifier, expectedState: state },
        this.settings.resource ? { resource: this.settings.resource } : undefined,
      );
    } catch (error) {
      throw new OidcSignInError(`The identity provider did not sign you in: ${error instanceof Error ? error.message : String(error)}`);
    }
    let principal: Principal;
    try {
      principal = await verifier.verify(tokens.access_token);
    } catch (error) {
      throw new OidcSignInError(
        `The identity provider's token is not one Conduct accepts: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const expiresIn = tokens.expires_in ?? 300;
    return { principal, accessToken: tokens.access_token, expiresAt: this.now() + expiresIn * 1000 };
  }

  private discovered(): Promise<{ config: openid.Configuration; verifier: TokenVerifier }> {
    this.configuration ??= (async () => {
      const { issuer, clientId, clientSecret, allowHttp } = this.settings;
      const config = await openid.discovery(
        new URL(issuer),
        clientId,
        clientSecret,
        clientSecret ? openid.ClientSecretPost(clientSecret) : openid.None(),
        allowHttp ? { execute: [openid.allowInsecureRequests] } : undefined,
      );
      const jwksUrl = config.serverMetadata().jwks_uri;
      if (!jwksUrl) throw new OidcSignInError(`${issuer} publishes no jwks_uri`);
      const verifier = new TokenVerifier({
        jwksUrl,
        issuer: config.serverMetadata().issuer,
        audience: TOKEN_AUDIENCE,
        maxTokenAgeSeconds: 12 * 3600,
        clockToleranceSeconds: 30,
      });
      return { config, verifier };
    })().catch((error: unknown) => {
      // Not cached: the next sign-in asks the provider again.
      this.configuration = undefined;
      throw error instanceof OidcSignInError
        ? error
        : new OidcSignInError(`The identity provider at ${this.settings.issuer} did not answer: ${String(error)}`);
    });
    return this.configuration;
  }

  private forgetExpired(): void {
    const at = this.now();
    for (const [state, pending] of this.pending) if (pending.expiresAt < at) this.pending.delete(state);
  }
}
