import { Injectable } from '@nestjs/common';
import Big from 'big.js';
import { ValidationError } from '../common/errors';
import { formatMoney, parseMoney } from '../common/money';
import { applyCaps, estimateKellyInputs, kellyFraction, moments, volatilityTargetWeight } from '../math';
import { LimitsService } from '../limits/limits.service';
import { assertPortfolioVisible } from '../common/portfolio-scope';
import { CalculationMetrics } from '../observability/calculation-metrics.service';
import { PositionSizeRequestDto } from './dto/risk-request.dto';
import { PositionSizeResponseDto } from './dto/risk-response.dto';

type Sized = { uncapped: Big; units?: (fraction: Big) => Big; details: Record<string, number> };

/**
 * Position sizing with money in big.js: ratios (p, b, σ, Kelly f*, the fraction and its caps) are
 * float64 statistics; equity, prices, notional and units are decimals.
 */
@Injectable()
export class PositionSizingService {
  constructor(
    private readonly metrics: CalculationMetrics,
    private readonly limits: LimitsService,
  ) {}

  async size(dto: PositionSizeRequestDto): Promise<PositionSizeResponseDto> {
    const equity = parseMoney(dto.equity, 'equity', { positive: true });
    const sized = this.metrics.measure(dto.method, undefined, () => this.uncapped(dto, equity));

    let maxPositionPercent = dto.max_position_size_percent;
    if (dto.portfolio_id !== undefined) assertPortfolioVisible(dto.portfolio_id);
    if (maxPositionPercent === undefined && dto.portfolio_id !== undefined) {
      // The cap of a stored portfolio: its max_position_size_percent in force (404 for an unknown portfolio).
      maxPositionPercent = await this.limits.maxPositionSizePercent(dto.portfolio_id);
    }
    const maxLeverage = dto.max_leverage ?? 1;
    const caps = applyCaps({ fraction: Number(sized.uncapped), maxPositionSizePercent: maxPositionPercent, maxLeverage });
    // The capped fraction goes back to a decimal through its shortest text (0.1 → "0.1"), so the
    // money below is computed from the bound as written, not from a binary approximation of it.
    const fraction = caps.cappedBy === null ? sized.uncapped : new Big(caps.fraction);
    const out: PositionSizeResponseDto = {
      method: dto.method,
      fraction: 0,
      notional: '0.00',
      capped_by: caps.cappedBy,
      uncapped_fraction: caps.uncappedFraction,
      ...(maxPositionPercent === undefined ? {} : { max_position_size_percent: maxPositionPercent }),
      max_leverage: maxLeverage,
      details: sized.details,
    };
    if (sized.units) {
      // Whole units: the cap is applied to the unit count, and the fraction follows from it.
      const entry = parseMoney(dto.entry_price, 'entry_price', { positive: true });
      const units = sized.units(fraction);
      const notional = units.times(entry);
      out.units = Number(units);
      out.notional = formatMoney(notional);
      out.fraction = Number(notional.div(equity));
    } else {
      out.fraction = Number(fraction);
      out.notional = formatMoney(fraction.times(equity));
    }
    return out;
  }

  private uncapped(dto: PositionSizeRequestDto, equity: Big): Sized {
    switch (dto.method) {
      case 'fixed_fractional':
        return this.fixedFractional(dto, equity);
      case 'kelly':
        return this.kelly(dto);
      case 'volatility_target':
        return this.volatilityTarget(dto);
    }
  }

  private fixedFractional(dto: PositionSizeRequestDto, equity: Big): Sized {
    const missing = (['risk_fraction', 'entry_price', 'stop_price'] as const).filter((f) => dto[f] === undefined);
    if (missing.length) throw new ValidationError(missing.map((f) => `${f} is required for method fixed_fractional`));
    const entry = parseMoney(dto.entry_price, 'entry_price', { positive: true });
    const stop = parseMoney(dto.stop_price, 'stop_price', { positive: true });
    if (entry.eq(stop)) throw new ValidationError('stop_price must differ from entry_price');
    const riskPerUnit = entry.minus(stop).abs();
    const units = equity.times(dto.risk_fraction!).div(riskPerUnit).round(0, Big.roundDown);
    const uncapped = units.times(entry).div(equity);
    return {
      uncapped,
      // Under a cap c the position is the largest whole number of units within c × equity.
      units: (fraction) => (fraction.eq(uncapped) ? units : fraction.times(equity).div(entry).round(0, Big.roundDown)),
      details: { risk_per_unit: Number(riskPerUnit), uncapped_units: Number(units) },
    };
  }

  private kelly(dto: PositionSizeRequestDto): Sized {
    const given = dto.win_probability !== undefined || dto.win_loss_ratio !== undefined;
    if (given && dto.trade_returns) {
      throw new ValidationError('give either win_probability and win_loss_ratio, or trade_returns, not both');
    }
    let p: number;
    let b: number;
    if (dto.trade_returns) {
      ({ winProbability: p, winLossRatio: b } = estimateKellyInputs(dto.trade_returns));
    } else {
      const missing = (['win_probability', 'win_loss_ratio'] as const).filter((f) => dto[f] === undefined);
      if (missing.length) throw new ValidationError(missing.map((f) => `${f} is required for method kelly (or give trade_returns)`));
      p = dto.win_probability!;
      b = dto.win_loss_ratio!;
    }
    const multiplier = dto.kelly_multiplier ?? 0.5;
    const k = kellyFraction(p, b, multiplier);
    return {
      uncapped: new Big(k.fraction),
      details: { win_probability: p, win_loss_ratio: b, kelly_fraction: k.kellyFraction, kelly_multiplier: multiplier },
    };
  }

  private volatilityTarget(dto: PositionSizeRequestDto): Sized {
    if (dto.target_annual_vol === undefined) throw new ValidationError('target_annual_vol is required for method volatility_target');
    if ((dto.returns === undefined) === (dto.daily_volatility === undefined)) {
      throw new ValidationError('give exactly one of returns (at least 2) or daily_volatility for method volatility_target');
    }
    let sigma = dto.daily_volatility;
    if (dto.returns) {
      if (dto.returns.length < 2) throw new ValidationError('returns must contain at least 2 values to estimate a volatility');
      sigma = moments(dto.returns).stdDev;
    }
    const periods = dto.periods_per_year ?? 252;
    const weight = volatilityTargetWeight(dto.target_annual_vol, sigma!, periods);
    if (!Number.isFinite(weight)) {
      throw new ValidationError('target_annual_vol: the volatility is too small for a finite position at this target');
    }
    return {
      uncapped: new Big(weight),
      details: { daily_volatility: sigma!, annual_volatility: sigma! * Math.sqrt(periods), periods_per_year: periods },
    };
  }
}
