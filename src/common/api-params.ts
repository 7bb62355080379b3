import type { ApiParamOptions } from '@nestjs/swagger';

/** Swagger description of the `:id` of /v1/portfolios/:id/… routes (checked by ParseIdPipe). */
export const PORTFOLIO_ID_PARAM: ApiParamOptions = {
  name: 'id',
  description: 'Portfolio id, chosen at creation: 1 to 64 characters of letters, digits and . _ : -',
  example: 'desk-7',
  schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,64}$' },
};
