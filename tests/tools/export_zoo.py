#!/usr/bin/python3
"""Export the torchvision model zoo to ONNX as test fixtures for Sniper Workbench.

Run with Debian's interpreter (python3-torch, python3-torchvision, python3-onnx):

    /usr/bin/python3 tests/tools/export_zoo.py --out DIR [--models a,b] [--opsets 13,17]

Produces, per model and opset:
  DIR/<name>_op<opset>.onnx            the full model (random weights, seed 0)
  DIR/<name>_op<opset>_structure.onnx  same graph, float initializer payloads stripped
plus DIR/resnet18_op13_extmissing.onnx (float initializers point at a missing
external file) and DIR/manifest.json with reference parameter and MAC counts.

The manifest is written last, via an atomic rename, and doubles as the cache key:
a rerun with the same script and the same model/opset list is a no-op.
"""
import argparse
import hashlib
import json
import os
import sys
import time
import warnings

DEFAULT_MODELS = [
    "resnet18", "resnet50", "vgg16", "mobilenet_v2", "mobilenet_v3_large",
    "densenet121", "googlenet", "inception_v3", "efficientnet_b0",
    "squeezenet1_1", "shufflenet_v2_x1_0", "vit_b_16",
]
DEFAULT_OPSETS = [13, 17]
INPUT_SIZE = {"inception_v3": 299}  # everything else is 224x224
EXTMISSING = ("resnet18", 13)       # the one model/opset given a dangling external-data copy

# torch and friends take seconds to import, so they are only loaded once the cache
# check has said there is work to do (see load_deps); CTest reruns stay instant.
torch = torchvision = onnx = None


def load_deps():
    global torch, torchvision, onnx
    try:
        import onnx.external_data_helper
        import onnx.numpy_helper
        import torch
        import torchvision
    except ImportError as exc:
        sys.exit(f"export_zoo: {exc}. install python3-torch python3-torchvision "
                 "python3-onnx: run scripts/install-deps.sh")


def build_model(name):
    torch.manual_seed(0)
    kwargs = {"weights": None}
    if name in ("googlenet", "inception_v3"):
        # The auxiliary classifiers only run in training mode, so an eval-mode export
        # would not contain them; dropping them keeps `params` equal to what the ONNX
        # graph actually holds. init_weights=True silences torchvision's warning about
        # the default changing and pins the initialisation scheme.
        kwargs.update(aux_logits=False, init_weights=True)
    model = getattr(torchvision.models, name)(**kwargs).eval()
    jitter_constant_tensors(model)
    return model


def jitter_constant_tensors(model):
    """Fresh-init BatchNorm weights/stats and zero biases are constant tensors, and the
    eval-mode exporter deduplicates initializers *by value*: every same-shaped ones()
    or zeros() tensor would collapse into one initializer fed through Identity nodes,
    so the ONNX graph would no longer hold one initializer per parameter. A small
    seeded perturbation keeps them distinct (uniform +-0.1 keeps running_var > 0)."""
    with torch.no_grad():  # state_dict() tensors share storage with the model
        for t in model.state_dict().values():
            if t.is_floating_point() and t.numel() and bool((t == t.flatten()[0]).all()):
                t.add_(torch.empty_like(t).uniform_(-0.1, 0.1))


def count_macs(model, x):
    from torch.utils._python_dispatch import TorchDispatchMode
    aten = torch.ops.aten
    # aten.matmul normally decomposes into mm/bmm before reaching us; listed just in case.
    matmuls = {aten.mm, aten.addmm, aten.bmm, aten.baddbmm, aten.matmul}

    # Counting at the aten level (rather than with module hooks) sees every matmul,
    # e.g. the attention products inside nn.MultiheadAttention, whoever issues them.
    class MacCounter(TorchDispatchMode):
        # Fused kernels that would hide their matmuls from us; fail loudly instead of undercounting.
        OPAQUE = {"_native_multi_head_attention", "_transformer_encoder_layer_fwd",
                  "_scaled_dot_product_attention", "scaled_dot_product_attention"}

        def __init__(self):
            super().__init__()
            self.macs = 0

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            packet = func.overloadpacket
            if packet.__name__ in self.OPAQUE:
                raise RuntimeError(f"MacCounter: opaque fused op {func} would be miscounted")
            if packet is aten.convolution:
                # weight is Cout x Cin/groups x kh x kw, so one output element costs
                # weight[0].numel() MACs. Transposed convs (args[6]) have a different
                # weight layout and do not occur in the zoo.
                assert not args[6], "transposed convolution not supported"
                self.macs += out.numel() * args[1][0].numel()
            elif packet in matmuls:
                # Each output element of [batch x] M x N is a K-long dot product; the two
                # matrix operands are the last positional args (addmm's bias comes first).
                self.macs += out.numel() * args[-2].shape[-1]
            return out

    counter = MacCounter()
    # Deliberately NOT under no_grad: with grad enabled nn.MultiheadAttention avoids
    # its fused fast path (_native_multi_head_attention), so every matmul is visible.
    with counter:
        model(x)
    return counter.macs


def float_initializers(model):
    tp = onnx.TensorProto
    float_types = {tp.FLOAT, tp.FLOAT16, tp.DOUBLE, tp.BFLOAT16}
    return [t for t in model.graph.initializer if t.data_type in float_types]


def clear_payload(tensor):
    # float16/bfloat16 values live in int32_data when not stored as raw bytes.
    for field in ("raw_data", "float_data", "double_data", "int32_data"):
        tensor.ClearField(field)


def write_bytes_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def write_structure_copy(src, dst):
    """Graph and tensor metadata intact, float payloads gone: exercises parsers that
    must cope with weightless models. Integer initializers (Reshape shapes etc.) stay
    because the graph's meaning depends on them."""
    model = onnx.load(src)
    for t in float_initializers(model):
        clear_payload(t)
    write_bytes_atomic(dst, model.SerializeToString())


def write_extmissing_copy(src, dst):
    """Float initializers redirected to a weights.bin that deliberately does not exist."""
    model = onnx.load(src)
    offset = 0
    for t in float_initializers(model):
        length = onnx.numpy_helper.to_array(t).nbytes
        onnx.external_data_helper.set_external_data(t, "weights.bin", offset=offset, length=length)
        clear_payload(t)
        offset += length
    # Serialise by hand: onnx.save() would try to write the external data itself.
    write_bytes_atomic(dst, model.SerializeToString())


def export_one(model, x, path, opset):
    tmp = path + ".tmp"
    torch.onnx.export(
        model, x, tmp, opset_version=opset,
        # PRESERVE on an eval() model exports inference semantics but skips the
        # eval-only peephole pass that folds BatchNormalization into Conv, so the
        # graph's parameters stay one-to-one with the PyTorch module's.
        training=torch.onnx.TrainingMode.PRESERVE,
        do_constant_folding=True,
        input_names=["input"], output_names=["output"])
    os.replace(tmp, path)


def script_hash():
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def cache_is_valid(manifest_path, key):
    try:
        with open(manifest_path) as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        return False  # absent or unreadable: export from scratch
    if {k: manifest.get(k) for k in key} != key:
        return False
    # A fixture deleted by hand should not be papered over by a stale manifest.
    out_dir = os.path.dirname(manifest_path)
    for entry in manifest.get("models", []):
        names = list(entry["files"].values()) + list(entry["structure_files"].values())
        names += [entry["extmissing_file"]] if "extmissing_file" in entry else []
        names += [entry["reference"]["input"], entry["reference"]["output"]] if "reference" in entry else []
        if not all(os.path.isfile(os.path.join(out_dir, n)) for n in names):
            return False
    return True


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--models", default=",".join(DEFAULT_MODELS),
                   help="comma-separated torchvision model names")
    p.add_argument("--opsets", default=",".join(map(str, DEFAULT_OPSETS)),
                   help="comma-separated ONNX opset versions")
    args = p.parse_args()
    args.models = [m for m in args.models.split(",") if m]
    args.opsets = [int(o) for o in args.opsets.split(",") if o]
    return args


def main():
    args = parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest_path = os.path.join(args.out, "manifest.json")
    key = {"script_sha256": script_hash(), "model_list": args.models, "opsets": args.opsets}
    if cache_is_valid(manifest_path, key):
        print(f"export_zoo: {manifest_path} is up to date, nothing to do")
        return 0

    load_deps()
    # Invalidate first, so an interrupted run can never be mistaken for a finished one.
    if os.path.exists(manifest_path):
        os.remove(manifest_path)

    # The exporter's UserWarnings (constant folding in PRESERVE mode, etc.) are
    # expected and would drown the progress lines.
    warnings.filterwarnings("ignore")
    # The machine is shared; exports are dominated by single-threaded Python anyway.
    torch.set_num_threads(1)

    entries = []
    total_start = time.monotonic()
    for name in args.models:
        start = time.monotonic()
        model = build_model(name)
        size = INPUT_SIZE.get(name, 224)
        x = torch.randn(1, 3, size, size)
        entry = {
            "name": name,
            "input_shape": [1, 3, size, size],
            "params": sum(p.numel() for p in model.parameters()),
            # BatchNorm running_mean/var: exported as initializers but not parameters.
            "float_buffers": sum(b.numel() for b in model.buffers() if b.is_floating_point()),
            "macs_hooks": count_macs(model, x),
            "files": {}, "structure_files": {},
        }
        # Reference output of PyTorch itself, for the executor comparisons (raw float32, C order).
        with torch.no_grad():
            y = model(x)
        entry["reference"] = {"input": f"{name}_input.bin", "output": f"{name}_output.bin",
                              "output_shape": list(y.shape)}
        write_bytes_atomic(os.path.join(args.out, f"{name}_input.bin"), x.numpy().astype("<f4").tobytes())
        write_bytes_atomic(os.path.join(args.out, f"{name}_output.bin"), y.numpy().astype("<f4").tobytes())
        print(f"{name}: params {entry['params']}, MACs {entry['macs_hooks']} "
              f"({time.monotonic() - start:.1f}s)", flush=True)
        for opset in args.opsets:
            start = time.monotonic()
            base = f"{name}_op{opset}"
            full = os.path.join(args.out, base + ".onnx")
            export_one(model, x, full, opset)
            write_structure_copy(full, os.path.join(args.out, base + "_structure.onnx"))
            entry["files"][str(opset)] = base + ".onnx"
            entry["structure_files"][str(opset)] = base + "_structure.onnx"
            if (name, opset) == EXTMISSING:
                write_extmissing_copy(full, os.path.join(args.out, base + "_extmissing.onnx"))
                entry["extmissing_file"] = base + "_extmissing.onnx"
            mib = os.path.getsize(full) / 2**20
            print(f"  {base}.onnx: {mib:.1f} MiB ({time.monotonic() - start:.1f}s)", flush=True)
        entries.append(entry)

    manifest = dict(key, torch=torch.__version__, torchvision=torchvision.__version__,
                    onnx=onnx.__version__, models=entries)
    write_bytes_atomic(manifest_path, (json.dumps(manifest, indent=2) + "\n").encode())
    print(f"export_zoo: {len(entries)} models in {time.monotonic() - total_start:.1f}s "
          f"-> {manifest_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
