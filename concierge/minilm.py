"""all-MiniLM-L6-v2's forward pass in numpy: the bundled weights without importing torch or transformers.

Importing torch + transformers and building the model took ~4.5 s of every command's start; this
reads the same ``model.safetensors`` and ``tokenizer.json`` (Hugging Face ``tokenizers``) in ~0.2 s.
The maths is BERT's (post-norm encoder, exact-erf GELU) followed by the model's mean pooling, and
matches the transformers implementation to ~1e-6 (``tests/test_embeddings.py`` checks it against
torch when torch is installed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_SQRT_HALF = np.float32(0.7071067811865476)


# Numerical Recipes' erfc Chebyshev fit (fractional error < 1.2e-7), highest power first for Horner.
_ERFC_COEFFS = tuple(np.float32(c) for c in (
    0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807,
    -0.18628806, 0.09678418, 0.37409196, 1.00002368, -1.26551223,
))  # fmt: skip


def _erf(x: np.ndarray) -> np.ndarray:
    """erf in float32: numpy has none, and scipy would cost an import. Computed in place (the FFN's
    activations are the largest arrays of a batch: each temporary was a full pass over memory)."""
    t = np.abs(x)
    z2 = np.square(t)
    t *= np.float32(0.5)
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    poly = np.full_like(t, _ERFC_COEFFS[0])
    for c in _ERFC_COEFFS[1:]:
        poly *= t
        poly += c
    poly -= z2
    np.exp(poly, out=poly)
    poly *= t  # erfc(|x|)
    np.subtract(np.float32(1.0), poly, out=poly)
    return np.copysign(poly, x, out=poly)  # erf is odd: erfc(|x|) - 1 below zero


def _gelu(x: np.ndarray) -> np.ndarray:
    """0.5 * x * (1 + erf(x / sqrt(2))), overwriting ``x``'s temporaries only."""
    out = _erf(x * _SQRT_HALF)
    out += np.float32(1.0)
    out *= x
    out *= np.float32(0.5)
    return out


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    centred = x - x.mean(-1, keepdims=True)
    var = np.square(centred).mean(-1, keepdims=True)
    centred /= np.sqrt(var + eps)
    centred *= weight
    centred += bias
    return centred


@dataclass(frozen=True)
class MiniLm:
    """A BERT encoder plus mean pooling; ``encode`` returns unit-normalised float32 rows."""

    weights: dict[str, np.ndarray]
    heads: int
    layers: int
    eps: float
    tokenizer: object  # tokenizers.Tokenizer (typed loosely: the import stays inside ``load``)

    @classmethod
    def load(cls, model_dir: Path, max_tokens: int) -> MiniLm:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((model_dir / "config.json").read_text())
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=max_tokens)
        tokenizer.enable_padding(pad_id=config["pad_token_id"], pad_token="[PAD]")  # to the batch's longest
        return cls(
            weights=load_file(str(model_dir / "model.safetensors")),
            heads=config["num_attention_heads"],
            layers=config["num_hidden_layers"],
            eps=config["layer_norm_eps"],
            tokenizer=tokenizer,
        )

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        # 2-D operands: numpy sends those to BLAS (a 3-D @ 2-D product takes a ~10x slower loop).
        flat = x.reshape(-1, x.shape[-1]) @ self.weights[f"{name}.weight"].T
        flat += self.weights[f"{name}.bias"]
        return flat.reshape(*x.shape[:-1], flat.shape[-1])

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        return _layer_norm(x, self.weights[f"{name}.weight"], self.weights[f"{name}.bias"], self.eps)

    def encode(self, texts: list[str]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch(texts)  # type: ignore[attr-defined]
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        types = np.array([e.type_ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.float32)
        w = self.weights
        positions = np.arange(ids.shape[1])
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][positions][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][types]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        batch, length, hidden = x.shape
        head_dim = hidden // self.heads
        blocked = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]  # padding gets no attention
        for i in range(self.layers):
            p = f"encoder.layer.{i}"

            def split(t: np.ndarray) -> np.ndarray:
                return t.reshape(batch, length, self.heads, head_dim).transpose(0, 2, 1, 3)

            q = split(self._linear(x, f"{p}.attention.self.query"))
            k = split(self._linear(x, f"{p}.attention.self.key"))
            v = split(self._linear(x, f"{p}.attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2)
            scores /= np.float32(np.sqrt(head_dim))
            scores += blocked
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            attended = scores @ v
            attended = attended.transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            x = self._norm(self._linear(attended, f"{p}.attention.output.dense") + x, f"{p}.attention.output.LayerNorm")
            inner = _gelu(self._linear(x, f"{p}.intermediate.dense"))
            x = self._norm(self._linear(inner, f"{p}.output.dense") + x, f"{p}.output.LayerNorm")
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return (pooled / norms).astype(np.float32)
