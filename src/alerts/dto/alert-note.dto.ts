import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Body of acknowledge and resolve. */
export class AlertNoteDto {
  @ApiPropertyOptional({ example: 'Desk head informed; hedge in progress', maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000)
  note?: string;
}
