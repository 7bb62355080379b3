import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan']);

/**
 * The metric names a PromQL expression selects (a recording rule's name included, as it reads
 * in the expression). Strings, label matchers, ranges, grouping lists, numbers and function
 * names are not metric names.
 */
export function metricNamesIn(expr: string): string[] {
  const labelValues = /label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,/.exec(expr);
  if (labelValues) return [labelValues[1]];
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/(^|[^a-zA-Z0-9_:])\d+(\.\d+)?([eE][-+]?\d+)?/g, '$1 ');
  const names = new Set<string>();
  for (const m of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = bare.slice(m.index! + m[0].length);
    if (/^\s*\(/.test(after) || KEYWORDS.has(m[0].toLowerCase())) continue;
    names.add(m[0]);
  }
  return [...names];
}

/** The series names a /metrics page declares (# TYPE lines), histograms with their _bucket/_count/_sum. */
export function exposedNames(metricsText: string): Set<string> {
  const out = new Set<string>();
  for (const m of metricsText.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    out.add(m[1]);
    if (m[2] === 'histogram' || m[2] === 'summary') for (const s of ['_bucket', '_count', '_sum']) out.add(m[1] + s);
  }
  return out;
}

export interface DashboardPanel {
  title: string;
  type: string;
  description?: string;
  targets?: Array<{ expr: string }>;
}

export function loadDashboard(): { panels: DashboardPanel[]; templating: { list: Array<{ name: string; definition?: string; query?: { query?: string } }> } } {
  return JSON.parse(readFileSync(resolve(ROOT, 'deploy/grafana/dashboards/risk-service.json'), 'utf8'));
}

export const RULES_FILE = resolve(ROOT, 'deploy/prometheus/rules/risk-service.yml');

/** Each rule of the rules file: its `record:` or `alert:` name and its one-line `expr:`. */
export function loadRules(): Array<{ kind: 'record' | 'alert'; name: string; expr: string }> {
  const lines = readFileSync(RULES_FILE, 'utf8').split('\n');
  const rules: Array<{ kind: 'record' | 'alert'; name: string; expr: string }> = [];
  for (const line of lines) {
    const head = /^\s*- (record|alert): (\S+)\s*$/.exec(line);
    if (head) rules.push({ kind: head[1] as 'record' | 'alert', name: head[2], expr: '' });
    const expr = /^\s*expr: (.+)$/.exec(line);
    if (expr) rules[rules.length - 1].expr = expr[1].trim();
  }
  return rules;
}
