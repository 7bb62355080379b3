/*
 * The report page (GET /report): asks for an API key once (the tab's sessionStorage, never a URL),
 * lets the analyst pick a portfolio and draws its figures from the service's JSON API with Chart.js
 * (served by the service at /report/assets). Plain browser JavaScript, no build step. The figures
 * are the service's: the page only lays them out (the histogram's bin counts are the one thing it
 * counts itself). No console output: a panel that cannot be drawn says why in its note.
 */
(function () {
  'use strict';

  var KEY_STORE = 'risk-report.api-key';
  var COLORS = { line: '#2459a6', limit: '#b91c1c', fill: 'rgba(36, 89, 166, 0.18)', bar: '#6f8fbf', var: '#c2410c', cvar: '#7e1d1d', under: '#2459a6' };
  var STATUS_COLORS = { ok: '#2f7d4f', warning: '#b7791f', high: '#c2410c', critical: '#b91c1c' };
  var charts = {};
  var renderToken = 0;

  function $(id) { return document.getElementById(id); }

  /** An answer of the API that was not 2xx: status and the error body's message lines. */
  function ApiError(status, body) {
    this.status = status;
    var lines = body && body.message ? [].concat(body.message) : [];
    this.message = lines.length ? lines.join('; ') : 'HTTP ' + status;
    this.errorType = body && body.error_type;
  }

  function api(path, body) {
    var headers = { accept: 'application/json', 'x-api-key': sessionStorage.getItem(KEY_STORE) || '' };
    var init = { method: body === undefined ? 'GET' : 'POST', headers: headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (res) {
      return res.text().then(function (text) {
        var parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
        if (!res.ok) throw new ApiError(res.status, parsed);
        return parsed;
      });
    });
  }

  function enc(id) { return encodeURIComponent(id); }
  function pct(x, digits) { return x === null || x === undefined ? '–' : (x * 100).toFixed(digits === undefined ? 2 : digits) + ' %'; }
  function pctOf(percent) { return percent === null || percent === undefined ? '–' : Number(percent).toFixed(2) + ' %'; }
  function day(iso) { return iso ? String(iso).slice(0, 10) : '–'; }
  function when(iso) { return iso ? String(iso).replace('T', ' ').slice(0, 16) + ' UTC' : '–'; }

  function cell(row, text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function panel(id) {
    var el = $(id);
    return {
      el: el,
      note: function (text) { el.querySelector('.note').textContent = text; },
      status: function (s) { el.dataset.status = s; },
      tbody: function () { var tb = el.querySelector('tbody'); tb.textContent = ''; return tb; },
    };
  }

  /** Why a panel has nothing to show, in the analyst's words. */
  function explain(err, what) {
    if (!(err instanceof ApiError)) return what + ' could not be read (' + (err && err.message ? err.message : String(err)) + ').';
    if (err.status === 403) return what + ' needs a key with a higher role: ' + err.message;
    if (err.status === 401) return 'The API key was refused.';
    return what + ': ' + err.message;
  }

  function drawChart(name, canvasId, config) {
    if (charts[name]) charts[name].destroy();
    charts[name] = new window.Chart($(canvasId), config);
  }

  function clearCharts() {
    Object.keys(charts).forEach(function (name) { charts[name].destroy(); delete charts[name]; });
  }

  function baseOptions(extra) {
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'nearest', intersect: false },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
    };
    return Object.assign(options, extra || {});
  }

  // ---- key and portfolio picker -------------------------------------------------------------

  function askForKey(error) {
    $('picker').hidden = true;
    $('report').hidden = true;
    $('key-form').hidden = false;
    $('key-error').textContent = error || '';
    $('key-input').value = '';
    $('key-input').focus();
    document.body.dataset.state = 'key';
  }

  function showMessage(text) {
    $('message').textContent = text;
    $('message').hidden = !text;
  }

  function start() {
    document.body.dataset.state = 'loading';
    return api('/v1/portfolios').then(function (portfolios) {
      $('key-form').hidden = true;
      $('picker').hidden = false;
      var select = $('portfolio');
      select.textContent = '';
      portfolios.forEach(function (p) {
        var option = document.createElement('option');
        option.value = p.id;
        option.textContent = p.name && p.name !== p.id ? p.id + ' — ' + p.name : p.id;
        select.appendChild(option);
      });
      if (!portfolios.length) {
        $('report').hidden = true;
        showMessage('No portfolio is stored yet: create one with POST /v1/portfolios (or run npm run seed:demo).');
        document.body.dataset.state = 'ready';
        return;
      }
      showMessage('');
      var wanted = decodeURIComponent(location.hash.slice(1));
      var chosen = portfolios.some(function (p) { return p.id === wanted; }) ? wanted : portfolios[0].id;
      select.value = chosen;
      return render(chosen);
    }, function (err) {
      if (err instanceof ApiError && err.status === 401) {
        sessionStorage.removeItem(KEY_STORE);
        askForKey('That key was refused: ' + err.message);
        return;
      }
      askForKey(explain(err, 'The portfolios'));
    });
  }

  // ---- the panels ---------------------------------------------------------------------------

  function renderSummary(portfolio, limits, latestVar) {
    var box = $('summary');
    box.textContent = '';
    var items = [
      ['Portfolio', portfolio.name && portfolio.name !== portfolio.id ? portfolio.id + ' — ' + portfolio.name : portfolio.id],
      ['Value', portfolio.portfolio_value + ' ' + portfolio.base_currency],
      ['Positions', portfolio.positions.map(function (p) { return p.asset_id + ' ' + p.market_value; }).join(', ') || 'none'],
      ['VaR limit', limits.max_var_percent === null ? 'none' : limits.max_var_percent + ' % at ' + limits.confidence_level + ' %, ' + limits.horizon_days + ' d' + (limits.is_default ? ' (default)' : '')],
      ['Drawdown limit', limits.max_drawdown_percent === null ? 'none' : limits.max_drawdown_percent + ' %'],
      ['Latest VaR', latestVar ? pctOf(latestVar.limit ? latestVar.limit.var_percent : Math.abs(latestVar.var_return) * 100) + ' (' + (latestVar.limit ? latestVar.limit.status : 'no limit') + '), ' + when(latestVar.calculated_at) : 'none stored'],
    ];
    items.forEach(function (item) {
      var div = document.createElement('div');
      var label = document.createElement('span');
      label.className = 'label';
      label.textContent = item[0];
      var value = document.createElement('span');
      value.className = 'value';
      value.textContent = item[1];
      div.appendChild(label);
      div.appendChild(value);
      box.appendChild(div);
    });
  }

  function renderVarHistory(id, results) {
    var p = panel('panel-var');
    var vars = results.filter(function (r) { return r.kind === 'var' && r.var_return !== null; }).reverse();
    if (!vars.length) {
      p.status('empty');
      p.note('No stored VaR yet: POST /v1/portfolios/' + id + '/var stores one.');
      return;
    }
    var labels = vars.map(function (r) { return day(r.to); });
    var measured = vars.map(function (r) { return r.limit ? r.limit.var_percent : Math.abs(r.var_return) * 100; });
    var limit = vars.map(function (r) { return r.limit ? r.limit.scaled_max_var_percent : null; });
    var pointColors = vars.map(function (r) { return STATUS_COLORS[r.limit ? r.limit.status : 'ok'] || COLORS.line; });
    var last = vars[vars.length - 1];
    p.note(vars.length + ' stored results by the date of their latest data; each VaR is compared with the limit scaled to its horizon. Latest: ' +
      last.method + ', ' + last.confidence_level + ' %, ' + last.horizon_days + ' d, ' + last.observations + ' dates.');
    drawChart('var', 'chart-var', {
      type: 'line',
      data: {
        labels: labels,
        datasets: [
          { label: 'VaR (% of value)', data: measured, borderColor: COLORS.line, backgroundColor: COLORS.fill, pointBackgroundColor: pointColors, pointBorderColor: pointColors, pointRadius: 3, tension: 0, fill: false },
          { label: 'Limit (% of value)', data: limit, borderColor: COLORS.limit, borderDash: [6, 4], pointRadius: 0, stepped: 'middle', fill: false },
        ],
      },
      options: baseOptions({
        scales: { y: { beginAtZero: true, title: { display: true, text: '% of value' } }, x: { ticks: { maxTicksLimit: 8, autoSkip: true } } },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12 } },
          tooltip: { callbacks: { afterBody: function (items) { var r = vars[items[0].dataIndex]; return r.method + ' ' + r.confidence_level + ' %, ' + r.horizon_days + ' d — ' + (r.limit ? r.limit.status : 'no limit') + ' — ' + when(r.calculated_at); } } },
        },
      }),
    });
    p.status('ok');
  }

  function renderContributions(id, latestVar) {
    var p = panel('panel-contributions');
    var tbody = p.tbody();
    if (!latestVar || !latestVar.contributions || !latestVar.contributions.length) {
      p.status('empty');
      p.note('No stored VaR with contributions yet: POST /v1/portfolios/' + id + '/var stores one.');
      return;
    }
    var rows = latestVar.contributions;
    p.note('Of the latest stored VaR (' + latestVar.method + ', ' + latestVar.confidence_level + ' %, ' + latestVar.horizon_days + ' d, ' + day(latestVar.from) + ' to ' + day(latestVar.to) +
      '): VaR ' + latestVar.var + ' = ' + pct(latestVar.var_return) + ' of value; the components sum to it.');
    drawChart('contributions', 'chart-contributions', {
      type: 'bar',
      data: {
        labels: rows.map(function (c) { return c.asset_id; }),
        datasets: [{ label: 'Component VaR (% of value)', data: rows.map(function (c) { return c.component_var_return * 100; }), backgroundColor: COLORS.bar, borderColor: COLORS.line, borderWidth: 1 }],
      },
      options: baseOptions({ indexAxis: 'y', scales: { x: { title: { display: true, text: '% of value (negative = loss)' } } }, plugins: { legend: { display: false } } }),
    });
    rows.forEach(function (c) {
      var tr = document.createElement('tr');
      cell(tr, c.asset_id);
      cell(tr, pct(c.weight), 'num');
      cell(tr, c.component_var, 'num');
      cell(tr, pct(c.component_var_return, 3), 'num');
      tbody.appendChild(tr);
    });
    p.status('ok');
  }

  /**
   * Histogram of the daily portfolio returns the stored CVaR was computed from (GET …/returns with
   * its lookback), with the VaR and CVaR of that stored result marked.
   */
  function renderHistogram(series, cvar) {
    var p = panel('panel-histogram');
    var r = series.returns;
    if (r.length < 2) {
      p.status('empty');
      p.note('Fewer than two aligned dates of returns: nothing to draw.');
      return;
    }
    var min = Math.min.apply(null, r);
    var max = Math.max.apply(null, r);
    var bins = Math.max(10, Math.min(60, Math.round(Math.sqrt(r.length) * 1.5)));
    var width = (max - min) / bins || 1e-4;
    var counts = new Array(bins).fill(0);
    r.forEach(function (x) { counts[Math.min(bins - 1, Math.floor((x - min) / width))] += 1; });
    var bars = counts.map(function (n, i) { return { x: (min + (i + 0.5) * width) * 100, y: n }; });
    var top = Math.max.apply(null, counts);
    var datasets = [{ type: 'bar', label: 'Days', data: bars, backgroundColor: COLORS.bar, barPercentage: 1, categoryPercentage: 1, grouped: false, order: 2 }];
    if (cvar) {
      datasets.push({ type: 'line', label: 'VaR ' + pct(cvar.var_return), data: [{ x: cvar.var_return * 100, y: 0 }, { x: cvar.var_return * 100, y: top }], borderColor: COLORS.var, borderWidth: 2, pointRadius: 0, order: 1 });
      datasets.push({ type: 'line', label: 'CVaR ' + pct(cvar.cvar_return), data: [{ x: cvar.cvar_return * 100, y: 0 }, { x: cvar.cvar_return * 100, y: top }], borderColor: COLORS.cvar, borderWidth: 2, borderDash: [5, 3], pointRadius: 0, order: 1 });
      p.note(series.observations + ' daily returns, ' + series.from + ' to ' + series.to + '; VaR and CVaR at ' + cvar.confidence_level + ' % (' + cvar.method + ') of the stored CVaR result of ' +
        when(cvar.calculated_at) + ' (' + cvar.from + ' to ' + cvar.to + ').');
    } else {
      p.note(series.observations + ' daily returns, ' + series.from + ' to ' + series.to + '. No stored 1-day CVaR result to mark: POST /v1/portfolios/' + series.portfolio_id + '/cvar stores one.');
    }
    drawChart('histogram', 'chart-histogram', {
      type: 'bar',
      data: { datasets: datasets },
      options: baseOptions({
        parsing: true,
        scales: {
          x: { type: 'linear', offset: false, title: { display: true, text: 'daily return, %' } },
          y: { beginAtZero: true, title: { display: true, text: 'days' } },
        },
      }),
    });
    p.status('ok');
  }

  function renderUnderwater(series) {
    var p = panel('panel-underwater');
    if (!series.returns.length) {
      p.status('empty');
      p.note('No aligned returns: nothing to draw.');
      return Promise.resolve();
    }
    return api('/v1/drawdown', { returns: series.returns, underwater: true, top: 1 }).then(function (dd) {
      // The curve starts at V_0 = 1 before the first return: point 0 stands before series.dates[0].
      var labels = ['start'].concat(series.dates);
      var depths = dd.underwater.map(function (d) { return -d * 100; });
      var worst = dd.drawdowns && dd.drawdowns[0];
      var dateOf = function (i) { return i === null || i === undefined ? null : i === 0 ? 'start' : series.dates[i - 1]; };
      p.note('Over ' + series.observations + ' daily returns (' + series.from + ' to ' + series.to + '): maximum drawdown ' + pct(dd.max_drawdown) +
        (worst ? ', peak ' + dateOf(worst.peak_index) + ', trough ' + dateOf(worst.trough_index) + ', ' + (worst.recovery_index === null ? 'not recovered' : 'recovered ' + dateOf(worst.recovery_index)) : '') +
        '; now ' + pct(dd.current_drawdown) + ' below the peak.');
      drawChart('underwater', 'chart-underwater', {
        type: 'line',
        data: { labels: labels, datasets: [{ label: 'Drawdown (% below the running peak)', data: depths, borderColor: COLORS.under, backgroundColor: COLORS.fill, pointRadius: 0, borderWidth: 1.5, fill: 'origin' }] },
        options: baseOptions({ scales: { y: { max: 0, title: { display: true, text: '% below peak' } }, x: { ticks: { maxTicksLimit: 8, autoSkip: true } } }, plugins: { legend: { display: false } } }),
      });
      p.status('ok');
    }, function (err) {
      p.status('unavailable');
      p.note(explain(err, 'The underwater curve'));
    });
  }

  function renderAlerts(id) {
    var p = panel('panel-alerts');
    var q = '/v1/alerts?portfolio_id=' + enc(id) + '&status=';
    return Promise.all([api(q + 'active'), api(q + 'acknowledged')]).then(function (lists) {
      var alerts = lists[0].concat(lists[1]);
      var tbody = p.tbody();
      if (!alerts.length) {
        p.status('empty');
        p.note('No open alert.');
        return;
      }
      p.note(alerts.length + ' open (active or acknowledged).');
      alerts.forEach(function (a) {
        var tr = document.createElement('tr');
        cell(tr, a.severity, 'sev sev-' + a.severity);
        cell(tr, a.type);
        cell(tr, a.message);
        cell(tr, pctOf(a.threshold_percent), 'num');
        cell(tr, pctOf(a.current_percent), 'num');
        cell(tr, when(a.triggered_at));
        cell(tr, String(a.occurrences), 'num');
        cell(tr, a.status + (a.acknowledged_by ? ' by ' + a.acknowledged_by : ''));
        tbody.appendChild(tr);
      });
      p.status('ok');
    }, function (err) {
      p.status('error');
      p.note(explain(err, 'The alerts'));
    });
  }

  function renderStress(id) {
    var p = panel('panel-stress');
    var body = { scenarios: [{ name: 'Worst day', type: 'worst_window', days: 1 }, { name: 'Worst 10 days', type: 'worst_window', days: 10 }] };
    return api('/v1/portfolios/' + enc(id) + '/stress', body).then(function (answer) {
      var tbody = p.tbody();
      p.note('The P&L the book held now would have made over the worst windows of its assets\' aligned history (portfolio value ' + answer.portfolio_value + ').');
      answer.scenarios.forEach(function (s) {
        var tr = document.createElement('tr');
        cell(tr, s.name);
        cell(tr, s.from || '–');
        cell(tr, s.to || '–');
        cell(tr, s.pnl, 'num');
        cell(tr, pct(s.pnl_return), 'num');
        cell(tr, (s.assets || []).map(function (a) { return a.asset_id + ' ' + a.pnl; }).join(', '));
        tbody.appendChild(tr);
      });
      p.status(answer.scenarios.length ? 'ok' : 'empty');
    }, function (err) {
      p.status('unavailable');
      p.note(err instanceof ApiError && err.status === 422 ? 'No stress table: the portfolio has no history to replay yet (' + err.message + ').' : explain(err, 'The stress table'));
    });
  }

  function render(id) {
    var token = ++renderToken;
    document.body.dataset.state = 'loading';
    document.body.dataset.portfolio = id;
    $('report').hidden = false;
    ['panel-var', 'panel-underwater', 'panel-contributions', 'panel-histogram', 'panel-alerts', 'panel-stress'].forEach(function (pid) {
      var p = panel(pid);
      p.status('loading');
      p.note('Loading…');
    });
    clearCharts();
    var base = '/v1/portfolios/' + enc(id);
    var stored = api(base + '/var-history?limit=1000');
    var overview = Promise.all([api(base), api(base + '/limits'), stored]).then(function (all) {
      if (token !== renderToken) return;
      var results = all[2];
      var latestVar = results.filter(function (r) { return r.kind === 'var'; })[0];
      renderSummary(all[0], all[1], latestVar);
      // filtered_historical results have no Euler allocation (contributions null): the newest that has one.
      renderVarHistory(id, results);
      renderContributions(id, results.filter(function (r) { return r.kind === 'var' && r.contributions && r.contributions.length; })[0]);
    }, function (err) {
      if (token !== renderToken) return;
      ['panel-var', 'panel-contributions'].forEach(function (pid) { panel(pid).status('error'); panel(pid).note(explain(err, 'The stored results')); });
    });
    // The histogram and the underwater curve: the return series of the latest stored 1-day CVaR
    // (its lookback), else the latest VaR's, else a year.
    var returnsPanels = stored.then(function (results) {
      var cvar = results.filter(function (r) { return r.kind === 'cvar' && r.horizon_days === 1 && r.cvar_return !== undefined && r.var_return !== null; })[0] || null;
      var anyResult = cvar || results[0];
      var lookback = anyResult ? anyResult.observations : 252;
      return api(base + '/returns?lookback_days=' + lookback).then(function (series) {
        if (token !== renderToken) return;
        renderHistogram(series, cvar);
        return renderUnderwater(series);
      });
    }).catch(function (err) {
      if (token !== renderToken) return;
      ['panel-histogram', 'panel-underwater'].forEach(function (pid) { panel(pid).status('error'); panel(pid).note(explain(err, 'The return series')); });
    });
    return Promise.all([overview, returnsPanels, renderAlerts(id), renderStress(id)]).then(function () {
      if (token === renderToken) document.body.dataset.state = 'ready';
    });
  }

  // ---- wiring -------------------------------------------------------------------------------

  function init() {
    if (!window.Chart) {
      showMessage('The chart library did not load (/report/assets/chart.umd.min.js).');
      return;
    }
    window.Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
    window.Chart.defaults.color = '#3b4453';
    $('key-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var key = $('key-input').value.trim();
      if (!key) return;
      sessionStorage.setItem(KEY_STORE, key);
      $('key-input').value = '';
      start();
    });
    $('portfolio').addEventListener('change', function () {
      var id = $('portfolio').value;
      history.replaceState(null, '', '#' + encodeURIComponent(id));
      render(id);
    });
    $('refresh').addEventListener('click', function () { render($('portfolio').value); });
    $('forget-key').addEventListener('click', function () {
      sessionStorage.removeItem(KEY_STORE);
      clearCharts();
      askForKey('');
    });
    // Charts are drawn for the screen's width: redraw them for the page's when printing.
    window.addEventListener('beforeprint', function () { Object.keys(charts).forEach(function (n) { charts[n].resize(); }); });
    window.addEventListener('afterprint', function () { Object.keys(charts).forEach(function (n) { charts[n].resize(); }); });
    if (sessionStorage.getItem(KEY_STORE)) start();
    else askForKey('');
  }

  init();
})();
