import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { NotFoundError } from '../common/errors';
import { loadReportAssets, REPORT_CSP, ReportAsset } from './report-assets';

/**
 * GET /report: the analysts' report page (docs/api.md "Report page"), static files served by the
 * service. Public: the page holds no data; it asks for an API key, keeps it in the tab's session
 * storage and sends it as x-api-key to the JSON API, which checks it as for any other caller.
 */
@ApiTags('report')
@Public()
@Controller('report')
export class ReportController {
  private readonly assets: Map<string, ReportAsset> = loadReportAssets();

  @Get()
  @ApiOperation({
    summary: 'The report page (HTML, for a browser)',
    description:
      'No key needed to load it: the page asks for an API key once (kept in the tab\'s session storage, never in a URL) and reads ' +
      'everything from the JSON API with it: a portfolio picker, VaR history against the limit, the underwater curve, the Euler ' +
      'contributions, the return histogram with VaR and CVaR marked, open alerts and a stress table. The charts are drawn with ' +
      'Chart.js served from /report/assets (no CDN: works offline). A key with the analyst role sees every panel (the underwater ' +
      'curve and the stress table are POST calculations); a viewer key sees the others.',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } })
  page(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply): void {
    this.send(this.assets.get('index.html')!, ifNoneMatch, reply);
  }

  @Get('assets/:file')
  @ApiExcludeEndpoint()
  asset(@Param('file') file: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply): void {
    const asset = file === 'index.html' ? undefined : this.assets.get(file);
    if (!asset) throw new NotFoundError(`no report asset ${JSON.stringify(file)}`);
    this.send(asset, ifNoneMatch, reply);
  }

  private send(asset: ReportAsset, ifNoneMatch: string | undefined, reply: FastifyReply): void {
    reply
      .header('content-security-policy', REPORT_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      // Revalidated on each load (a new build serves new files at the same names), 304 when unchanged.
      .header('cache-control', 'no-cache')
      .header('etag', asset.etag);
    if (ifNoneMatch === asset.etag) {
      reply.code(304).send();
      return;
    }
    reply.type(asset.type).send(asset.body);
  }
}
