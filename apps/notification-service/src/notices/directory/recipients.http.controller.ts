import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@conduct/auth';
import { IdParam } from '@conduct/http';
import { Page } from '@conduct/queries';
import { Recipient, RecipientDto, RecipientEdit, RecipientPatchDto, RecipientsQueryDto } from './recipient.dto';
import { RecipientDirectory } from './recipient-directory';

@ApiTags('recipients')
@ApiBearerAuth()
@Roles('ADMIN')
@Controller('recipients')
export class RecipientsController {
  constructor(private readonly directory: RecipientDirectory) {}

  @Post()
  @ApiOperation({
    summary: 'Add a directory entry',
    description:
      "One entry per role of a unit (OFFICER without serviceNumber = the unit's officer-facing address), and one per officer (OFFICER with serviceNumber). A second one answers 409.",
  })
  create(@Body() body: RecipientDto, @CurrentPrincipal() principal: Principal): Promise<Recipient> {
    return this.directory.create(body, principal.subject);
  }

  @Get()
  @ApiOperation({ summary: 'Directory entries, by unit and role, paged' })
  list(@Query() query: RecipientsQueryDto): Promise<Page<Recipient>> {
    return this.directory.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One directory entry' })
  get(@IdParam('id') id: string): Promise<Recipient> {
    return this.directory.get(id);
  }

  @Get(':id/history')
  @ApiOperation({ summary: "Every change to a directory entry: who made it, when, and the entry before and after (kept after the entry's removal)" })
  history(@IdParam('id') id: string): Promise<RecipientEdit[]> {
    return this.directory.history(id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace a directory entry' })
  replace(@IdParam('id') id: string, @Body() body: RecipientDto, @CurrentPrincipal() principal: Principal): Promise<Recipient> {
    return this.directory.update(id, body, principal.subject);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change some fields of a directory entry' })
  patch(@IdParam('id') id: string, @Body() body: RecipientPatchDto, @CurrentPrincipal() principal: Principal): Promise<Recipient> {
    return this.directory.update(id, body, principal.subject);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a directory entry; notices already queued keep their address' })
  remove(@IdParam('id') id: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    return this.directory.remove(id, principal.subject);
  }
}
