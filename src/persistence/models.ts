/** Domain models the repositories answer (never ORM rows). Money as decimal strings; statistics as numbers. */

export interface Portfolio {
  id: string;
  name: string;
  baseCurrency: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface Position {
  assetId: string;
  /** Decimal text; negative for a short position. */
  marketValue: string;
}

export interface ReturnRow {
  assetId: string;
  /** YYYY-MM-DD */
  date: string;
  /** Decimal text exactly as received (a fraction: 0.0012 = +0.12 %). */
  returnPct: string;
}

export interface ReturnSeries {
  dates: string[];
  values: Float64Array;
}

export interface Contribution {
  asset_id: string;
  weight: number;
  component_var_return: number;
  component_var: string;
}

export interface LimitCheck {
  max_var_percent: number | null;
  var_percent: number;
  utilization: number | null;
  status: 'ok' | 'warning' | 'breach';
  severity?: 'high' | 'critical' | null;
  confidence_level?: number;
  is_default?: boolean;
}

export interface VarResult {
  id: string;
  portfolioId: string;
  kind: 'VAR' | 'CVAR';
  method: string;
  confidenceLevel: number;
  horizonDays: number;
  scaling: string;
  valueReturn: number;
  value: string;
  portfolioValue: string;
  observations: number;
  fromDate: string | null;
  toDate: string | null;
  contributions: Contribution[];
  limitCheck: LimitCheck | null;
  correlationId: string | null;
  calculatedAt: Date;
}

export interface RiskLimit {
  id: string;
  portfolioId: string;
  maxVarPercent: number | null;
  maxDrawdownPercent: number | null;
  maxPositionSizePercent: number | null;
  confidenceLevel: number;
  effectiveDate: Date;
  createdAt: Date;
  createdBy: string | null;
}

export type BreachType = 'VAR' | 'DRAWDOWN' | 'POSITION_SIZE';
export type Severity = 'warning' | 'high' | 'critical';

export interface LimitBreach {
  id: string;
  portfolioId: string;
  breachType: BreachType;
  severity: 'high' | 'critical';
  limitValue: number;
  measuredValue: number;
  utilization: number;
  detectedAt: Date;
  varResultId: string | null;
}

export type AlertStatus = 'active' | 'acknowledged' | 'resolved';

export interface Alert {
  id: string;
  portfolioId: string;
  type: BreachType;
  severity: Severity;
  message: string;
  threshold: number;
  currentValue: number;
  triggeredAt: Date;
  lastTriggeredAt: Date;
  status: AlertStatus;
  occurrences: number;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  acknowledgeNote: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

export type DrawdownStatus = 'ok' | 'warning' | 'high' | 'critical';

export interface DrawdownState {
  portfolioId: string;
  peakValue: string;
  peakAt: Date;
  currentValue: string;
  currentAt: Date;
  maxDrawdown: number;
  status: DrawdownStatus;
  updatedAt: Date;
}

export interface DrawdownEvent {
  id: string;
  portfolioId: string;
  fromStatus: DrawdownStatus;
  toStatus: DrawdownStatus;
  drawdown: number;
  value: string;
  at: Date;
}

export interface OutboxEvent {
  id: string;
  subject: string;
  payload: Record<string, unknown>;
  headers: Record<string, string>;
  correlationId: string | null;
  createdAt: Date;
  attempts: number;
}

export type Role = 'viewer' | 'analyst' | 'risk_manager' | 'admin';

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  keyPrefix: string;
  createdAt: Date;
  createdBy: string | null;
  revokedAt: Date | null;
}

export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  details?: unknown;
  correlationId?: string | null;
}
