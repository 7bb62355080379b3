import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator';
import { PORTFOLIO_ID_PARAM } from '../common/api-params';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { RawBody } from '../common/request-parts.decorator';
import { AcceptsCsv } from '../common/content-parsers';
import { Roles } from '../auth/roles.decorator';
import { API_KEY_SCHEME } from '../observability/swagger';
import { CreatePortfolioDto, IngestCountsDto, IngestQueryDto, IngestResultDto, PortfolioResponseDto, PositionDto, WideIngestResultDto } from './dto/portfolio.dto';
import { PortfoliosService } from './portfolios.service';

const DATE = { type: 'string', format: 'date', example: '2024-01-02' };
const RETURN_ROW = { type: 'object', required: ['date', 'return_pct'], properties: { date: DATE, return_pct: { type: 'number', example: 0.0012, description: 'A fraction: 0.0012 = +0.12 %' } } };
const PRICE_ROW = { type: 'object', required: ['date', 'price'], properties: { date: DATE, price: { type: 'number', example: 1688.5, description: 'A close, > 0 (?input=prices)' } } };
const RETURNS_CSV = 'date,return_pct\n2024-01-02,0.0012\n2024-01-03,-2.31e-2\n2024-01-04,0.0047\n';
const PRICES_CSV = 'date,price\n2024-01-02,1678.1\n2024-01-03,1688.5\n2024-01-04,1678.6\n';
const WIDE_RETURNS_CSV = 'date,SMI,CAC\n2024-01-02,0.0062,-0.0126\n2024-01-03,-0.0059,\n2024-01-04,0.0033,-0.0057\n';
const WIDE_PRICES_CSV = 'date,SMI,CAC\n1991-07-01,1678.1,1772.8\n1991-07-02,1688.5,1750.5\n1991-07-03,1678.6,\n1991-07-04,1684.1,1708.1\n';
const GUARD =
  'return_pct is a simple return as a **fraction** (0.0012 = +0.12 %); a batch with any return beyond ±0.5 is refused (400 naming the ' +
  'rows: 1.2 meant as 1.2 % would be stored as +120 %) unless `?allow_extreme=true`. `?input=prices` takes closes (> 0) instead: ' +
  'r_t = P_t / P_{t−1} − 1 between consecutive closes of an asset in the batch, in date order (a date without a close is spanned by ' +
  'the next return); the first close of an asset yields no return, and the ±0.5 guard applies to the computed returns.';

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
      'JSON `[{ "date": "2024-01-02", "return_pct": 0.0012 }]` or `text/csv` with header `date,return_pct` (with `?input=prices`: ' +
      '`[{ "date", "price" }]` or `date,price`), numbers in any JSON number form (exponents too). ' + GUARD + ' Idempotent on (asset_id, date): an unchanged ' +
      'row counts as neither inserted nor updated. One bad row rejects the whole batch, naming every bad row (`[i]` 0-based for ' +
      'JSON, `line N` for CSV with the header as line 1); nothing is written. CSV is read as it streams in: a wrong header, or a row past 1,000,000, stops reading at once.',
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: { type: 'array', items: { oneOf: [RETURN_ROW, PRICE_ROW] } },
          examples: {
            json: { summary: 'JSON rows of returns', value: [{ date: '2024-01-02', return_pct: 0.0012 }, { date: '2024-01-03', return_pct: -0.0231 }] },
            prices: { summary: 'JSON closes (?input=prices)', value: [{ date: '2024-01-02', price: 1678.1 }, { date: '2024-01-03', price: 1688.5 }, { date: '2024-01-04', price: 1678.6 }] },
          },
        },
        'text/csv': {
          schema: { type: 'string', description: 'Header date,return_pct (or date,price with ?input=prices), then one row per date' },
          examples: { csv: { summary: 'CSV of returns', value: RETURNS_CSV }, prices: { summary: 'CSV of closes (?input=prices)', value: PRICES_CSV } },
        },
      },
    },
  })
  @ApiParam({ name: 'asset_id', description: 'Asset id: 1 to 64 characters of letters, digits and . _ : -', example: 'SMI', schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,64}$' } })
  @ApiOkResponse({ type: IngestResultDto })
  @ApiErrors(400, 401, 403, 413, 415)
  ingest(@Param('asset_id', ParseIdPipe) assetId: string, @RawBody() body: unknown, @Query() q: IngestQueryDto): Promise<IngestResultDto> {
    return this.portfolios.ingestReturns(assetId, body, { input: q.input, allowExtreme: q.allow_extreme });
  }

  @Put('returns')
  @HttpCode(200)
  @AcceptsCsv()
  @Roles('risk_manager')
  @ApiExtraModels(IngestCountsDto)
  @ApiOperation({
    summary: 'Upsert the returns of many assets from one wide CSV (one column per asset)',
    description:
      '`text/csv` with header `date,<asset_id>,<asset_id>,…` (a spreadsheet export), one row per date; an empty cell is no value for ' +
      'that asset that day. ' + GUARD + ' Every asset is upserted in one transaction: one bad cell rejects the whole file, naming ' +
      'every bad cell (`line N: <asset_id> …`, the header is line 1), and nothing is written. At most 1,000 asset columns, ' +
      '1,000,000 rows and 1,000,000 values. Answers the counts of each asset column.',
    requestBody: {
      required: true,
      content: {
        'text/csv': {
          schema: { type: 'string', description: 'Header date,<asset_id>,<asset_id>,…, then one row per date' },
          examples: { returns: { summary: 'Returns of two assets (CAC has no value on 2024-01-03)', value: WIDE_RETURNS_CSV }, prices: { summary: 'Closes of two assets (?input=prices)', value: WIDE_PRICES_CSV } },
        },
      },
    },
  })
  @ApiOkResponse({
    description: 'The counts of each asset column (zeros when nothing changed)',
    schema: { type: 'object', additionalProperties: { $ref: getSchemaPath(IngestCountsDto) }, example: { SMI: { inserted: 3, updated: 0 }, CAC: { inserted: 2, updated: 0 } } },
  })
  @ApiErrors(400, 401, 403, 413, 415)
  ingestWide(@RawBody() body: unknown, @Query() q: IngestQueryDto): Promise<WideIngestResultDto> {
    return this.portfolios.ingestWide(body, { input: q.input, allowExtreme: q.allow_extreme });
  }
}
