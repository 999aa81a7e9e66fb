import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NETWORKS, networkOfUrl, resolveNetwork, validateEndpoint } from './network.js';

describe('resolveNetwork', () => {
  it('resolves the names of sdk.md §4.1', () => {
    assert.deepEqual(resolveNetwork({ network: 'finney', env: {} }), {
      network: 'finney',
      url: 'wss://entrypoint-finney.opentensor.ai:443',
    });
    assert.deepEqual(resolveNetwork({ network: 'test', env: {} }), {
      network: 'test',
      url: 'wss://test.finney.opentensor.ai:443',
    });
    assert.deepEqual(resolveNetwork({ network: 'archive', env: {} }), {
      network: 'archive',
      url: 'wss://archive.chain.opentensor.ai:443',
    });
    assert.deepEqual(resolveNetwork({ network: 'local', env: {} }), {
      network: 'local',
      url: 'ws://127.0.0.1:9944',
    });
    assert.equal(resolveNetwork({ network: ' Local ', env: {} }).url, NETWORKS.local);
  });
  it('defaults to finney, or BT_SUBTENSOR_NETWORK', () => {
    assert.equal(resolveNetwork({ env: {} }).network, 'finney');
    assert.equal(resolveNetwork({ env: { BT_SUBTENSOR_NETWORK: 'test' } }).network, 'test');
    assert.equal(
      resolveNetwork({ network: 'local', env: { BT_SUBTENSOR_NETWORK: 'test' } }).network,
      'local',
    );
  });
  it('local honours BT_SUBTENSOR_CHAIN_ENDPOINT; other names do not', () => {
    const env = { BT_SUBTENSOR_CHAIN_ENDPOINT: 'ws://10.0.0.5:9944' };
    assert.deepEqual(resolveNetwork({ network: 'local', env }), {
      network: 'local',
      url: 'ws://10.0.0.5:9944',
    });
    assert.equal(resolveNetwork({ network: 'finney', env }).url, NETWORKS.finney);
  });
  it('accepts URLs and classifies them', () => {
    assert.deepEqual(resolveNetwork({ network: 'ws://127.0.0.1:1234', env: {} }), {
      network: 'local',
      url: 'ws://127.0.0.1:1234',
    });
    assert.deepEqual(resolveNetwork({ network: 'wss://node.example.org/rpc', env: {} }), {
      network: 'unknown',
      url: 'wss://node.example.org/rpc',
    });
    assert.equal(
      resolveNetwork({ network: 'wss://entrypoint-finney.opentensor.ai:443/', env: {} }).url,
      'wss://entrypoint-finney.opentensor.ai:443',
    );
    assert.deepEqual(
      resolveNetwork({ network: 'test', chainEndpoint: 'ws://localhost:9945', env: {} }),
      { network: 'local', url: 'ws://localhost:9945' },
    );
    assert.equal(networkOfUrl('ws://[::1]:9944'), 'local');
  });
  it('rejects bad names and hostile URLs', () => {
    const bad: [unknown, typeof Error][] = [
      ['mainnet', RangeError],
      ['', RangeError],
      ['http://127.0.0.1:9944', RangeError],
      ['https://entrypoint-finney.opentensor.ai', RangeError],
      ['file:///etc/passwd', RangeError],
      ['javascript://alert(1)', RangeError],
      ['ws://', RangeError],
      ['ws://user:pw@127.0.0.1:9944', RangeError],
      ['ws://127.0.0.1:9944/#x', RangeError],
      ['ws://127.0.0.1:99999', RangeError],
      ['ws://127.0.0.1:9944/\nx', RangeError],
      ['ws://a b', RangeError],
      [`ws://${'a'.repeat(3000)}`, RangeError],
      [42, TypeError],
    ];
    for (const [network, type] of bad)
      assert.throws(
        () => resolveNetwork({ network: network as string, env: {} }),
        type,
        String(network).slice(0, 40),
      );
    assert.throws(
      () => resolveNetwork({ chainEndpoint: 'tcp://x', network: 'local', env: {} }),
      RangeError,
    );
    assert.throws(
      () => resolveNetwork({ network: 'local', env: { BT_SUBTENSOR_CHAIN_ENDPOINT: 'nope' } }),
      RangeError,
    );
    assert.throws(() => resolveNetwork(null as never), TypeError);
    assert.throws(() => validateEndpoint(undefined), TypeError);
  });
});
