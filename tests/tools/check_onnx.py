#!/usr/bin/python3
"""Validate ONNX files with onnx.checker plus strict shape inference.

    /usr/bin/python3 tests/tools/check_onnx.py FILE [FILE...]
    /usr/bin/python3 tests/tools/check_onnx.py --dir DIR      # every *.onnx in DIR

Prints "ok FILE" for each valid file; on the first failure prints the file and the
checker's message to stderr and exits 1.
"""
import os
import sys

try:
    import onnx
    import onnx.checker
    import onnx.shape_inference
except ImportError as exc:
    sys.exit(f"check_onnx: {exc}. install python3-onnx: run scripts/install-deps.sh")


def check(path):
    # Equivalent to onnx.checker.check_model(path, full_check=True), minus a trap:
    # in onnx 1.12 that call runs infer_shapes_path() with no output path, which
    # rewrites the model file in place. Sending the inferred model to /dev/null keeps
    # the fixture untouched. Both steps use the path form, so >2 GB models and
    # external data (resolved relative to the model's directory) work.
    onnx.checker.check_model(path)
    onnx.shape_inference.infer_shapes_path(path, os.devnull, check_type=True, strict_mode=True)


def main(argv):
    paths = argv[1:]
    if len(paths) == 2 and paths[0] == "--dir":
        folder = paths[1]
        paths = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".onnx"))
        if not paths:
            sys.exit(f"check_onnx: {folder}: no .onnx files")
    if not paths:
        sys.exit(f"usage: {argv[0]} FILE [FILE...] | --dir DIR")
    for path in paths:
        if not os.path.isfile(path):
            sys.exit(f"check_onnx: {path}: no such file")
        try:
            check(path)
        except Exception as exc:  # checker, inference and protobuf errors alike
            sys.exit(f"check_onnx: {path}: {type(exc).__name__}: {exc}")
        print(f"ok {path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
