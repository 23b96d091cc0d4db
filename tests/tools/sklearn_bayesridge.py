#!/usr/bin/python3
"""Reference fits of sklearn.linear_model.BayesianRidge for tst_bayesridge.

    /usr/bin/python3 tests/tools/sklearn_bayesridge.py DIR

DIR/manifest.json lists the cases: [{"name": N, "fit_intercept": bool}, ...]. For each case
DIR/N_train.csv (columns x0..x{p-1}, y; header line) is fitted with sklearn's defaults and
DIR/N_test.csv (x0..x{p-1}) is predicted; DIR/N_sklearn.json receives coef, intercept, alpha,
lambda, n_iter, predictions and std (predict(return_std=True)).
"""
import json
import os
import sys

try:
    import numpy as np
    from sklearn.linear_model import BayesianRidge
except ImportError as exc:
    sys.exit(f"sklearn_bayesridge: {exc}. install python3-sklearn: run scripts/install-deps.sh")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    with open(os.path.join(folder, "manifest.json")) as f:
        cases = json.load(f)
    for case in cases:
        name = case["name"]
        train = np.loadtxt(os.path.join(folder, f"{name}_train.csv"), delimiter=",", skiprows=1, ndmin=2)
        test = np.loadtxt(os.path.join(folder, f"{name}_test.csv"), delimiter=",", skiprows=1, ndmin=2)
        x, y = train[:, :-1], train[:, -1]
        model = BayesianRidge(fit_intercept=case["fit_intercept"]).fit(x, y)
        mean, std = model.predict(test, return_std=True)
        out = {
            "coef": model.coef_.tolist(),
            "intercept": float(model.intercept_),
            "alpha": float(model.alpha_),
            "lambda": float(model.lambda_),
            "n_iter": int(model.n_iter_),
            "predictions": mean.tolist(),
            "std": std.tolist(),
        }
        with open(os.path.join(folder, f"{name}_sklearn.json"), "w") as f:
            json.dump(out, f)
        print("ok", name)


if __name__ == "__main__":
    main()
