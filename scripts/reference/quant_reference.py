#!/usr/bin/env python3
"""Independent numpy implementation of docs/math.md for the analyst and quant figures.

Computes, straight from the formulas of docs/math.md (sections "Drawdown" episodes and underwater,
"Performance statistics", "VaR backtesting", "Volatility-model VaR", "Stress scenarios", "What-if
and marginal VaR", "Rolling historical VaR"; the stored book's ewma / filtered_historical figures
in money, as the stored-VaR endpoints answer them), the figures of the SMI and CAC closes in
test/fixtures/eustock-smi-cac.json, and writes them to test/fixtures/quant-reference.json, which
the TypeScript specs compare with (1e-9 relative; integers and dates exactly).

Nothing here imports the service's code: plain numpy (2.4), scipy.stats.norm for Φ⁻¹ and φ, and
Python's decimal module (ROUND_HALF_EVEN) for money.

Regenerate (from the repository root; CI does not need python, the JSON is committed):
    python3 scripts/reference/quant_reference.py
then run `npx jest src/math src/portfolio-risk` and commit both files.
"""
import datetime
import json
import math
import os
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import scipy
from scipy.stats import norm

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
SOURCE = os.path.join(ROOT, 'test', 'fixtures', 'eustock-smi-cac.json')
TARGET = os.path.join(ROOT, 'test', 'fixtures', 'quant-reference.json')

CONFIDENCES = [95.0, 97.5, 99.0]
LAMBDAS = [0.94, 0.97]
TOP = 10


def alpha_of(c):
    # docs/math.md "Inputs": α = (100 − c)/100, computed in that order.
    return (100.0 - c) / 100.0


def money(x):
    """A decimal amount rounded to cents, half-even, as text (docs/math.md "Inputs")."""
    s = str(Decimal(x).quantize(Decimal('0.01'), rounding=ROUND_HALF_EVEN))
    return '0.00' if s == '-0.00' else s


def ratio_times(ratio, amount):
    # The service enters a float ratio into decimal arithmetic through its shortest text (repr).
    return Decimal(repr(float(ratio))) * Decimal(amount)


# ---------------------------------------------------------------- drawdown (episodes, underwater)
def underwater(curve):
    """DD_t = 1 − V_t / max_{s≤t} V_s."""
    v = np.asarray(curve, dtype=np.float64)
    return 1.0 - v / np.maximum.accumulate(v)


def curve_from_returns(r):
    return np.concatenate([[1.0], np.cumprod(1.0 + r)])


def episodes(dd):
    """Episodes: start at t with DD_t = 0 and DD_{t+1} > 0; end at the first later DD_t = 0, or n."""
    n = len(dd) - 1
    out = []
    t = 0
    while t < n:
        if dd[t] == 0 and dd[t + 1] > 0:
            peak = t
            s = t + 1
            while s <= n and dd[s] > 0:
                s += 1
            recovery = s if s <= n else None
            seg = dd[peak + 1:(s if recovery is not None else n + 1)]
            depth = float(seg.max())
            trough = peak + 1 + int(np.argmax(seg))  # argmax: the first index reaching the maximum
            out.append({
                'peak_index': peak,
                'trough_index': trough,
                'recovery_index': recovery,
                'depth': depth,
                'length': trough - peak,
                'recovery_periods': None if recovery is None else recovery - trough,
            })
            t = s
        else:
            t += 1
    out.sort(key=lambda e: (-e['depth'], e['peak_index']))
    return out


# ---------------------------------------------------------------- performance statistics
def max_drawdown_of_returns(r):
    return float(underwater(curve_from_returns(r)).max())


def performance(r, periods_per_year, risk_free_rate):
    P = periods_per_year
    n = len(r)
    a = r - risk_free_rate / P
    cumulative = float(np.prod(1.0 + r) - 1.0)
    annualized = float((1.0 + cumulative) ** (P / n) - 1.0)
    sigma_a = float(np.std(a, ddof=1))
    downside = np.minimum(a, 0.0)
    mdd = max_drawdown_of_returns(r)
    nonzero = r[r != 0]
    return {
        'periods_per_year': P,
        'risk_free_rate': risk_free_rate,
        'count': n,
        'cumulative_return': cumulative,
        'annualized_return': annualized,
        'annualized_volatility': float(np.std(r, ddof=1) * math.sqrt(P)),
        'sharpe': None if sigma_a == 0 else float(np.mean(a) / sigma_a * math.sqrt(P)),
        'sortino': None if not (a < 0).any() else float(np.mean(a) * P / (math.sqrt(np.mean(downside ** 2)) * math.sqrt(P))),
        'calmar': None if mdd == 0 else annualized / mdd,
        'max_drawdown': mdd,
        'best_period': float(r.max()),
        'worst_period': float(r.min()),
        'win_rate': None if len(nonzero) == 0 else float((nonzero > 0).sum() / len(nonzero)),
    }


# ---------------------------------------------------------------- backtest exceptions, rolling VaR
def rolling_historical_var(r, window, confidence):
    """Value k: np.quantile (type 7, 'linear') of r[k .. k + window − 1]."""
    a = alpha_of(confidence)
    return np.array([np.quantile(r[k:k + window], a) for k in range(len(r) - window + 1)])


def backtest_exceptions(r, window, confidence):
    """Exceptions r_t < VaR_t with VaR_t from the `window` returns before t (t excluded)."""
    var = rolling_historical_var(r, window, confidence)[:-1]  # forecasts for t = window .. n − 1
    realised = r[window:]
    return [int(window + i) for i in np.nonzero(realised < var)[0]]


# ---------------------------------------------------------------- EWMA and filtered historical
def ewma_sigmas(r, lam):
    """σ_1 … σ_{n+1}: σ²_1 = mean of the first m = min(30, n) squared returns; σ²_{t+1} = λσ²_t + (1 − λ)r_t²."""
    n = len(r)
    m = min(30, n)
    s2 = np.empty(n + 1)
    s2[0] = np.mean(r[:m] ** 2)
    for t in range(n):
        s2[t + 1] = lam * s2[t] + (1.0 - lam) * r[t] ** 2
    return np.sqrt(s2)


def historical_cvar(x, q):
    below = x[x < q]
    return q if len(below) == 0 else float(np.mean(below))


def ewma_figures(r, lam, confidence):
    a = alpha_of(confidence)
    z = norm.ppf(a)
    sig = ewma_sigmas(r, lam)
    forecast = sig[-1]
    e = r / sig[:-1]
    q = float(np.quantile(e, a))
    return {
        'sigma_forecast': float(forecast),
        'ewma_var': float(z * forecast),
        'ewma_cvar': float(-forecast * norm.pdf(z) / a),
        'fhs_var': float(forecast * q),
        'fhs_cvar': float(forecast * historical_cvar(e, q)),
    }


def ewma_covariance(R, lam):
    """Σ_λ at n + 1: the same recursion and seed on rᵢ rⱼ (R: n × k)."""
    n = R.shape[0]
    m = min(30, n)
    S = R[:m].T @ R[:m] / m
    for t in range(n):
        S = lam * S + (1.0 - lam) * np.outer(R[t], R[t])
    return S


# ---------------------------------------------------------------- stored-portfolio Euler components
def historical_components(R, w, confidence):
    rp = R @ w
    a = alpha_of(confidence)
    n = len(rp)
    order = np.argsort(rp, kind='stable')  # ties: the earlier date ranks lower
    h = (n - 1) * a
    k = int(math.floor(h))
    f = h - k
    lo, hi = order[k], order[k + 1]
    q = rp[lo] + f * (rp[hi] - rp[lo])
    comp = w * ((1 - f) * R[lo] + f * R[hi])
    return float(q), comp


def parametric_components(R, w, confidence):
    a = alpha_of(confidence)
    z = norm.ppf(a)
    mu = R.mean(axis=0)
    cov = np.cov(R, rowvar=False, ddof=1)
    sp = math.sqrt(w @ cov @ w)
    var = float(w @ mu + z * sp)
    return var, w * (mu + z * (cov @ w) / sp)


def ewma_components(R, w, lam, confidence):
    a = alpha_of(confidence)
    z = norm.ppf(a)
    S = ewma_covariance(R, lam)
    sp = math.sqrt(w @ S @ w)
    tail = norm.pdf(z) / a
    return {
        'var': float(z * sp),
        'cvar': float(-sp * tail),
        'sigma_forecast': sp,
        'var_components': list(map(float, w * z * (S @ w) / sp)),
        'cvar_components': list(map(float, -w * (S @ w) / sp * tail)),
    }


def portfolio_var(R, w, method, confidence, lam=0.94):
    if method == 'historical':
        return historical_components(R, w, confidence)
    if method == 'parametric':
        return parametric_components(R, w, confidence)
    e = ewma_components(R, w, lam, confidence)
    return e['var'], np.array(e['var_components'])


# ---------------------------------------------------------------- stress scenarios
def business_days(start, count):
    out = []
    d = start
    while len(out) < count:
        if d.weekday() < 5:
            out.append(d.isoformat())
        d += datetime.timedelta(days=1)
    return out


def compounded(x):
    p = 1.0
    for v in x:  # left to right, as the definition reads
        p *= 1.0 + v
    return p - 1.0


def stress_pnl(values, returns):
    terms = [ratio_times(R, v) for v, R in zip(values, returns)]
    total = sum(terms, Decimal(0))
    value = sum((Decimal(v) for v in values), Decimal(0))
    return {
        'assets': [{'return': float(R), 'pnl': money(t)} for R, t in zip(returns, terms)],
        'pnl': money(total),
        'pnl_return': float(total / value),
    }


def main():
    with open(SOURCE) as fh:
        data = json.load(fh)
    out = {
        'source': 'test/fixtures/eustock-smi-cac.json (R datasets::EuStockMarkets, SMI and CAC closes)',
        'generated_by': 'scripts/reference/quant_reference.py (numpy %s, scipy %s): python3 scripts/reference/quant_reference.py' % (np.__version__, scipy.__version__),
        'conventions': 'docs/math.md',
        'series': {},
    }
    returns = {}
    for name in ['SMI', 'CAC']:
        prices = np.asarray(data['series'][name]['prices'], dtype=np.float64)
        r = prices[1:] / prices[:-1] - 1.0
        returns[name] = r
        dd_prices = underwater(prices)
        dd_returns = underwater(curve_from_returns(r))
        s = {
            'underwater_prices': list(map(float, dd_prices)),
            'underwater_returns': list(map(float, dd_returns)),
            'episodes_prices': episodes(dd_prices)[:TOP],
            'episodes_returns': episodes(dd_returns)[:TOP],
            'episode_count_prices': len(episodes(dd_prices)),
            'performance': [performance(r, 252, 0.0), performance(r, 252, 0.02), performance(r, 12, 0.05)],
            'backtest': {'window': 250, 'confidence': 99.0, 'exception_indices': backtest_exceptions(r, 250, 99.0)},
            'rolling_var': {'window': 250, 'confidence': 99.0, 'var_returns': list(map(float, rolling_historical_var(r, 250, 99.0)))},
            'volatility': [
                dict(lam=lam, confidence=c, **ewma_figures(r, lam, c)) for lam in LAMBDAS for c in CONFIDENCES
            ],
        }
        out['series'][name] = s

    # A two-asset book of SMI and CAC (aligned on every date), long only and long/short.
    R = np.column_stack([returns['SMI'], returns['CAC']])
    books = {'long': np.array([0.6, 0.4]), 'long_short': np.array([1.5, -0.5])}
    port = {}
    for book, w in books.items():
        port[book] = {
            'weights': list(map(float, w)),
            'ewma': [dict(lam=lam, confidence=c, **ewma_components(R, w, lam, c)) for lam in LAMBDAS for c in CONFIDENCES],
            'filtered_historical': [
                dict(lam=lam, confidence=c, **{k: v for k, v in ewma_figures(R @ w, lam, c).items() if k.startswith('fhs') or k == 'sigma_forecast'})
                for lam in LAMBDAS for c in CONFIDENCES
            ],
            'marginal': [],
        }
        for method in ['historical', 'parametric', 'ewma']:
            for c in CONFIDENCES:
                var, comp = portfolio_var(R, w, method, c)
                port[book]['marginal'].append({
                    'method': method, 'confidence': c, 'var': float(var),
                    'components': list(map(float, comp)),
                    'marginal': [None if wi == 0 else float(ci / wi) for ci, wi in zip(comp, w)],
                })
    out['portfolio'] = port

    # Stored book: 600,000 SMI and 400,000 CAC held on every date, as POST /v1/portfolios/:id/var and
    # /cvar compute it (the newest `lookback` aligned dates; horizon h: × √h, components too), in money.
    stored_values = ['600000.00', '400000.00']
    stored_total = sum(Decimal(v) for v in stored_values)
    ws = np.array([float(Decimal(v) / stored_total) for v in stored_values])
    stored_cases = []
    for method, lam, c, h, lookback in [('ewma', None, 99.0, 1, None), ('ewma', 0.97, 97.5, 10, 1000),
                                        ('filtered_historical', None, 99.0, 1, None), ('filtered_historical', 0.97, 95.0, 10, 1000)]:
        lam_used = 0.94 if lam is None else lam
        Rl = R if lookback is None else R[-lookback:]
        root_h = math.sqrt(h)
        case = {'method': method, 'lambda': lam, 'lambda_used': lam_used, 'confidence': c, 'horizon_days': h, 'lookback_days': lookback, 'observations': len(Rl)}
        if method == 'ewma':
            e = ewma_components(Rl, ws, lam_used, c)
            var_r, cvar_r, sigma = e['var'] * root_h, e['cvar'] * root_h, e['sigma_forecast']
            vc = [x * root_h for x in e['var_components']]
            cc = [x * root_h for x in e['cvar_components']]
            case['var_components'] = [{'return': x, 'money': money(ratio_times(x, stored_total))} for x in vc]
            case['cvar_components'] = [{'return': x, 'money': money(ratio_times(x, stored_total))} for x in cc]
        else:
            f = ewma_figures(Rl @ ws, lam_used, c)
            var_r, cvar_r, sigma = f['fhs_var'] * root_h, f['fhs_cvar'] * root_h, f['sigma_forecast']
        case.update({'var_return': float(var_r), 'var': money(ratio_times(var_r, stored_total)),
                     'cvar_return': float(cvar_r), 'cvar': money(ratio_times(cvar_r, stored_total)), 'sigma_forecast': float(sigma)})
        stored_cases.append(case)
    out['stored'] = {'assets': ['SMI', 'CAC'], 'market_values': stored_values, 'cases': stored_cases}

    # What-if: a book of 600,000 SMI and 400,000 CAC buys 250,000 more CAC.
    before_v = ['600000', '400000']
    change = ['0', '250000']
    after_v = [str(Decimal(a) + Decimal(b)) for a, b in zip(before_v, change)]
    what_if = []
    for method in ['historical', 'parametric', 'ewma']:
        for c in CONFIDENCES:
            figs = {}
            for label, v in [('before', before_v), ('after', after_v)]:
                total = sum(Decimal(x) for x in v)
                w = np.array([float(Decimal(x) / total) for x in v])
                var, comp = portfolio_var(R, w, method, c)
                figs[label] = {'var_return': float(var), 'var': money(ratio_times(var, total)), 'weights': list(map(float, w)), 'components': comp}
            marginal = [float(ci / wi) for ci, wi in zip(figs['before']['components'], figs['before']['weights'])]
            what_if.append({
                'method': method, 'confidence': c,
                'before': {k: figs['before'][k] for k in ('var_return', 'var')},
                'after': {k: figs['after'][k] for k in ('var_return', 'var')},
                'incremental_var': money(Decimal(figs['after']['var']) - Decimal(figs['before']['var'])),
                'marginal_var_returns': marginal,
            })
    out['what_if'] = {'assets': ['SMI', 'CAC'], 'market_values': before_v, 'changes': change, 'cases': what_if}

    # Stress: business-day dates from 1991-07-01 for the closes; CAC's stored returns miss every
    # 13th date (i % 13 == 5), so the assets' own dates differ and the aligned series is shorter.
    dates = business_days(datetime.date(1991, 7, 1), len(returns['SMI']) + 1)[1:]  # the date of each return
    stored = {
        'SMI': (dates, returns['SMI']),
        'CAC': ([d for i, d in enumerate(dates) if i % 13 != 5], np.array([x for i, x in enumerate(returns['CAC']) if i % 13 != 5])),
    }
    values = ['600000.00', '400000.00']
    scenarios = []
    shocks = {'SMI': -0.2, 'CAC': -0.15}
    scenarios.append(dict(name='equity crash', type='shock', shocks=shocks, **stress_pnl(values, [shocks['SMI'], shocks['CAC']])))
    for frm, to in [('1998-07-20', '1998-10-05'), ('1994-01-01', '1994-12-31'), ('1991-07-02', '1991-07-02')]:
        rs = []
        counts = []
        for name in ['SMI', 'CAC']:
            ds, xs = stored[name]
            sel = [x for d, x in zip(ds, xs) if frm <= d <= to]
            counts.append(len(sel))
            rs.append(compounded(sel))
        scenarios.append(dict(name='history %s..%s' % (frm, to), type='historical', **{'from': frm, 'to': to}, dates=counts, **stress_pnl(values, rs)))
    common = [d for d in stored['SMI'][0] if d in set(stored['CAC'][0])]
    col = {name: dict(zip(*stored[name])) for name in stored}
    A = np.array([[col['SMI'][d], col['CAC'][d]] for d in common])
    w = np.array([0.6, 0.4])
    rp = A @ w
    for k in [1, 10, 20]:
        best = None
        for s in range(len(rp) - k + 1):
            c = compounded(rp[s:s + k])
            if best is None or c < best[1]:
                best = (s, c)
        s0, c0 = best
        rs = [compounded(A[s0:s0 + k, j]) for j in range(2)]
        scenarios.append(dict(name='worst %d days' % k, type='worst_window', days=k, **{'from': common[s0], 'to': common[s0 + k - 1]},
                              window_return=c0, **stress_pnl(values, rs)))
    out['stress'] = {
        'first_date': dates[0], 'dropped_cac_every': [13, 5], 'assets': ['SMI', 'CAC'], 'market_values': values,
        'aligned_dates': len(common), 'scenarios': scenarios,
    }

    with open(TARGET, 'w') as fh:
        json.dump(out, fh, indent=1, allow_nan=False)
        fh.write('\n')
    print('wrote', os.path.relpath(TARGET, ROOT))


if __name__ == '__main__':
    main()
