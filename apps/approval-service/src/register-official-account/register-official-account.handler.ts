import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitClaim, placementOf } from '@conduct/jurisdiction';
import { DomainError } from '@conduct/decider';
import { OwningUnit, officialAccountStreamId } from '@conduct/approvals-domain';
import { ConcurrencyError, EventStore, IdempotencyKeyReusedError, requestHash } from '@conduct/event-store';
import { OfficialAccountCommands } from '../official-account-transition';
import { UnitRegistry } from '../org-units/unit-registry';
import { OfficialAccountCreated, RegisterOfficialAccountCommand } from './register-official-account.command';

const ALREADY_REGISTERED = 'official-account.already-registered';

@CommandHandler(RegisterOfficialAccountCommand)
export class RegisterOfficialAccountHandler implements ICommandHandler<RegisterOfficialAccountCommand, OfficialAccountCreated> {
  constructor(
    private readonly accounts: OfficialAccountCommands,
    private readonly store: EventStore,
    private readonly units: UnitRegistry,
  ) {}

  async execute({ request, principal, correlationId, idempotencyKey }: RegisterOfficialAccountCommand): Promise<OfficialAccountCreated> {
    // One stream per platform and handle: a second registration of the account meets the first.
    const accountId = officialAccountStreamId(request.platform, request.handle);
    const fingerprint = requestHash(request);
    // Where the registry has the owning unit, not where the request says it is.
    const jurisdiction = owningUnit(await this.units.place(request.jurisdiction));
    try {
      const { version } = await this.accounts.execute(
        accountId,
        { principal, correlationId, ...(idempotencyKey ? { idempotency: { key: idempotencyKey, requestHash: fingerprint } } : {}) },
        (actor, now) => ({
          type: 'RegisterOfficialAccount',
          data: {
            accountId,
            platform: request.platform,
            handle: request.handle,
            ...(request.url === undefined ? {} : { url: request.url }),
            kind: request.kind,
            jurisdiction,
            mediaTeam: { name: request.mediaTeam.name, unitId: request.mediaTeam.unitId },
            operatedBy: request.operatedBy,
            actor,
            now,
          },
        }),
      );
      return { accountId, status: 'active', version };
    } catch (error) {
      if (!isAlreadyRegistered(error)) throw error;
      return this.repeatOrConflict(accountId, principal.subject, fingerprint, idempotencyKey);
    }
  }

  /**
   * The account exists. With the Idempotency-Key of its own registration by the same caller, this
   * is a repeat: the same request gets the first answer, a different one is refused (422).
   * Anything else registers an account that is already there (409).
   */
  private async repeatOrConflict(accountId: string, subject: string, fingerprint: string, key?: string): Promise<OfficialAccountCreated> {
    if (key !== undefined) {
      const [first] = await this.store.readStream(accountId, { toVersion: 1 });
      const earlier = first?.metadata.idempotency;
      if (earlier?.key === key && first?.metadata.actor.id === subject) {
        if (earlier.requestHash !== fingerprint) throw new IdempotencyKeyReusedError(key);
        return { accountId, status: 'active', version: 1 };
      }
    }
    throw new DomainError('conflict', ALREADY_REGISTERED, `Official account ${accountId} is already registered`, undefined, 'handle');
  }
}

/** A plain object without absent levels: it is hashed into the event chain. */
function owningUnit(claim: UnitClaim): OwningUnit {
  return { ...placementOf(claim), unitId: claim.unitId };
}

// A concurrent registration of the same account loses the append race with ConcurrencyError.
const isAlreadyRegistered = (error: unknown): boolean =>
  error instanceof ConcurrencyError || (error instanceof DomainError && error.code === ALREADY_REGISTERED);
