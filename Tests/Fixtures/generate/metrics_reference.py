"""Reference implementation of every metric in shared/spec/metrics.md, in numpy.

Inputs are the float32 tensors a forward pass captures; every sum runs in
float64. The Swift AttnAnalysis module must agree with these functions within
1e-6 relative. Layouts: attention [H, T, T] (masked entries 0), values
[G, T, d], hidden [T, D], all row-major. Undefined values are None (JSON null).
"""

import numpy as np

TOP_K = (1, 5, 10)


def _plogp(p):
    """-p ln p elementwise in float64 with 0 ln 0 = 0."""
    p = np.asarray(p, dtype=np.float64)
    out = np.zeros_like(p)
    positive = p > 0
    out[positive] = -p[positive] * np.log(p[positive])
    return out


def visible(T, causal, window=None):
    """[T, T] boolean mask of the keys each query sees; a causal sliding window w keeps 0 <= i - j < w."""
    if not causal:
        return np.ones((T, T), dtype=bool)
    i, j = np.arange(T)[:, None], np.arange(T)[None, :]
    return (j <= i) & (i - j < (window or T))


def row_entropy(attention, causal, window=None, learned_sinks=False):
    """H_i per head and query, [H, T], nats. With learned sinks (GPT-OSS) the dropped sink slot counts as one more
    outcome: H_i = -sum_j A_ij ln A_ij - s_i ln s_i, s_i = 1 - sum_j A_ij."""
    A = attention.astype(np.float64) * visible(attention.shape[-1], causal, window)
    H = _plogp(A).sum(axis=-1)
    if learned_sinks:
        H = H + _plogp(1.0 - A.sum(axis=-1))
    return H


def key_counts(T, causal, window=None):
    """n_i, the number of keys query i sees, [T]."""
    return visible(T, causal, window).sum(axis=1)


def head_entropy(attention, causal, window=None, learned_sinks=False):
    """Mean over queries of H_i, [H]."""
    return row_entropy(attention, causal, window, learned_sinks).mean(axis=-1)


def normalized_head_entropy(attention, causal, window=None, learned_sinks=False):
    """Mean over queries with n_i > 1 of H_i / ln n_i, [H]; None when T = 1. With learned sinks the sink slot is
    one more outcome: n_i + 1 replaces n_i (so every query, n_i + 1 >= 2, counts)."""
    T = attention.shape[-1]
    n = key_counts(T, causal, window) + (1 if learned_sinks else 0)
    rows = n > 1
    if not rows.any():
        return [None] * attention.shape[0]
    return (row_entropy(attention, causal, window, learned_sinks)[:, rows] / np.log(n[rows])).mean(axis=-1)


def key_importance(attention, causal, window=None):
    """alpha[h][k]: attention key k receives, averaged over the queries that see it, [H, T]."""
    T = attention.shape[-1]
    mask = visible(T, causal, window)
    A = attention.astype(np.float64) * mask
    return A.sum(axis=1) / mask.sum(axis=0)


def column_importance(attention):
    """The paper's p: mean over heads, column sums, normalized, [T]."""
    a = attention.astype(np.float64).mean(axis=0).sum(axis=0)
    return a / a.sum()


def attention_entropy(attention):
    """-sum p ln p of the column importance, nats."""
    return float(_plogp(column_importance(attention)).sum())


def top_k_share(attention):
    """Sum of the k largest p_j for k = 1, 5, 10."""
    p = np.sort(column_importance(attention))[::-1]
    return {str(k): float(p[:k].sum()) for k in TOP_K}


def value_norm(values):
    """Mean over kv-heads of the per-token L2 norm, [T]."""
    return np.sqrt((values.astype(np.float64) ** 2).sum(axis=-1)).mean(axis=0)


def first_token_ratio(x):
    """x[0] / mean over t >= 1 of x[t]; None when undefined."""
    if len(x) < 2:
        return None
    rest = float(np.mean(x[1:]))
    return float(x[0]) / rest if rest > 0 else None


def hidden_norm(hidden):
    """Per-token L2 norm, [T]."""
    return np.sqrt((hidden.astype(np.float64) ** 2).sum(axis=-1))


def peak_hidden(norms):
    """(max / median of the norms or None, first argmax)."""
    token = int(np.argmax(norms))
    middle = float(np.median(norms))
    return (float(norms[token]) / middle if middle > 0 else None), token


def massive_activations(hidden, top=3):
    """Entries with |x| > 100 and |x| > 1000 * median |h|: count, the largest `top` (signed), the median."""
    magnitude = np.abs(hidden).astype(np.float64).ravel()
    middle = float(np.median(magnitude))
    threshold = max(100.0, 1000.0 * middle)
    hits = np.nonzero(magnitude > threshold)[0]
    order = sorted(hits, key=lambda i: (-magnitude[i], i))[:top]
    D = hidden.shape[1]
    entries = [{"value": float(hidden.ravel()[i]), "token": int(i // D), "channel": int(i % D)} for i in order]
    return {"count": int(len(hits)), "top": entries, "median_magnitude": middle}


def token_similarity(hidden):
    """Mean cosine over ordered pairs i != j from the explicit Gram matrix; zero rows count 0; None when T < 2."""
    T = hidden.shape[0]
    if T < 2:
        return None
    h = hidden.astype(np.float64)
    norms = np.sqrt((h ** 2).sum(axis=-1, keepdims=True))
    unit = np.divide(h, norms, out=np.zeros_like(h), where=norms > 0)
    gram = unit @ unit.T
    return float((gram.sum() - np.trace(gram)) / (T * (T - 1)))


def sink_fraction(alphas, key=0, epsilon=0.3):
    """Fraction of heads (rows of alphas [N, T]) with alpha[key] > epsilon."""
    alphas = np.asarray(alphas)
    if key >= alphas.shape[1]:
        return 0.0
    return float((alphas[:, key] > epsilon).mean())


def sink_mass(attention, causal, window=None):
    """sink_mass[h]: mean over queries of 1 - sum_j A_ij, [H]."""
    A = attention.astype(np.float64) * visible(attention.shape[-1], causal, window)
    return 1.0 - A.sum(axis=-1).mean(axis=-1)


def _role_mean(attention, causal, window, qualifying):
    """Mean over queries with at least one qualifying visible key of the attention on those keys, per head; None when no query qualifies.

    `qualifying` is a [T, T] boolean matrix of candidate keys per query; only visible ones count.
    """
    T = attention.shape[-1]
    keys = qualifying & visible(T, causal, window)
    rows = keys.any(axis=1)
    if not rows.any():
        return [None] * attention.shape[0]
    A = attention.astype(np.float64)
    return [float(x) for x in (A * keys)[:, rows, :].sum(axis=-1).mean(axis=-1)]


def previous_token_score(attention, causal, window=None):
    """Mean over i >= 1 that see i-1 of A[i, i-1], per head."""
    T = attention.shape[-1]
    i, j = np.arange(T)[:, None], np.arange(T)[None, :]
    return _role_mean(attention, causal, window, j == i - 1)


def duplicate_token_score(attention, token_ids, causal, window=None):
    """Mean over queries with a visible earlier copy j < i (x_j = x_i) of the attention on those copies, per head."""
    x = np.asarray(token_ids)
    T = len(x)
    i, j = np.arange(T)[:, None], np.arange(T)[None, :]
    return _role_mean(attention, causal, window, (j < i) & (x[None, :] == x[:, None]))


def induction_score(attention, token_ids, causal, window=None):
    """Mean over queries with a visible key j, 1 <= j < i, where x_{j-1} = x_i, of the attention on those keys, per head."""
    x = np.asarray(token_ids)
    T = len(x)
    i, j = np.arange(T)[:, None], np.arange(T)[None, :]
    previous = np.concatenate([[-1], x[:-1]])  # x_{j-1}; key 0 has none
    return _role_mean(attention, causal, window, (j >= 1) & (j < i) & (previous[None, :] == x[:, None]))


def head_value_norms(values, output_weight, heads):
    """nu[h][j] = ||v_j W_O^h||: values [G, T, d] as attention consumes them, output_weight the Linear weight
    [D, H*d] (bias left out); query head h reads kv head h // (H/G). Returns [H, T] float64."""
    G, T, d = values.shape
    W = output_weight.astype(np.float64)
    nu = np.empty((heads, T))
    for h in range(heads):
        v = values[h // (heads // G)].astype(np.float64)  # [T, d]
        nu[h] = np.linalg.norm(v @ W[:, h * d:(h + 1) * d].T, axis=-1)
    return nu


def value_weighted_first_token_share(attention, nu):
    """(sum_i A_i0 nu_0) / (sum_i sum_j A_ij nu_j) per head; None where the denominator is 0."""
    A = attention.astype(np.float64)
    first = A[:, :, 0].sum(axis=-1) * nu[:, 0]
    total = (A * nu[:, None, :]).sum(axis=(-1, -2))
    return [float(f / t) if t > 0 else None for f, t in zip(first, total)]


def head_output_norm(attention, values, output_weight):
    """Mean over queries of ||(sum_j A_ij v_j) W_O^h|| per head."""
    H = attention.shape[0]
    G, T, d = values.shape
    A = attention.astype(np.float64)
    W = output_weight.astype(np.float64)
    out = []
    for h in range(H):
        o = A[h] @ values[h // (H // G)].astype(np.float64)  # [T, d]
        out.append(float(np.linalg.norm(o @ W[:, h * d:(h + 1) * d].T, axis=-1).mean()))
    return out


def top_keys(attention, count=3):
    """The `count` keys with the largest p_j, largest first, ties to the smaller j: [{token, mass}]."""
    p = column_importance(attention)
    order = sorted(range(len(p)), key=lambda j: (-p[j], j))[:count]
    return [{"token": int(j), "mass": float(p[j])} for j in order]


def head_role_metrics(attention, values, causal, token_ids, window=None, output_weight=None):
    """The per-head metrics of metrics.md's "Learned sinks", "Head roles" and "Value-weighted attention"
    sections, [H] dicts; the value-weighted two are None without the output projection."""
    H = attention.shape[0]
    shares, norms = [None] * H, [None] * H
    if output_weight is not None:
        shares = value_weighted_first_token_share(attention, head_value_norms(values, output_weight, H))
        norms = head_output_norm(attention, values, output_weight)
    return [
        {"sink_mass": float(m), "previous_token_score": p, "duplicate_token_score": u, "induction_score": n,
         "value_weighted_first_token_share": s, "head_output_norm": o}
        for m, p, u, n, s, o in zip(
            sink_mass(attention, causal, window), previous_token_score(attention, causal, window),
            duplicate_token_score(attention, token_ids, causal, window), induction_score(attention, token_ids, causal, window),
            shares, norms)
    ]


def layer_metrics(attention, values, causal, epsilon=0.3, key=0, window=None, token_ids=None, output_weight=None,
                  learned_sinks=False):
    """One block's metrics as in metrics.json `layers[l]`, plus its alpha [H, T]; `window` is a causal sliding window.
    The role scores need `token_ids`, the value-weighted figures `output_weight` ([D, H*d], Linear layout);
    `learned_sinks` (GPT-OSS) counts the sink slot in the two head entropies."""
    alpha = key_importance(attention, causal, window)
    norms = value_norm(values)
    heads = [
        {"head_entropy": float(e), "normalized_head_entropy": None if n is None else float(n),
         "first_token_importance": float(a[0]), **roles}
        for e, n, a, roles in zip(
            head_entropy(attention, causal, window, learned_sinks),
            normalized_head_entropy(attention, causal, window, learned_sinks), alpha,
            head_role_metrics(attention, values, causal, token_ids, window, output_weight))
    ]
    return {
        "attention_entropy": attention_entropy(attention),
        "layer_sink_rate": sink_fraction(alpha, key, epsilon),
        "first_token_importance": float(alpha[:, 0].mean()),
        "top_k_share": top_k_share(attention),
        "top_keys": top_keys(attention),
        "value_norm": [float(x) for x in norms],
        "value_drain_ratio": first_token_ratio(norms),
        "heads": heads,
    }, alpha


def hidden_state_metrics(hidden, index):
    """One residual state's metrics as in metrics.json `hidden_states[l]`; massive activations only for l >= 1."""
    norms = hidden_norm(hidden)
    ratio, token = peak_hidden(norms)
    return {
        "hidden_norm": [float(x) for x in norms],
        "first_token_hidden_ratio": first_token_ratio(norms),
        "peak_hidden_ratio": ratio,
        "peak_token": token,
        "token_similarity": token_similarity(hidden),
        "massive_activations": massive_activations(hidden) if index >= 1 else None,
    }


def sample_metrics(attentions, values, hiddens, causal, token_ids, text=None, epsilon=0.3, key=0, windows=None,
                   output_weights=None, learned_sinks=False):
    """A sample's metrics (metrics.json `samples[i]`) from per-block attention/value tensors and L+1 hidden states.

    `windows[l]` is block l's causal sliding window (None for none); `windows` None means no block slides.
    `output_weights[l]` is block l's output projection [D, H*d] (None: no value-weighted figures).
    `learned_sinks`: the model has learned sink logits (golden metadata "learned_sinks"), see row_entropy.
    """
    layers, alphas = [], []
    for l, (attention, value) in enumerate(zip(attentions, values)):
        layer, alpha = layer_metrics(attention, value, causal, epsilon, key, windows[l] if windows else None, token_ids,
                                     output_weights[l] if output_weights else None, learned_sinks)
        layers.append(layer)
        alphas.append(alpha)
    sample = {} if text is None else {"text": text}
    sample.update({
        "token_ids": [int(t) for t in token_ids],
        "tokens": [str(int(t)) for t in token_ids],
        "sink_rate": sink_fraction(np.concatenate(alphas), key, epsilon),
        "layers": layers,
        "hidden_states": [hidden_state_metrics(h, l) for l, h in enumerate(hiddens)],
    })
    return sample
