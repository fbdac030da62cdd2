import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@conduct/auth';
import { IdParam, Page } from '@conduct/service-runtime';
import { Recipient, RecipientDto, RecipientPatchDto, RecipientsQueryDto } from './recipient.dto';
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
    description: 'One entry per role of a unit (OFFICER without serviceNumber = the unit\'s officer-facing address), and one per officer (OFFICER with serviceNumber). A second one answers 409.',
  })
  create(@Body() body: RecipientDto): Promise<Recipient> {
    return this.directory.create(body);
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

  @Put(':id')
  @ApiOperation({ summary: 'Replace a directory entry' })
  replace(@IdParam('id') id: string, @Body() body: RecipientDto): Promise<Recipient> {
    return this.directory.update(id, body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change some fields of a directory entry' })
  patch(@IdParam('id') id: string, @Body() body: RecipientPatchDto): Promise<Recipient> {
    return this.directory.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a directory entry; notices already queued keep their address' })
  remove(@IdParam('id') id: string): Promise<void> {
    return this.directory.remove(id);
  }
}
