import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitClaim, placementOf } from '@conduct/jurisdiction';
import { OwningUnit, officialAccountStreamId } from '@conduct/approvals-domain';
import { idempotencyOf, StreamCommands } from '@conduct/event-sourcing';
import { OFFICIAL_ACCOUNTS } from '../official-account-stream';
import { UnitRegistry } from '../org-units/unit-registry';
import { OfficialAccountCreated, RegisterOfficialAccountCommand } from './register-official-account.command';

@CommandHandler(RegisterOfficialAccountCommand)
export class RegisterOfficialAccountHandler implements ICommandHandler<RegisterOfficialAccountCommand, OfficialAccountCreated> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly units: UnitRegistry,
  ) {}

  /**
   * One stream per platform and handle: a second registration of the account meets the first. With
   * the Idempotency-Key of its own registration by the same caller it is a repeat (the first answer,
   * or 422 for a different request); anything else is refused as already registered (409).
   */
  async execute({ request, principal, correlationId, idempotencyKey }: RegisterOfficialAccountCommand): Promise<OfficialAccountCreated> {
    const accountId = officialAccountStreamId(request.platform, request.handle);
    // Where the registry has the owning unit, not where the request says it is.
    const jurisdiction = owningUnit(await this.units.place(request.jurisdiction));
    const { version } = await this.streams
      .of(OFFICIAL_ACCOUNTS)
      .create({ streamId: accountId, principal, correlationId, ...idempotencyOf(idempotencyKey, request) }, ({ actor, now }) => ({
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
      }));
    return { accountId, status: 'active', version };
  }
}

/** A plain object without absent levels: it is hashed into the event chain. */
function owningUnit(claim: UnitClaim): OwningUnit {
  return { ...placementOf(claim), unitId: claim.unitId };
}
