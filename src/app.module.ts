import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { AlertsModule } from './alerts/alerts.module';
import { AuthModule } from './auth/auth.module';
import { DrawdownModule } from './drawdown/drawdown.module';
import { EventsModule } from './events/events.module';
import { LimitsModule } from './limits/limits.module';
import { CalculationModule } from './calculation/calculation.module';
import { PersistenceModule } from './persistence/persistence.module';
import { PortfolioRiskModule } from './portfolio-risk/portfolio-risk.module';
import { PortfoliosModule } from './portfolios/portfolios.module';
import { ReportModule } from './report/report.module';
import { loggerParams } from './observability/logging';
import { ObservabilityModule } from './observability/observability.module';
import { ReadinessService } from './observability/readiness.service';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerParams }),
    ObservabilityModule,
    PersistenceModule,
    AuthModule,
    CalculationModule,
    PortfoliosModule,
    PortfolioRiskModule,
    AlertsModule,
    LimitsModule,
    DrawdownModule,
    ReportModule,
    EventsModule, // for ReadinessService (NATS check)
  ],
  providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }, ReadinessService],
})
export class AppModule {}
