import { Command } from '@nestjs/cqrs';
import { ApiProperty } from '@nestjs/swagger';
import { Principal } from '@conduct/auth';
import { RegisterOfficialAccountDto } from './register-official-account.dto';

export class RegisterOfficialAccountCommand extends Command<OfficialAccountCreated> {
  constructor(
    readonly request: RegisterOfficialAccountDto,
    readonly principal: Principal,
    readonly correlationId: string,
    readonly idempotencyKey?: string,
  ) {
    super();
  }
}

/** What `POST /official-accounts` answers, the first time and on every repeat with the same key. */
export class OfficialAccountCreated {
  @ApiProperty({ format: 'uuid', description: 'Derived from platform and handle: the same account always has this id.' })
  accountId!: string;

  @ApiProperty({ enum: ['active'] }) status!: 'active';

  @ApiProperty({ example: 1, description: 'The stream version, also sent as ETag.' }) version!: number;
}
