#!/usr/bin/python3
"""Exports a Lectern run directory from PyTorch into a served model directory (model/CONTRACT.md).

The point: the contract's promise that a GPT exported with PyTorch, with the contract's names and shapes, can be
dropped into LECTERN_MODEL_DIR. This builds the nanoGPT-style model of crosscheck_pytorch.py, loads
model.safetensors into it (load_state_dict(strict=True)), and writes with torch.onnx.export:

- lm.onnx: input_ids (batch, sequence) and past_key_values.{i}.key/value (batch, n_head, past_sequence, head_dim)
  -> logits (batch, sequence, vocab_size) and present.{i}.key/value; positions past .. past+sequence-1; one graph for
  prefill (past_sequence 0) and decode steps.
- classifier.onnx: input_ids, attention_mask (batch, sequence) -> logits (batch, num_labels) from the ln_f hidden
  state of the last real token; padded keys masked out, positions count real tokens only.
- model.json and tokenizer.json (a copy of the run's; Lectern's BPE format).

The classifier head is the run's classifier.safetensors when it has one; otherwise an untrained head,
normal(0, 0.02) with zero bias over --labels (seeded), which --save-head writes out so that
`lectern export-onnx` can be given the same head for a comparison.

    /usr/bin/python3 model/export_pytorch.py --checkpoint RUN_DIR --out MODEL_DIR [--labels a,b,c] [--seed 1337]
"""
import argparse
import datetime
import json
import math
import os
import shutil
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crosscheck_pytorch import GPT, load_safetensors  # noqa: E402

OPSET = 17
MASKED = -1e9  # finite, so a fully padded query row stays finite (its output is never used)
DEFAULT_LABELS = ["book", "paper", "course", "project", "writing", "other"]


def attend(block, n_head, x, visible, past_k=None, past_v=None):
    """One pre-LayerNorm block; with pasts, the new keys/values are appended to them (the presents)."""
    B, S, C = x.shape
    D = C // n_head
    q, k, v = block.attn.c_attn(block.ln_1(x)).split(C, dim=2)
    q, k, v = (t.reshape(B, S, n_head, D).transpose(1, 2) for t in (q, k, v))  # (B,NH,S,D)
    if past_k is not None:
        k = torch.cat([past_k, k], dim=2)  # (B,NH,P+S,D)
        v = torch.cat([past_v, v], dim=2)
    scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(D))  # (B,NH,S,P+S)
    scores = torch.where(visible, scores, torch.tensor(MASKED, dtype=scores.dtype))
    y = (scores.softmax(dim=-1) @ v).transpose(1, 2).reshape(B, S, C)
    x = x + block.attn.c_proj(y)
    x = x + block.mlp(block.ln_2(x))
    return x, k, v


class LanguageModel(nn.Module):
    """The decoder with a KV cache: (input_ids, k0, v0, k1, v1, ...) -> (logits, present k0, v0, ...)."""

    def __init__(self, gpt, config):
        super().__init__()
        # the GPT's modules at the top, so that the initializers carry nanoGPT's names (transformer.h.0...)
        self.transformer = gpt.transformer
        self.lm_head = gpt.lm_head
        self.learned_positions = gpt.learned_positions
        self.n_head = config["n_head"]

    def forward(self, input_ids, *pasts):
        t = self.transformer
        S = input_ids.shape[1]
        P = pasts[0].shape[2]
        positions = torch.arange(S) + P  # (S)
        keys = torch.arange(S + P)  # (P+S)
        visible = keys.unsqueeze(0) <= positions.unsqueeze(1)  # (S,P+S): query P+i sees keys 0..P+i
        x = t.wte(input_ids)
        if self.learned_positions:
            x = x + t.wpe(positions)
        presents = []
        for i, block in enumerate(t.h):
            x, k, v = attend(block, self.n_head, x, visible, pasts[2 * i], pasts[2 * i + 1])
            presents += [k, v]
        return (self.lm_head(t.ln_f(x)), *presents)


class Classifier(nn.Module):
    """(input_ids, attention_mask) -> logits over the labels, from the hidden state of the last real token."""

    def __init__(self, gpt, config, weight, bias):
        super().__init__()
        self.transformer = gpt.transformer
        self.learned_positions = gpt.learned_positions
        self.n_head = config["n_head"]
        self.classifier = nn.Linear(config["n_embd"], weight.shape[0])  # classifier.weight, classifier.bias
        with torch.no_grad():
            self.classifier.weight.copy_(weight)
            self.classifier.bias.copy_(bias)

    def forward(self, input_ids, attention_mask):
        t = self.transformer
        B, S = input_ids.shape
        steps = torch.arange(S)
        causal = steps.unsqueeze(0) <= steps.unsqueeze(1)  # (S,S)
        visible = causal & attention_mask.bool()[:, None, None, :]  # (B,1,S,S): padded keys never seen
        x = t.wte(input_ids)
        if self.learned_positions:
            # position = real tokens before it, so padding on either side does not shift positions
            x = x + t.wpe((attention_mask.cumsum(1) - 1).clamp(min=0))
        for block in t.h:
            x, _, _ = attend(block, self.n_head, x, visible)
        h = t.ln_f(x)  # (B,S,C)
        # last real token: argmax of mask * (s+1), over floats as in Lectern's exporter (int64 ArgMax kernels are not a given)
        last = (attention_mask * (steps + 1)).float().argmax(dim=1)  # (B)
        hidden = torch.gather(h, 1, last.view(B, 1, 1).expand(B, 1, h.shape[2])).squeeze(1)  # (B,C)
        return self.classifier(hidden)


def read_head(run_dir):
    path = os.path.join(run_dir, "classifier.safetensors")
    if not os.path.isfile(path):
        return None
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        labels = json.loads(json.loads(f.read(n).decode("utf-8"))["__metadata__"]["labels"])
    tensors = load_safetensors(path)
    return labels, tensors["classifier.weight"], tensors["classifier.bias"]


def write_head(path, labels, weight, bias):
    """safetensors as lectern.gpt.Safetensors reads it: header padded with spaces to 8 bytes, F32 little-endian."""
    w = weight.detach().numpy().astype("<f4").tobytes()
    b = bias.detach().numpy().astype("<f4").tobytes()
    header = {"__metadata__": {"labels": json.dumps(labels)},
              "classifier.weight": {"dtype": "F32", "shape": list(weight.shape), "data_offsets": [0, len(w)]},
              "classifier.bias": {"dtype": "F32", "shape": list(bias.shape), "data_offsets": [len(w), len(w) + len(b)]}}
    raw = json.dumps(header).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + w + b)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True, help="run directory: config.json, model.safetensors, tokenizer.json")
    p.add_argument("--out", required=True, help="model directory to write")
    p.add_argument("--labels", default=",".join(DEFAULT_LABELS), help="labels of an untrained head")
    p.add_argument("--seed", type=int, default=1337, help="seed of an untrained head")
    p.add_argument("--save-head", help="also write the classifier head used here as classifier.safetensors to this path")
    args = p.parse_args()

    with open(os.path.join(args.checkpoint, "config.json")) as f:
        config = json.load(f)
    gpt = GPT(config)
    state = load_safetensors(os.path.join(args.checkpoint, "model.safetensors"))
    gpt.load_state_dict(state, strict=True)
    gpt.eval()

    head = read_head(args.checkpoint)
    trained = head is not None
    if head is None:
        labels = [s.strip() for s in args.labels.split(",") if s.strip()]
        generator = torch.Generator().manual_seed(args.seed)
        weight = torch.randn(len(labels), config["n_embd"], generator=generator) * 0.02
        head = (labels, weight, torch.zeros(len(labels)))
    labels, weight, bias = head
    if args.save_head:
        write_head(args.save_head, labels, weight, bias)

    os.makedirs(args.out, exist_ok=True)
    L, NH, C = config["n_layer"], config["n_head"], config["n_embd"]
    D = C // NH
    # traced with a non-empty past and a prompt of 3 tokens; the axes named here stay dynamic. No constant folding:
    # it would store transposed weights under generated names, and the retrain job reads the GPT back out of lm.onnx
    # by nanoGPT's names and layouts (lectern.gpt.onnx.OnnxImporter); ONNX Runtime folds the Transposes at load.
    ids = torch.tensor([[1, 2, 3]], dtype=torch.int64)
    pasts = []
    names_in, names_out = ["input_ids"], ["logits"]
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch", 1: "sequence"}}
    for i in range(L):
        for kind in ("key", "value"):
            pasts.append(torch.randn(1, NH, 2, D))
            names_in.append(f"past_key_values.{i}.{kind}")
            names_out.append(f"present.{i}.{kind}")
            axes[names_in[-1]] = {0: "batch", 2: "past_sequence"}
            axes[names_out[-1]] = {0: "batch", 2: "total_sequence"}
    with torch.no_grad():
        torch.onnx.export(LanguageModel(gpt, config), (ids, *pasts), os.path.join(args.out, "lm.onnx"),
                          input_names=names_in, output_names=names_out, dynamic_axes=axes, opset_version=OPSET,
                          do_constant_folding=False)
        classifier = Classifier(gpt, config, weight, bias).eval()
        mask = torch.tensor([[0, 1, 1]], dtype=torch.int64)
        torch.onnx.export(classifier, (ids, mask), os.path.join(args.out, "classifier.onnx"),
                          input_names=["input_ids", "attention_mask"], output_names=["logits"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                        "attention_mask": {0: "batch", 1: "sequence"}, "logits": {0: "batch"}},
                          opset_version=OPSET, do_constant_folding=False)
    shutil.copyfile(os.path.join(args.checkpoint, "tokenizer.json"), os.path.join(args.out, "tokenizer.json"))

    parameters = sum(t.numel() for name, t in gpt.state_dict().items() if name != "lm_head.weight")  # tied head once
    model_json = {
        "format": 1,
        "name": f"pytorch-gpt-{L}x{C}",
        "parameters": parameters,
        "config": {k: config[k] for k in ("vocab_size", "block_size", "n_embd", "n_layer", "n_head") if k in config}
                  | {"positions": config.get("positions", "learned")},
        "labels": labels,
        "classifier_trained": trained,
        "files": {"lm": "lm.onnx", "classifier": "classifier.onnx", "tokenizer": "tokenizer.json"},
        "prompts": {"classify_suffix": "<|classify|>", "summary_separator": "<|summary|>",
                    "end_of_text": "<|endoftext|>"},
        "metrics": {},
        "provenance": {"checkpoint": os.path.abspath(args.checkpoint),
                       "exported_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "exporter": "model/export_pytorch.py (torch.onnx.export, torch " + torch.__version__ + ")",
                       "opset": OPSET},
    }
    with open(os.path.join(args.out, "model.json"), "w") as f:
        json.dump(model_json, f, indent=2)
        f.write("\n")
    # a self-check of the traced graphs' logic in PyTorch: cached decoding equals the full forward
    with torch.no_grad():
        prompt = torch.tensor([[5, 6, 7, 8, 9]], dtype=torch.int64)
        full = gpt(prompt)
        empty = [torch.zeros(1, NH, 0, D) for _ in range(2 * L)]
        lm = LanguageModel(gpt, config)
        out = lm(prompt[:, :3], *empty)
        step = lm(prompt[:, 3:], *out[1:])
        cached = torch.cat([out[0], step[0]], dim=1)
        err = (cached - full).abs().max().item()
        padded = classifier(torch.tensor([[0, 0, 5, 6, 7]]), torch.tensor([[0, 0, 1, 1, 1]]))
        alone = classifier(torch.tensor([[5, 6, 7]]), torch.tensor([[1, 1, 1]]))
        perr = (padded - alone).abs().max().item()
    print(json.dumps({"out": args.out, "parameters": parameters, "labels": labels, "classifier_trained": trained,
                      "cached_vs_full_max_abs": err, "padded_vs_alone_max_abs": perr}))
    if err > 1e-4 or perr > 1e-4:
        sys.exit("self-check failed")


if __name__ == "__main__":
    main()
