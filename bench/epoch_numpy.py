"""Float64 numpy reference of one Yuma epoch, timed on the same sizes as bench/epoch.bench.ts.

The same math as the TypeScript port, vectorised over dense validator x uid matrices: stake
normalisation, activity / permit / diagonal / outdated masks, row normalisation, the stake-weighted
median consensus (kappa 0.5), clipping, ranks and incentive, bonds (classic: column-normalised
EMA of W*S; Yuma3: per-cell liquid-alpha sigmoid EMA with clamp) and dividends. No fixed point:
it is the speed a straightforward numpy implementation reaches, not a bit-exact one.

Usage: python3 epoch_numpy.py '<json list of {n, validators, density, mode, runs}>'
Prints one JSON object per case: {"n", "validators", "density", "mode", "ms": [...]} .
"""

import json
import sys
import time

import numpy as np


def make_case(n, v, density, seed):
    rng = np.random.default_rng(seed)
    stake = np.zeros(n)
    stake[:v] = 1e9 + rng.random(v) * 1e12
    weights = np.where(rng.random((v, n)) < density, rng.integers(1, 65536, (v, n)), 0).astype(np.float64)
    weights = np.floor(weights * 65535 / np.maximum(weights.max(axis=1, keepdims=True), 1))
    bonds = np.where(rng.random((v, n)) < density, rng.integers(0, 65536, (v, n)), 0).astype(np.float64)
    last_update = np.full(n, 999)
    registered = np.ones(n)
    return stake, weights, bonds, last_update, registered


def weighted_median_cols(stake, w, kappa):
    order = np.argsort(-w, axis=0, kind="stable")
    sorted_w = np.take_along_axis(w, order, axis=0)
    cum = np.cumsum(stake[order], axis=0)
    idx = np.argmax(cum >= kappa - 1e-12, axis=0)
    cons = sorted_w[idx, np.arange(w.shape[1])]
    cons[cum[-1] < kappa - 1e-12] = 0.0
    return cons


def epoch(case, mode, current_block=1000, cutoff=5000, kappa=0.5, alpha=0.1):
    stake_raw, weights_u16, bonds_u16, last_update, registered = case
    v, n = weights_u16.shape
    s = stake_raw / stake_raw.sum()
    active = last_update + cutoff >= current_block
    a = np.where(active, s, 0.0)[:v]
    a = a / a.sum()
    w = weights_u16.copy()
    w[np.arange(v), np.arange(v)] = 0.0  # diagonal
    w[(last_update[:v, None] <= registered[None, :])] = 0.0  # outdated
    rs = w.sum(axis=1, keepdims=True)
    w = np.divide(w, rs, out=np.zeros_like(w), where=rs > 0)
    cons = weighted_median_cols(a, w, kappa)
    clipped = np.minimum(w, cons[None, :])
    ranks = a @ clipped
    incentive = ranks / ranks.sum() if ranks.sum() > 0 else ranks
    if mode == "classic":
        b = bonds_u16 / np.maximum(bonds_u16.sum(axis=0, keepdims=True), 1e-300)
        delta = clipped * a[:, None]
        cs = delta.sum(axis=0, keepdims=True)
        delta = np.divide(delta, cs, out=np.zeros_like(delta), where=cs > 0)
        ema = alpha * delta + (1 - alpha) * b
        cs = ema.sum(axis=0, keepdims=True)
        ema = np.divide(ema, cs, out=np.zeros_like(ema), where=cs > 0)
        dividends = ema @ incentive
        mx = ema.max(axis=0, keepdims=True)
        stored = np.divide(ema, mx, out=np.zeros_like(ema), where=mx > 0)
    else:
        b = bonds_u16 / 65535.0
        low, high = 45875 / 65535, 58982 / 65535
        buy = np.clip(clipped - cons[None, :], 0, 1)
        sell = np.clip(b - clipped, 0, 1)
        d = np.where(clipped >= b, buy, sell)
        sig = 1.0 / (1.0 + np.exp(np.clip(-10.0 * (d - 0.5), -20, 20)))
        alphas = np.clip(low + sig * (high - low), low, high)
        ema = np.minimum((1 - alphas) * b + alphas * clipped, 1.0)
        cs = ema.sum(axis=0, keepdims=True)
        norm = np.divide(ema, cs, out=np.zeros_like(ema), where=cs > 0)
        dividends = (norm @ incentive) * a
        stored = ema
    dividends = dividends / dividends.sum() if dividends.sum() > 0 else dividends
    total = incentive.copy()
    total[:v] += dividends
    emission = np.floor(total / max(total.sum(), 1e-300) * 1e9)
    return emission, np.floor(stored * 65535)


def main():
    cases = json.loads(sys.argv[1])
    for c in cases:
        case = make_case(c["n"], c["validators"], c["density"], 1)
        epoch(case, c["mode"])  # warm-up
        ms = []
        for _ in range(c["runs"]):
            t = time.perf_counter()
            epoch(case, c["mode"])
            ms.append((time.perf_counter() - t) * 1000)
        print(json.dumps({**{k: c[k] for k in ("n", "validators", "density", "mode")}, "ms": ms}), flush=True)


if __name__ == "__main__":
    main()
