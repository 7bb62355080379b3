import { Module } from '@nestjs/common';
import { ReportController } from './report.controller';

/** The analysts' report page (GET /report) and its static assets. */
@Module({ controllers: [ReportController] })
export class ReportModule {}
