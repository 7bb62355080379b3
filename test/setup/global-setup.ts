/** Runs once before the integration suites. */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
}
