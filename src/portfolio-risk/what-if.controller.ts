import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { PORTFOLIO_ID_PARAM } from '../common/api-params';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { API_KEY_SCHEME } from '../observability/swagger';
import { WhatIfRequestDto, WhatIfResponseDto } from './dto/what-if.dto';
import { WhatIfService } from './what-if.service';

const WHAT_IF_EXAMPLES = {
  buy: {
    summary: 'Buy 250,000 more CAC: historical VaR 95 % before and after',
    value: { trades: [{ asset_id: 'CAC', market_value_change: '250000' }], method: 'historical', confidence: 95, horizon_days: 1, lookback_days: 1000 },
  },
  switch: {
    summary: 'Sell SMI, buy a new asset (it needs stored returns), parametric 99 % over 10 days',
    value: { trades: [{ asset_id: 'SMI', market_value_change: '-100000' }, { asset_id: 'DAX', market_value_change: '100000' }], method: 'parametric', confidence: 99, horizon_days: 10 },
  },
};

/** What-if of proposed trades on a stored portfolio: nothing stored. */
@ApiTags('portfolio risk')
@ApiSecurity(API_KEY_SCHEME)
@ApiParam(PORTFOLIO_ID_PARAM)
@Controller('v1/portfolios/:id')
export class WhatIfController {
  constructor(private readonly whatIfs: WhatIfService) {}

  @Post('what-if')
  @HttpCode(200)
  @Roles('analyst')
  @ApiOperation({
    summary: 'VaR before and after proposed trades, incremental and marginal VaR, and the limits the new book would meet; nothing stored',
    description:
      'Each trade changes an asset\'s market value by market_value_change (money; several trades of one asset add up; an asset the ' +
      'book does not hold is added, and needs stored returns: 422 otherwise). `before` and `after` are the stored-portfolio VaR of ' +
      'the current book and of the new one, by the same method, confidence, horizon and lookback, over the dates every asset of ' +
      'either book has (docs/math.md "What-if and marginal VaR"); `incremental_var` = after.var − before.var; `marginal` is ' +
      '∂VaR/∂wᵢ of the current book (null for an asset it does not hold). `limit` compares |after.var_return| with max_var_percent ' +
      'of the limit in force scaled to the horizon, and `position_size` each position of the new book with max_position_size_percent, ' +
      'both on the one status scale (ok, warning, high, critical). No result, event, breach or alert is written. ' +
      'The same answer over NATS: risk.pretrade.check with "portfolio_id" in the body. ' +
      '404 unknown portfolio (or outside the key\'s scope); 422 empty book, an asset without returns, too few aligned dates, or a ' +
      'book whose net value would not be positive.',
  })
  @ApiBody({ type: WhatIfRequestDto, examples: WHAT_IF_EXAMPLES })
  @ApiOkResponse({ type: WhatIfResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  whatIf(@Param('id', ParseIdPipe) id: string, @Body() body: WhatIfRequestDto): Promise<WhatIfResponseDto> {
    return this.whatIfs.whatIf(id, body);
  }
}
