import { ReasonsDto } from '../reasons.dto';

export class CloseCaseDto extends ReasonsDto {}
export class ReopenCaseDto extends ReasonsDto {}
