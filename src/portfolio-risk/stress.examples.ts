/** Worked examples of POST /v1/portfolios/:id/stress shown in Swagger UI (a book holding SMI and CAC). */
export const STRESS_EXAMPLES = {
  shock: {
    summary: 'Hypothetical shock: SMI −20 %, CAC −15 %',
    value: { scenarios: [{ name: 'equity crash', type: 'shock', shocks: { SMI: -0.2, CAC: -0.15 } }] },
  },
  historical: {
    summary: 'Historical: the summer of 1998 replayed on today’s book',
    value: { scenarios: [{ name: 'LTCM 1998', type: 'historical', from: '1998-07-20', to: '1998-10-05' }] },
  },
  worst_window: {
    summary: 'The worst 10 consecutive days of the book’s own history',
    value: { scenarios: [{ name: 'worst 10 days', type: 'worst_window', days: 10 }] },
  },
  all: {
    summary: 'Several scenarios in one request, answered in order',
    value: {
      scenarios: [
        { name: 'equity crash', type: 'shock', shocks: { SMI: -0.2, CAC: -0.15 } },
        { name: 'CAC only', type: 'shock', shocks: { CAC: -0.1 } },
        { name: '1994', type: 'historical', from: '1994-01-01', to: '1994-12-31' },
        { name: 'worst day', type: 'worst_window', days: 1 },
        { name: 'worst month', type: 'worst_window', days: 20 },
      ],
    },
  },
};
