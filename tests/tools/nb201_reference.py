#!/usr/bin/python3
"""Reference parameter and MAC counts of NAS-Bench-201 CIFAR-10 networks, for tst_nasbench201.

Run with Debian's interpreter (python3-torch):

    /usr/bin/python3 tests/tools/nb201_reference.py CELL [CELL ...]

Prints one JSON object {cell: {"params": P, "macs": M}}. The network follows xautodl's
TinyNetwork/InferCell exactly (the model NAS-Bench-201 trained and HELP/HW-NAS-Bench measured):
stem conv3x3(16)+BN; 3 stages x 5 cells at 16/32/64 channels; ResNetBasicblock(stride 2) between
stages; BN, ReLU, global average pool, Linear(10). 'none' edges are Zero ops (x * 0).
params = sum(p.numel() for p in model.parameters()) (BN running statistics are buffers);
MACs are counted with forward hooks: Conv2d out.numel() * Cin/groups * kh * kw, Linear out.numel() * in_features.
"""
import json
import sys

import torch
import torch.nn as nn


class ReLUConvBN(nn.Module):
    def __init__(self, cin, cout, k, stride, pad):
        super().__init__()
        self.op = nn.Sequential(nn.ReLU(inplace=False), nn.Conv2d(cin, cout, k, stride, pad, bias=False),
                                nn.BatchNorm2d(cout))

    def forward(self, x):
        return self.op(x)


class Zero(nn.Module):
    def forward(self, x):
        return x.mul(0.0)


def make_op(name, c):
    return {
        "none": lambda: Zero(),
        "skip_connect": lambda: nn.Identity(),
        "nor_conv_1x1": lambda: ReLUConvBN(c, c, 1, 1, 0),
        "nor_conv_3x3": lambda: ReLUConvBN(c, c, 3, 1, 1),
        "avg_pool_3x3": lambda: nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False),
    }[name]()


def parse(cell):
    nodes = []
    for node in cell.split("+"):
        edges = [e for e in node.split("|") if e]
        nodes.append([(e.split("~")[0], int(e.split("~")[1])) for e in edges])
    return nodes


class InferCell(nn.Module):
    def __init__(self, genotype, c):
        super().__init__()
        self.genotype = genotype
        self.layers = nn.ModuleList(make_op(op, c) for node in genotype for op, _ in node)

    def forward(self, x):
        nodes, k = [x], 0
        for node in self.genotype:
            feats = []
            for _, src in node:
                feats.append(self.layers[k](nodes[src]))
                k += 1
            nodes.append(sum(feats))
        return nodes[-1]


class ResNetBasicblock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv_a = ReLUConvBN(cin, cout, 3, 2, 1)
        self.conv_b = ReLUConvBN(cout, cout, 3, 1, 1)
        self.downsample = nn.Sequential(nn.AvgPool2d(2, 2, 0), nn.Conv2d(cin, cout, 1, 1, 0, bias=False))

    def forward(self, x):
        return self.downsample(x) + self.conv_b(self.conv_a(x))


class TinyNetwork(nn.Module):
    def __init__(self, genotype, C=16, N=5, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, C, 3, padding=1, bias=False), nn.BatchNorm2d(C))
        cells, cprev = [], C
        for stage, c in enumerate([C, 2 * C, 4 * C]):
            if stage > 0:
                cells.append(ResNetBasicblock(cprev, c))
            cells += [InferCell(genotype, c) for _ in range(N)]
            cprev = c
        self.cells = nn.Sequential(*cells)
        self.lastact = nn.Sequential(nn.BatchNorm2d(cprev), nn.ReLU(inplace=True))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(cprev, classes)

    def forward(self, x):
        x = self.lastact(self.cells(self.stem(x)))
        return self.classifier(self.pool(x).flatten(1))


def count(cell):
    model = TinyNetwork(parse(cell)).eval()
    macs = [0]

    def hook(m, inp, out):
        if isinstance(m, nn.Conv2d):
            macs[0] += out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        elif isinstance(m, nn.Linear):
            macs[0] += out.numel() * m.in_features

    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            m.register_forward_hook(hook)
    with torch.no_grad():
        model(torch.zeros(1, 3, 32, 32))
    return {"params": sum(p.numel() for p in model.parameters()), "macs": macs[0]}


if __name__ == "__main__":
    print(json.dumps({cell: count(cell) for cell in sys.argv[1:]}))
