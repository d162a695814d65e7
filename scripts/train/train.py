#!/usr/bin/python3
"""Trains LAG's SV scorer and exports it to ONNX (run by `npm run train`, scripts/train/train.sh).

Input: candidates exported by export-candidates.js (JSON lines: set, id, type, label, features).
  train.py TRAIN.jsonl HELDOUT.jsonl FEATURES.json OUTDIR

0. Two models, one per kind of event: copy-number events (DEL, DUP, INS) and balanced ones (INV, BND).
   Balanced events have no depth signal, and the artefacts that mimic them differ: with one model, the
   small split-read-only inversions that chimeras make (all false) pulled small deletions of the same
   shape (all true) under 0.5 (seeds 43-49: 12 of 27 true calls the model withdrew).
1. Cross-fitting, per model: the training genomes are cut into 5 folds (a genome and its artefact copies
   stay in one fold); for each fold, gradient-boosted trees (scikit-learn GradientBoostingClassifier,
   fixed seed) fitted on the other folds give its candidates a raw score from trees that never saw them.
2. Platt calibration per model (logistic regression on those out-of-fold raw scores) and per-type thresholds
   chosen on them (the probability that maximises F1 for the type; 0.5 when the type has under 10
   true or 10 false candidates, or when no threshold beats 0.5 by 0.01 F1). Every candidate serves
   the calibration, and every one was unseen by the trees that scored it: a single 70/30 split left
   ~900 candidates to place the thresholds, and they moved from one retraining to the next.
   The exported trees are then fitted on all the training candidates (as scikit-learn's
   CalibratedClassifierCV does with ensemble=False).
3. Export: one ONNX graph, input `features` float32 [N, F] -> for each model a TreeEnsembleRegressor
   (ai.onnx.ml) raw score -> a * raw + b; the candidate's one-hot type (is_inv + is_bnd > 0.5) picks one
   -> Sigmoid -> `probability` float32 [N, 1]. Onnxruntime-node runs it in LAG.
4. Metrics on the held-out set (seeds and regions never used in training): the candidates' F1 with
   every candidate kept ("unscored") and with the model's PASS, per type, plus a reliability table and
   the expected calibration error. Written to OUTDIR/sv-scorer.json (thresholds, metrics) and
   OUTDIR/check.json (inputs and expected probabilities, for the ONNX round-trip test).
Deterministic: same inputs, same model.
"""
import json
import re
from collections import Counter
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

SEED = 20261129
# Per-type thresholds (chosen on the out-of-fold scores) need this many true and false candidates of the
# type, and must raise its F1 by this much over 0.5; otherwise the type keeps 0.5.
MIN_PER_CLASS = 10
MIN_THRESHOLD_GAIN = 0.01
# Cross-fitting folds (groups of training genomes).
FOLDS = 5
# Trees: 300 of depth 3 at learning rate 0.05 had the lowest out-of-fold log loss on the training genomes
# (0.122, against 0.132 for 150 trees, 0.139 at depth 4, 0.137 at depth 2; 5 genome folds), the held-out
# sets unseen by that choice.
N_TREES = 300
TREES = {"n_estimators": N_TREES, "max_depth": 3, "learning_rate": 0.05, "subsample": 0.8}
TYPES = ["DEL", "DUP", "INV", "INS", "BND"]
# The two models (step 0): out-of-fold log loss 0.0769 against 0.0790 for one model over all types
# (17 training genomes, 5 genome folds).
BALANCED = ["INV", "BND"]
PARTS = ["copyNumber", "balanced"]


# The kinds of call the model may judge (shared/scoring/domain.ts, callClass): those it learnt from at least this
# many training candidates the caller passed. The model only ever decides over calls the caller passed, and what it
# knows of them comes from passed examples; candidates the caller filtered look different (an imprecise inversion the
# caller filtered has 2 pairs, one it passes 28-45).
MIN_CLASS_CANDIDATES = 10
# domain.ts NO_COPY_LEFT_FOLD: an imprecise deletion with a depth fold change under this reads as a loss of both copies.
NO_COPY_LEFT_FOLD = 0.25


def call_classes(rows, X, names, groups):
    """Caller-passed training calls by kind ("INV/imprecise"), leaving out depth-only changes (judged by no model).
    A genome's call is counted once, however many of its copies (plain, artefact layers) hold it: the copies share
    the genome's true SVs, so five copies of four imprecise duplications are four examples, not twenty."""
    precise, pairs, splits, fold, measured = (names.index(n) for n in ("precise", "pairs", "split_reads", "depth_fold", "depth_measured"))
    seen = {}
    for r, x, g in zip(rows, X, groups):
        if r["filter"] != "PASS" or (r["type"] in ("DEL", "DUP") and x[pairs] == 0 and x[splits] == 0):
            continue
        key = f'{r["type"]}/{"precise" if x[precise] >= 0.5 else "imprecise"}'
        # domain.ts callClass: an imprecise deletion whose depth says no copy is left is a kind of its own.
        if key == "DEL/imprecise" and x[measured] >= 0.5 and x[fold] < NO_COPY_LEFT_FOLD:
            key += "/noCopyLeft"
        seen.setdefault(key, set()).add((g, r["id"]))
    return {k: len(v) for k, v in sorted(seen.items())}


def load(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    X = np.array([r["features"] for r in rows], dtype=np.float32)
    y = np.array([r["label"] for r in rows], dtype=np.int64)
    t = np.array([r["type"] for r in rows])
    return rows, X, y, t


def f1(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def float32_floor(x):
    """The largest float32 <= x. ONNX stores tree thresholds as float32; the features are float32, so for
    every feature value v: v <= x exactly when v <= float32_floor(x). Plain rounding could round a threshold up
    onto a feature value and send that value down the other branch."""
    f = np.float32(x)
    if float(f) > x:
        f = np.nextafter(f, np.float32(-np.inf))
    return float(f)


def ensemble_node(clf, n_features, output):
    """One fitted GradientBoostingClassifier as a TreeEnsembleRegressor giving its raw score."""
    lr = clf.learning_rate
    attrs = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
                             "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true",
                             "target_treeids", "target_nodeids", "target_ids", "target_weights"]}
    for tree_id, est in enumerate(clf.estimators_[:, 0]):
        t = est.tree_
        for node in range(t.node_count):
            leaf = t.children_left[node] == -1
            attrs["nodes_treeids"].append(tree_id)
            attrs["nodes_nodeids"].append(node)
            attrs["nodes_featureids"].append(0 if leaf else int(t.feature[node]))
            attrs["nodes_modes"].append("LEAF" if leaf else "BRANCH_LEQ")
            attrs["nodes_values"].append(0.0 if leaf else float32_floor(t.threshold[node]))
            attrs["nodes_truenodeids"].append(0 if leaf else int(t.children_left[node]))
            attrs["nodes_falsenodeids"].append(0 if leaf else int(t.children_right[node]))
            attrs["nodes_missing_value_tracks_true"].append(0)
            if leaf:
                attrs["target_treeids"].append(tree_id)
                attrs["target_nodeids"].append(node)
                attrs["target_ids"].append(0)
                attrs["target_weights"].append(float(lr * t.value[node][0][0]))
    init = float(clf._raw_predict_init(np.zeros((1, n_features), dtype=np.float32))[0][0])
    return helper.make_node("TreeEnsembleRegressor", ["features"], [output], domain="ai.onnx.ml", n_targets=1,
                            aggregate_function="SUM", base_values=[init], post_transform="NONE", **attrs)


def to_onnx(parts, balanced_columns, n_features, version):
    """The two models with their Platt transforms as one ONNX graph; the one-hot type columns pick the model."""
    nodes, init = [], []
    for name in PARTS:
        clf, a, b = parts[name]
        nodes += [ensemble_node(clf, n_features, f"raw_{name}"),
                  helper.make_node("Mul", [f"raw_{name}", f"platt_a_{name}"], [f"scaled_{name}"]),
                  helper.make_node("Add", [f"scaled_{name}", f"platt_b_{name}"], [f"logit_{name}"])]
        init += [helper.make_tensor(f"platt_a_{name}", TensorProto.FLOAT, [1], [a]),
                 helper.make_tensor(f"platt_b_{name}", TensorProto.FLOAT, [1], [b])]
    nodes += [helper.make_node("Gather", ["features", "balanced_columns"], ["type_columns"], axis=1),
              helper.make_node("ReduceSum", ["type_columns", "sum_axes"], ["balanced_sum"], keepdims=1),
              helper.make_node("Greater", ["balanced_sum", "half"], ["is_balanced"]),
              helper.make_node("Where", ["is_balanced", "logit_balanced", "logit_copyNumber"], ["logit"]),
              helper.make_node("Sigmoid", ["logit"], ["probability"])]
    init += [helper.make_tensor("balanced_columns", TensorProto.INT64, [len(balanced_columns)], balanced_columns),
             helper.make_tensor("sum_axes", TensorProto.INT64, [1], [1]),
             helper.make_tensor("half", TensorProto.FLOAT, [1], [0.5])]
    graph = helper.make_graph(
        nodes, "lag_sv_scorer",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, [None, n_features])],
        [helper.make_tensor_value_info("probability", TensorProto.FLOAT, [None, 1])],
        initializer=init)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("ai.onnx.ml", 1)],
                              producer_name="lag-train", producer_version=version)
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def reliability(p, y, bins=10):
    rows, ece = [], 0.0
    for k in range(bins):
        lo, hi = k / bins, (k + 1) / bins
        m = (p >= lo) & ((p < hi) if k < bins - 1 else (p <= hi))
        if m.sum() == 0:
            rows.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": 0, "meanProbability": None, "fractionTrue": None})
            continue
        mp, fy = float(p[m].mean()), float(y[m].mean())
        ece += m.sum() / len(p) * abs(mp - fy)
        rows.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": int(m.sum()), "meanProbability": round(mp, 3), "fractionTrue": round(fy, 3)})
    return rows, ece


def main():
    train_path, heldout_path, features_path, outdir = sys.argv[1:5]
    version = sys.argv[5] if len(sys.argv) > 5 else "1"
    names = json.load(open(features_path))
    rows, X, y, t = load(train_path)
    # A genome and its artefact copies (seed101-15x, seed101-15x-artefacts, seed101-15x-artefacts2, ...) are one group.
    groups = np.array([re.sub(r"-artefacts\d*$", "", r["set"]) for r in rows])

    def trees():
        return GradientBoostingClassifier(**TREES, random_state=SEED)

    def part_of(types):
        return np.where(np.isin(types, BALANCED), "balanced", "copyNumber")

    part = part_of(t)
    parts = {}
    pc = np.zeros(len(y))
    for name in PARTS:
        idx = np.where(part == name)[0]
        raw_c = np.zeros(len(idx))
        for fit_idx, out_idx in GroupKFold(n_splits=FOLDS).split(X[idx], y[idx], groups[idx]):
            raw_c[out_idx] = trees().fit(X[idx[fit_idx]], y[idx[fit_idx]]).decision_function(X[idx[out_idx]])
        clf = trees().fit(X[idx], y[idx])
        platt = LogisticRegression(C=1e6, solver="lbfgs").fit(raw_c.reshape(-1, 1), y[idx])
        a, b = float(platt.coef_[0][0]), float(platt.intercept_[0])
        parts[name] = (clf, a, b)
        pc[idx] = sigmoid(a * raw_c + b)

    def probability(Xs, types):
        """What the exported graph computes: each candidate scored by its kind's trees and Platt transform."""
        out = np.zeros(len(Xs))
        ps = part_of(types)
        for name, (clf, a, b) in parts.items():
            m = ps == name
            if m.any():
                out[m] = sigmoid(a * clf.decision_function(Xs[m]) + b)
        return out
    thresholds = {}

    def f1_at(m, th):
        return f1(int(((pc[m] >= th) & (y[m] == 1)).sum()), int(((pc[m] >= th) & (y[m] == 0)).sum()),
                  int(((pc[m] < th) & (y[m] == 1)).sum()))[0]

    for ty in TYPES:
        m = t == ty
        # A threshold moves off 0.5 only on enough evidence of both kinds, and for a real gain:
        # a few candidates would otherwise pull it to an edge that the next genome does not share.
        if int((y[m] == 1).sum()) < MIN_PER_CLASS or int((y[m] == 0).sum()) < MIN_PER_CLASS:
            thresholds[ty] = 0.5
            continue
        best = max((f1_at(m, th), -abs(th - 0.5), th) for th in np.round(np.arange(0.05, 0.96, 0.05), 2))
        thresholds[ty] = float(best[2]) if best[0] >= f1_at(m, 0.5) + MIN_THRESHOLD_GAIN else 0.5
    # The graph tells a balanced candidate by its one-hot type columns (is_inv, is_bnd).
    model = to_onnx(parts, [names.index(f"is_{ty.lower()}") for ty in BALANCED], X.shape[1], version)
    onnx.save(model, f"{outdir}/sv-scorer.onnx")

    rows_h, Xh, yh, th_ = load(heldout_path)
    ph = probability(Xh, th_)
    keep = np.array([ph[i] >= thresholds.get(th_[i], 0.5) for i in range(len(ph))])
    # F1 over candidates: truth events the candidates miss entirely are counted by the benchmark, not here.
    sets_h = np.array([r["set"] for r in rows_h])

    def per_type_in(mask):
        out = {}
        for ty in TYPES + ["all"]:
            m = mask & (np.ones(len(yh), bool) if ty == "all" else th_ == ty)
            if m.sum() == 0:
                continue
            pos = int(yh[m].sum())
            un = f1(pos, int((yh[m] == 0).sum()), 0)
            sc = f1(int((keep[m] & (yh[m] == 1)).sum()), int((keep[m] & (yh[m] == 0)).sum()), int((~keep[m] & (yh[m] == 1)).sum()))
            out[ty] = {"candidates": int(m.sum()), "true": pos,
                       "unscored": {"f1": round(un[0], 4), "precision": round(un[1], 4), "recall": round(un[2], 4)},
                       "scored": {"f1": round(sc[0], 4), "precision": round(sc[1], 4), "recall": round(sc[2], 4)}}
        return out

    per_type = per_type_in(np.ones(len(yh), bool))
    per_set = {s: per_type_in(sets_h == s)["all"] for s in sorted(set(sets_h))}
    table, ece = reliability(ph, yh)
    _, ece_cal = reliability(pc, y)
    # The genomes the model may judge (shared/scoring/domain.ts): from 2/3 of the lowest training depth to 1.5x the highest,
    # and BAMs with SA tags (bwa mem's split reads), as every training BAM had.
    depth = X[:, names.index("contig_depth")] * 30
    domain = {"minDepth": int(np.floor(depth.min() * 2 / 3)), "maxDepth": int(np.ceil(depth.max() * 1.5)), "needsSplitReads": True,
              "classes": call_classes(rows, X, names, groups), "minClassCandidates": MIN_CLASS_CANDIDATES,
              # The bound the classes were counted with: inference must sort calls by the same one (domain.ts callClass).
              "noCopyLeftFold": NO_COPY_LEFT_FOLD}
    info = {
        "version": version,
        "features": names,
        "thresholds": thresholds,
        "domain": domain,
        "models": {
            name: {"types": sorted(set(t[part == name])), "candidates": int((part == name).sum()), "true": int(y[part == name].sum()),
                   "platt": {"a": a, "b": b}}
            for name, (clf, a, b) in parts.items()
        },
        "trees": {"n": TREES["n_estimators"], "maxDepth": TREES["max_depth"], "learningRate": TREES["learning_rate"],
                  "subsample": TREES["subsample"], "seed": SEED},
        "training": {"candidates": int(len(y)), "true": int(y.sum()), "genomes": int(len(set(groups))), "folds": FOLDS,
                     # Copies with the artefact layer per genome (make-training-sims.sh, TRAIN_ARTEFACT_LAYERS).
                     "artefactLayers": max(Counter(g for g, s in set(zip(groups, (r["set"] for r in rows))) if s != g).values(), default=0)},
        "calibrationEce": round(float(ece_cal), 4),
        "heldout": {"candidates": int(len(yh)), "sets": per_set, "perType": per_type, "reliability": table, "ece": round(float(ece), 4)},
        # Importance over both models, weighted by their candidates.
        "importance": sorted(([n, round(float(sum(parts[k][0].feature_importances_[i] * (part == k).mean() for k in PARTS)), 4)]
                              for i, n in enumerate(names)), key=lambda x: -x[1]),
    }
    json.dump(info, open(f"{outdir}/sv-scorer.json", "w"), indent=1)
    # Round-trip check: a few held-out inputs and the probabilities scikit-learn gives them.
    idx = list(range(0, len(Xh), max(1, len(Xh) // 25)))[:25]
    json.dump({"features": Xh[idx].tolist(), "probability": [float(x) for x in ph[idx]]}, open(f"{outdir}/check.json", "w"))
    print(json.dumps({k: info[k] for k in ["thresholds", "calibrationEce"]}), file=sys.stderr)
    print(json.dumps(info["heldout"]["perType"]["all"]), "ECE", info["heldout"]["ece"], file=sys.stderr)
    for s, v in per_set.items():
        print(s, json.dumps(v), file=sys.stderr)


if __name__ == "__main__":
    main()
