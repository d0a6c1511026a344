#!/usr/bin/python3
"""Cross-checks a Lectern run directory against a PyTorch reference.

Loads model.safetensors (parsed by hand: 8-byte header length, JSON header, F32 data) into a minimal
nanoGPT-style model written here (learned positions or NoPE), with torch's load_state_dict(strict=True),
and prints the mean next-token cross-entropy of a uint16 token file in the same JSON shape as
`lectern eval-lm`, walking the file the same way (non-overlapping windows of block_size; the last one
may be shorter; the mean is over every predicted token).

    apt-get install -y python3-torch python3-numpy
    /usr/bin/python3 model/crosscheck_pytorch.py --checkpoint RUN_DIR --tokens model/data/tokens/val.bin
"""
import argparse
import json
import math
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def load_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n).decode("utf-8"))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", f"{name}: {info['dtype']}"
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype="<f4").reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


class CausalSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n_head = c["n_head"]
        self.c_attn = nn.Linear(c["n_embd"], 3 * c["n_embd"])
        self.c_proj = nn.Linear(c["n_embd"], c["n_embd"])

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        mask = torch.tril(torch.ones(T, T, dtype=torch.bool))
        att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_fc = nn.Linear(c["n_embd"], 4 * c["n_embd"])
        self.c_proj = nn.Linear(4 * c["n_embd"], c["n_embd"])

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln_1 = nn.LayerNorm(c["n_embd"], eps=1e-5)
        self.attn = CausalSelfAttention(c)
        self.ln_2 = nn.LayerNorm(c["n_embd"], eps=1e-5)
        self.mlp = MLP(c)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.learned_positions = c.get("positions", "learned") == "learned"
        parts = dict(wte=nn.Embedding(c["vocab_size"], c["n_embd"]),
                     h=nn.ModuleList(Block(c) for _ in range(c["n_layer"])),
                     ln_f=nn.LayerNorm(c["n_embd"], eps=1e-5))
        if self.learned_positions:
            parts["wpe"] = nn.Embedding(c["block_size"], c["n_embd"])
        self.transformer = nn.ModuleDict(parts)
        self.lm_head = nn.Linear(c["n_embd"], c["vocab_size"], bias=False)
        self.lm_head.weight = self.transformer.wte.weight  # tied, as in nanoGPT

    def forward(self, idx):
        x = self.transformer.wte(idx)
        if self.learned_positions:
            x = x + self.transformer.wpe(torch.arange(idx.size(1)))
        for block in self.transformer.h:
            x = block(x)
        return self.lm_head(self.transformer.ln_f(x))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--tokens", required=True)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    with open(f"{args.checkpoint}/config.json") as f:
        config = json.load(f)
    model = GPT(config)
    state = load_safetensors(f"{args.checkpoint}/model.safetensors")
    assert torch.equal(state["lm_head.weight"], state["transformer.wte.weight"]), "lm_head must equal wte"
    model.load_state_dict(state, strict=True)
    model.eval()
    tokens = np.fromfile(args.tokens, dtype="<u2").astype(np.int64)
    T = min(config["block_size"], len(tokens) - 1)
    windows = [(s, min(T, len(tokens) - 1 - s)) for s in range(0, len(tokens) - 1, T)]
    total, count = 0.0, 0
    with torch.no_grad():
        full = [s for s, n in windows if n == T]
        for i in range(0, len(full), args.batch):
            starts = full[i:i + args.batch]
            x = torch.from_numpy(np.stack([tokens[s:s + T] for s in starts]))
            y = torch.from_numpy(np.stack([tokens[s + 1:s + T + 1] for s in starts]))
            logits = model(x)
            total += F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1), reduction="sum").double().item()
            count += y.numel()
        for s, n in windows:
            if n < T:
                x = torch.from_numpy(tokens[s:s + n][None])
                y = torch.from_numpy(tokens[s + 1:s + n + 1][None])
                logits = model(x)
                total += F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1), reduction="sum").double().item()
                count += n
    print(json.dumps({"loss": round(total / count, 6), "tokens": count}))


if __name__ == "__main__":
    main()
