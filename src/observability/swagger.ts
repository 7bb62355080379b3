import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config';

export const API_KEY_SCHEME = 'api-key';

const DESCRIPTION = `
Risk figures for the trading desks: Value-at-Risk, expected shortfall, drawdown, position sizing,
VaR backtests, stored portfolios, limits and alerts.

**Conventions** (every figure can be reproduced with numpy / scipy / R):
- \`confidence\` is a **percentage**: 95, 97.5, 99 (50 < c < 100). 0.95 is rejected.
- Returns are simple period returns as fractions (0.012 = +1.2 %), oldest first, each finite and > −1.
- VaR and CVaR are the P&L at the tail, so **a loss is negative**: \`var = var_return × portfolio_value\`.
- Quantiles are **type 7** (numpy \`linear\`, R's default); σ is the **sample** standard deviation (n − 1);
  skewness and excess kurtosis use central moments over n (scipy defaults).
- Horizon: parametric scales mean × h and σ × √h; historical and Cornish–Fisher use the square-root-of-time
  rule; Monte Carlo simulates compounded h-period returns. The answer says which in \`scaling\`.
- Money is a decimal **string** with 2 places, rounded half-to-even; statistics are plain numbers.
- Drawdowns are positive depths (0.22 = 22 % below the peak).
- Field names are snake_case; errors always have the body
  \`{ status_code, error, error_type, message[], correlation_id }\`.
- Send \`x-correlation-id\` to trace a request through logs and events; it is echoed back.

**For analysts**: load a CSV of closes or returns (\`PUT /v1/returns\`), store a portfolio, its positions and
limits, store VaR / CVaR results, then open the **[report page](/report)** in a browser: it asks for the API key
once and charts the portfolio's VaR history against its limit, underwater curve, Euler contributions, return
histogram with VaR and CVaR, open alerts and stress table from this API (the README walks through it).
`;

/** Swagger UI at /docs, OpenAPI JSON at /docs-json. */
export function setupSwagger(app: NestFastifyApplication, _config: AppConfig): void {
  const doc = new DocumentBuilder()
    .setTitle('Risk service')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addApiKey({ type: 'apiKey', name: 'x-api-key', in: 'header' }, API_KEY_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, doc);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}
