// Environment of every integration / e2e suite: real services on loopback unless told otherwise.
process.env.TZ = 'UTC';
process.env.LOG_LEVEL ??= 'silent';
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
process.env.NATS_URL ??= 'nats://127.0.0.1:4222';
// The admin key the suites authenticate with (seeded at start from ADMIN_API_KEY).
process.env.ADMIN_API_KEY ??= 'test-admin-key-0123456789abcdef';
// Each test run consumes NAV updates through its own durable (removed by NATS when idle), so
// concurrent runs on one broker do not take each other's messages.
process.env.NATS_NAV_DURABLE ??= `risk-service-nav-test-${process.pid}`;
process.env.NATS_NAV_INACTIVE_SECONDS ??= '300';
