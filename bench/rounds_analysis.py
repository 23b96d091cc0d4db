#!/usr/bin/python3
# Estimators over the kept runs of every round (EXP_ROUNDS_FILE of exp_measurement repeat-only):
# how many networks the two passes agree on within 3% and 5% for each. Usage: rounds_analysis.py FILE
import sys, collections, numpy as np
rounds = collections.defaultdict(list)  # (pass, platform, net) -> [runs of round 0, round 1, ...]
for line in open(sys.argv[1]):
    f = line.rstrip('\n').split('\t')
    rounds[(f[0], f[1], int(f[2]))].append(np.array([float(x) for x in f[4:]]))
est = {
    'first round median': lambda r: np.median(r[0]),
    'first round min': lambda r: r[0].min(),
    'first round p10': lambda r: np.percentile(r[0], 10),
    'first round p25': lambda r: np.percentile(r[0], 25),
    'first two rounds, lower median': lambda r: min(np.median(x) for x in r[:2]),
    'rounds, lower median (stored)': lambda r: min(np.median(x) for x in r),
    'rounds, lowest min': lambda r: min(x.min() for x in r),
    'rounds, lowest p10': lambda r: min(np.percentile(x, 10) for x in r),
    'rounds, lowest p25': lambda r: min(np.percentile(x, 25) for x in r),
    'rounds pooled p10': lambda r: np.percentile(np.concatenate(r), 10),
    'rounds pooled median': lambda r: np.median(np.concatenate(r)),
}
passes = sorted({k[0] for k in rounds})
platforms = sorted({k[1] for k in rounds})
print('| estimator | platform | compared | within 3% | within 5% | median diff | max diff |')
print('|---|---|---|---|---|---|---|')
for name, fn in est.items():
    for p in platforms:
        d = []
        for (ps, pl, n), r in rounds.items():
            if ps != passes[0] or pl != p:
                continue
            other = rounds.get((passes[1], pl, n))
            if not other:
                continue
            a, b = fn(r), fn(other)
            d.append(abs(b - a) / a)
        d = np.array(d)
        if len(d):
            print(f'| {name} | {p} | {len(d)} | {(d <= 0.03).sum()} | {(d <= 0.05).sum()} | {100*np.median(d):.2f}% | {100*d.max():.1f}% |')
nr = collections.Counter(len(r) for r in rounds.values())
print('\nrounds per measurement:', dict(sorted(nr.items())))
