#!/usr/bin/python3
"""The PyTorch side of `lectern bench-train --vs-pytorch`: the same training step as Lectern's, run on command.

The model is crosscheck_pytorch.GPT (nanoGPT's layout, tanh GELU, tied head). One step is what
lectern.gpt.TrainBenchmark times: zero the gradients, forward with cross-entropy, backward, clip the gradient norm to
1.0, AdamW (lr 6e-4, betas 0.9/0.95, eps 1e-8, weight decay 0.1 on every parameter, as Lectern's AdamW), on random
tokens of the same shape.

It reads commands on stdin, one per line, and answers each with one JSON line on stdout, so that the Java side can
interleave rounds of the two (only one of them computes at any time):

    round N     -> {"steps": N, "seconds": s, "tokens_per_second": x}
    sgemm       -> {"shapes": [{"m":..,"k":..,"n":..,"gflops":..}], "square1024": gflops}
    quit

Run by hand:

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 model/bench_pytorch.py --config mini
    round 10
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crosscheck_pytorch import GPT  # noqa: E402

CONFIGS = {
    "micro": dict(vocab_size=4096, block_size=128, n_embd=128, n_layer=4, n_head=4),
    "mini": dict(vocab_size=4096, block_size=256, n_embd=256, n_layer=4, n_head=4),
}


def sgemm(shapes, threads):
    """Best GFLOP/s of torch.mm (the BLAS torch links) for each (m, k, n)."""
    out = []
    for m, k, n in shapes:
        a, b = torch.randn(m, k), torch.randn(k, n)
        for _ in range(3):
            a @ b
        best = float("inf")
        reps = max(3, int(2e9 / (2 * m * k * n)))
        for _ in range(5):
            t = time.perf_counter()
            for _ in range(reps):
                a @ b
            best = min(best, (time.perf_counter() - t) / reps)
        out.append(dict(m=m, k=k, n=n, gflops=round(2 * m * k * n / best / 1e9, 1)))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="mini", choices=sorted(CONFIGS))
    p.add_argument("--batch", type=int, default=None)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1337)
    c = dict(CONFIGS[args.config], positions="learned")
    B = args.batch or (16 if args.config == "micro" else 8)
    T, C, V = c["block_size"], c["n_embd"], c["vocab_size"]
    model = GPT(c)
    opt = torch.optim.AdamW(model.parameters(), lr=6e-4, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
    g = torch.Generator().manual_seed(1)
    x = torch.randint(0, V, (B, T), generator=g)
    y = torch.randint(0, V, (B, T), generator=g)

    def step():
        opt.zero_grad(set_to_none=False)
        logits = model(x)
        loss = F.cross_entropy(logits.view(-1, V), y.view(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss

    print(json.dumps(dict(ready=True, torch=torch.__version__, threads=torch.get_num_threads(),
                          blas=os.environ.get("LD_LIBRARY_PATH", "default"))), flush=True)
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "quit":
            break
        if cmd[0] == "round":
            n = int(cmd[1])
            t = time.perf_counter()
            for _ in range(n):
                loss = step()
            float(loss)
            s = time.perf_counter() - t
            print(json.dumps(dict(steps=n, seconds=s, tokens_per_second=n * B * T / s)), flush=True)
        elif cmd[0] == "sgemm":
            N = B * T
            # the step's own products (forward, input gradient, weight gradient of each linear layer, and the head),
            # then a large square one for the machine's peak
            linears = [(C, 3 * C), (C, C), (C, 4 * C), (4 * C, C), (C, V)]
            shapes = []
            for i, o in linears:
                shapes += [(N, i, o), (N, o, i), (o, N, i)]
            result = sgemm(shapes, args.threads)
            square = sgemm([(1024, 1024, 1024)], args.threads)[0]["gflops"]
            print(json.dumps(dict(shapes=result, square1024=square)), flush=True)
        else:
            print(json.dumps(dict(error="unknown command " + cmd[0])), flush=True)


if __name__ == "__main__":
    main()
