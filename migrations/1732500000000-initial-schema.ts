import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every table of the service (docs/architecture.md "Tables"). Money is numeric; statistics double precision. */
export class InitialSchema1732500000000 implements MigrationInterface {
  name = 'InitialSchema1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE portfolios (
        id text PRIMARY KEY,
        name text NOT NULL,
        base_currency char(3) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE positions (
        portfolio_id text NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
        asset_id text NOT NULL,
        market_value numeric NOT NULL,
        PRIMARY KEY (portfolio_id, asset_id)
      );
      CREATE TABLE daily_returns (
        asset_id text NOT NULL,
        date date NOT NULL,
        return_pct numeric NOT NULL,
        PRIMARY KEY (asset_id, date)
      );
      CREATE TABLE risk_limits (
        id uuid PRIMARY KEY,
        portfolio_id text NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
        max_var_percent double precision,
        max_drawdown_percent double precision,
        max_position_size_percent double precision,
        confidence_level double precision NOT NULL,
        effective_date timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text
      );
      CREATE INDEX risk_limits_in_force ON risk_limits (portfolio_id, effective_date DESC, created_at DESC);
      CREATE TABLE var_results (
        id uuid PRIMARY KEY,
        portfolio_id text NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('VAR', 'CVAR')),
        method text NOT NULL,
        confidence_level double precision NOT NULL,
        horizon_days integer NOT NULL,
        scaling text NOT NULL,
        value_return double precision NOT NULL,
        value numeric NOT NULL,
        portfolio_value numeric NOT NULL,
        observations integer NOT NULL,
        from_date date,
        to_date date,
        contributions jsonb NOT NULL,
        limit_check jsonb,
        correlation_id text,
        calculated_at timestamptz NOT NULL
      );
      CREATE INDEX var_results_history ON var_results (portfolio_id, calculated_at DESC);
      CREATE TABLE drawdown_states (
        portfolio_id text PRIMARY KEY REFERENCES portfolios(id) ON DELETE CASCADE,
        peak_value numeric NOT NULL,
        peak_at timestamptz NOT NULL,
        current_value numeric NOT NULL,
        current_at timestamptz NOT NULL,
        max_drawdown double precision NOT NULL,
        status text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE drawdown_events (
        id uuid PRIMARY KEY,
        portfolio_id text NOT NULL,
        from_status text NOT NULL,
        to_status text NOT NULL,
        drawdown double precision NOT NULL,
        value numeric NOT NULL,
        at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX drawdown_events_by_portfolio ON drawdown_events (portfolio_id, at DESC);
      CREATE TABLE limit_breaches (
        id uuid PRIMARY KEY,
        portfolio_id text NOT NULL,
        breach_type text NOT NULL,
        severity text NOT NULL,
        limit_value double precision NOT NULL,
        measured_value double precision NOT NULL,
        utilization double precision NOT NULL,
        detected_at timestamptz NOT NULL,
        var_result_id uuid
      );
      CREATE INDEX limit_breaches_by_portfolio ON limit_breaches (portfolio_id, detected_at DESC);
      CREATE TABLE alerts (
        id uuid PRIMARY KEY,
        portfolio_id text NOT NULL,
        type text NOT NULL,
        severity text NOT NULL,
        message text NOT NULL,
        threshold double precision NOT NULL,
        current_value double precision NOT NULL,
        triggered_at timestamptz NOT NULL,
        last_triggered_at timestamptz NOT NULL,
        status text NOT NULL,
        occurrences integer NOT NULL DEFAULT 1,
        acknowledged_by text,
        acknowledged_at timestamptz,
        acknowledge_note text,
        resolved_at timestamptz,
        resolved_by text
      );
      CREATE UNIQUE INDEX alerts_one_open ON alerts (portfolio_id, type) WHERE status <> 'resolved';
      CREATE INDEX alerts_by_status ON alerts (status, triggered_at DESC);
      CREATE TABLE outbox_events (
        id uuid PRIMARY KEY,
        subject text NOT NULL,
        payload jsonb NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        correlation_id text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        claimed_until timestamptz,
        sent_at timestamptz,
        last_error text
      );
      CREATE INDEX outbox_pending ON outbox_events (next_attempt_at) WHERE sent_at IS NULL;
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        role text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text,
        revoked_at timestamptz
      );
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        actor text NOT NULL,
        action text NOT NULL,
        entity text NOT NULL,
        entity_id text,
        details jsonb,
        correlation_id text,
        at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE IF EXISTS audit_log, api_keys, outbox_events, alerts, limit_breaches, drawdown_events,
        drawdown_states, var_results, risk_limits, daily_returns, positions, portfolios CASCADE;
    `);
  }
}
