import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { createNodeMetrics, startMetricsServer } from './index.js';
import { parseExposition } from './test-fixtures/parse-exposition.js';

/** A raw HTTP request, for methods and paths fetch() would normalise. */
function raw(
  port: number,
  method: string,
  path: string,
): Promise<{ status: number; body: string; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

test('GET /metrics serves the exposition as text/plain; version=0.0.4', async () => {
  const metrics = createNodeMetrics();
  metrics.bestBlock.set(77);
  const server = await startMetricsServer({ port: 0, metrics });
  try {
    assert.equal(server.host, '127.0.0.1', 'binds loopback by default');
    assert.ok(server.port > 0);
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const body = await res.text();
    assert.equal(body, metrics.render());
    const best = parseExposition(body)
      .get('substrate_block_height')
      ?.samples.find((s) => s.labels.status === 'best');
    assert.equal(best?.value, 77);
    // Each scrape renders the current values.
    metrics.bestBlock.set(78);
    const again = await (await fetch(`http://127.0.0.1:${server.port}/metrics?x=1`)).text();
    assert.match(again, /^substrate_block_height\{status="best"\} 78$/m);
    const head = await raw(server.port, 'HEAD', '/metrics');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  } finally {
    await server.close();
  }
});

test('every other path or method is a 404', async () => {
  const server = await startMetricsServer({ port: 0, metrics: createNodeMetrics() });
  try {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/metrics/'],
      ['GET', '/metricsx'],
      ['GET', '/METRICS'],
      ['GET', '/../metrics'],
      ['POST', '/metrics'],
      ['PUT', '/metrics'],
      ['DELETE', '/metrics'],
      ['GET', '*'],
    ] as const) {
      const res = await raw(server.port, method, path);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.doesNotMatch(res.body, /substrate_/);
    }
  } finally {
    await server.close();
  }
});

test('a failing render() is a 500 that reaches the logger, and the server keeps serving', async () => {
  const errors: unknown[] = [];
  let fail = true;
  const server = await startMetricsServer({
    port: 0,
    metrics: {
      render() {
        if (fail) throw new Error('boom');
        return '# HELP a a\n# TYPE a gauge\na 1\n';
      },
    },
    logger: { error: (obj) => errors.push(obj) },
  });
  try {
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    assert.equal(res.status, 500);
    assert.doesNotMatch(await res.text(), /boom|at /);
    assert.equal(errors.length, 1);
    fail = false;
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/metrics`)).status, 200);
  } finally {
    await server.close();
  }
});

test('close() stops the server and is idempotent', async () => {
  const server = await startMetricsServer({ port: 0, metrics: createNodeMetrics() });
  // Leave a keep-alive connection open: close() must not wait for it.
  await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
  const closing = server.close();
  assert.equal(server.close(), closing);
  await closing;
  await assert.rejects(fetch(`http://127.0.0.1:${server.port}/metrics`));
});

test('a port in use makes start reject', async () => {
  const first = await startMetricsServer({ port: 0, metrics: createNodeMetrics() });
  try {
    await assert.rejects(
      startMetricsServer({ port: first.port, metrics: createNodeMetrics() }),
      /EADDRINUSE/,
    );
  } finally {
    await first.close();
  }
});

test('bad options are rejected', async () => {
  const metrics = createNodeMetrics();
  type Opts = Parameters<typeof startMetricsServer>[0];
  const cases: Array<[unknown, typeof TypeError | typeof RangeError]> = [
    [undefined, TypeError],
    [{ metrics }, TypeError],
    [{ port: '9615', metrics }, TypeError],
    [{ port: -1, metrics }, RangeError],
    [{ port: 65536, metrics }, RangeError],
    [{ port: 1.5, metrics }, RangeError],
    [{ port: Number.NaN, metrics }, RangeError],
    [{ port: 0 }, TypeError],
    [{ port: 0, metrics: {} }, TypeError],
    [{ port: 0, metrics, host: '' }, TypeError],
    [{ port: 0, metrics, host: 5 }, TypeError],
    [{ port: 0, metrics, logger: {} }, TypeError],
  ];
  for (const [opts, type] of cases) {
    await assert.rejects(startMetricsServer(opts as Opts), type, JSON.stringify(opts));
  }
});
