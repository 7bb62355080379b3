import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator';
import { PORTFOLIO_ID_PARAM } from '../common/api-params';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { RawBody } from '../common/request-parts.decorator';
import { AcceptsCsv } from '../common/content-parsers';
import { Roles } from '../auth/roles.decorator';
import { API_KEY_SCHEME } from '../observability/swagger';
import { CreatePortfolioDto, IngestResultDto, PortfolioResponseDto, PositionDto } from './dto/portfolio.dto';
import { PortfoliosService } from './portfolios.service';

const RETURN_ROW = { type: 'object', required: ['date', 'return_pct'], properties: { date: { type: 'string', format: 'date', example: '2024-01-02' }, return_pct: { type: 'number', example: 0.0012 } } };
const RETURNS_CSV = 'date,return_pct\n2024-01-02,0.0012\n2024-01-03,-2.31e-2\n2024-01-04,0.0047\n';

@ApiTags('portfolios and market data')
@ApiSecurity(API_KEY_SCHEME)
@Controller('v1')
export class PortfoliosController {
  constructor(private readonly portfolios: PortfoliosService) {}

  @Post('portfolios')
  @Roles('risk_manager')
  @ApiOperation({ summary: 'Create a portfolio', description: 'The id is the client’s; a second create with the same id is 409 CONFLICT.' })
  @ApiBody({ type: CreatePortfolioDto, examples: { desk: { summary: 'A desk in EUR', value: { id: 'desk-7', name: 'European equities desk', base_currency: 'EUR' } } } })
  @ApiCreatedResponse({ type: PortfolioResponseDto, description: 'Created (an empty book)' })
  @ApiErrors(400, 401, 403, 409)
  create(@Body() body: CreatePortfolioDto): Promise<PortfolioResponseDto> {
    return this.portfolios.create(body);
  }

  @Get('portfolios')
  @ApiOperation({ summary: 'List portfolios with their books' })
  @ApiOkResponse({ type: [PortfolioResponseDto] })
  @ApiErrors(401)
  list(): Promise<PortfolioResponseDto[]> {
    return this.portfolios.list();
  }

  @Get('portfolios/:id')
  @ApiOperation({ summary: 'A portfolio, its book and value' })
  @ApiParam(PORTFOLIO_ID_PARAM)
  @ApiOkResponse({ type: PortfolioResponseDto })
  @ApiErrors(400, 401, 404)
  get(@Param('id', ParseIdPipe) id: string): Promise<PortfolioResponseDto> {
    return this.portfolios.get(id);
  }

  @Put('portfolios/:id/positions')
  @Roles('risk_manager')
  @ApiOperation({ summary: 'Replace the book', description: 'Atomically replaces every position. Weights are market-value shares; short positions are negative.' })
  @ApiParam(PORTFOLIO_ID_PARAM)
  @ApiBody({ type: [PositionDto], examples: { book: { summary: 'Two indices', value: [{ asset_id: 'SMI', market_value: '600000.00' }, { asset_id: 'CAC', market_value: '400000.00' }] } } })
  @ApiOkResponse({ type: PortfolioResponseDto, description: 'The portfolio with its new book' })
  @ApiErrors(400, 401, 403, 404)
  replacePositions(@Param('id', ParseIdPipe) id: string, @Body() body: unknown): Promise<PortfolioResponseDto> {
    return this.portfolios.replacePositions(id, body);
  }

  @Put('assets/:asset_id/returns')
  @HttpCode(200)
  @AcceptsCsv()
  @Roles('risk_manager')
  @ApiOperation({
    summary: 'Upsert an asset’s daily returns (JSON or CSV)',
    description:
      'JSON `[{ "date": "2024-01-02", "return_pct": 0.0012 }]` or `text/csv` with header `date,return_pct`. return_pct is a simple ' +
      'return as a fraction (0.0012 = +0.12 %), any JSON number form (exponents too). Idempotent on (asset_id, date): an unchanged ' +
      'row counts as neither inserted nor updated. One bad row rejects the whole batch, naming every bad row (`[i]` 0-based for ' +
      'JSON, `line N` for CSV with the header as line 1); nothing is written. CSV is read as it streams in: a wrong header, or a row past 1,000,000, stops reading at once.',
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: { type: 'array', items: RETURN_ROW },
          examples: { json: { summary: 'JSON rows', value: [{ date: '2024-01-02', return_pct: 0.0012 }, { date: '2024-01-03', return_pct: -0.0231 }] } },
        },
        'text/csv': {
          schema: { type: 'string', description: 'Header date,return_pct, then one row per date' },
          examples: { csv: { summary: 'CSV with a header', value: RETURNS_CSV } },
        },
      },
    },
  })
  @ApiParam({ name: 'asset_id', description: 'Asset id: 1 to 64 characters of letters, digits and . _ : -', example: 'SMI', schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,64}$' } })
  @ApiOkResponse({ type: IngestResultDto })
  @ApiErrors(400, 401, 403, 413, 415)
  ingest(@Param('asset_id', ParseIdPipe) assetId: string, @RawBody() body: unknown): Promise<IngestResultDto> {
    return this.portfolios.ingestReturns(assetId, body);
  }
}
