import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { PORTFOLIO_ID_PARAM } from '../common/api-params';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { API_KEY_SCHEME } from '../observability/swagger';
import { StressRequestDto, StressResponseDto } from './dto/stress.dto';
import { STRESS_EXAMPLES } from './stress.examples';
import { StressService } from './stress.service';

/** Stress scenarios of a stored portfolio over REST: the P&L of each scenario per asset and in total. Not stored. */
@ApiTags('portfolio risk')
@ApiSecurity(API_KEY_SCHEME)
@ApiParam(PORTFOLIO_ID_PARAM)
@Controller('v1/portfolios/:id')
export class StressController {
  constructor(private readonly stressTests: StressService) {}

  @Post('stress')
  @HttpCode(200)
  @Roles('analyst')
  @ApiOperation({
    summary: 'Stress scenarios of a stored portfolio: P&L per asset and in total, in money; nothing stored',
    description:
      'Each scenario gives every asset of the book a return Rᵢ: `shock` the returns you give (assets not listed: 0); `historical` each ' +
      'asset\'s compounded stored return Π(1 + rᵢ,t) − 1 over its own dates in [from, to]; `worst_window` the `days` consecutive dates of ' +
      'the book\'s aligned history (every date all assets share, no lookback cut) with the lowest compounded portfolio return, earliest on ' +
      'a tie, and each asset compounded over them (`from` / `to` say which). P&L per asset = vᵢRᵢ rounded half-even to cents; the total ' +
      'is the sum of the unrounded terms, then rounded; `pnl_return` = unrounded total / portfolio_value. Not stored, no event, no alert. ' +
      '400 for a malformed scenario (naming `scenarios[i].field`, e.g. a shock below −1, a field of another type, a repeated name, ' +
      '`to` before `from`); 404 unknown portfolio; 422 a shock on an asset the book does not hold, an asset without a stored return in a ' +
      'historical range, a window longer than the aligned history, a book without positions or returns, a non-positive book.',
  })
  @ApiBody({ type: StressRequestDto, examples: STRESS_EXAMPLES })
  @ApiOkResponse({ type: StressResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  stress(@Param('id', ParseIdPipe) id: string, @Body() body: StressRequestDto): Promise<StressResponseDto> {
    return this.stressTests.stress(id, body);
  }
}
