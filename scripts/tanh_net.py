"""The small networks the library embeds: one layer of tanh units and a
linear output, fitted with Adam on squared error (numpy only). Shared by
scripts/fit-eye-openness.py and scripts/fit-mouth-opening.py."""
import numpy as np


def fit(x, y, hidden, steps, b2, weight=None, tail_from=1.0, lr=3e-3, decay=1e-3, seed=1):
    """Fits on rows `x` and targets `y` (each squared error times `weight`,
    when given): batches of 256, weight decay `decay`, the rate a tenth
    from `tail_from` of the steps on. Returns (w1, b1, w2, b2)."""
    rng = np.random.default_rng(seed)
    d = x.shape[1]
    w1 = rng.normal(0, 1 / np.sqrt(d), (d, hidden))
    b1 = np.zeros(hidden)
    w2 = rng.normal(0, 1 / np.sqrt(hidden), hidden)
    b2 = np.array(b2)
    params = [w1, b1, w2, b2]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for step in range(steps):
        batch = rng.choice(len(y), 256)
        xb, yb = x[batch], y[batch]
        h = np.tanh(xb @ w1 + b1)
        e = (h @ w2 + b2 - yb) * (1.0 if weight is None else weight[batch]) / len(batch)
        dh = np.outer(e, w2) * (1 - h * h)
        grads = [xb.T @ dh + decay * w1, dh.sum(0), h.T @ e + decay * w2, e.sum()]
        rate = lr if step < tail_from * steps else 0.1 * lr
        for i, (p, g) in enumerate(zip(params, grads)):
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g * g
            p -= rate * (m[i] / (1 - 0.9 ** (step + 1))) / (
                np.sqrt(v[i] / (1 - 0.999 ** (step + 1))) + 1e-8
            )
    return w1, b1, w2, b2


def predict(net, x):
    w1, b1, w2, b2 = net
    return np.tanh(x @ w1 + b1) @ w2 + b2


def write_rust(out, header, net, w1_item="const"):
    """Writes the weights as Rust items W1 (a `w1_item`: a large array
    must be a static), B1, W2, B2, under the comment lines `header`."""
    w1, b1, w2, b2 = net
    d, hidden = w1.shape

    def arr(a):
        # The shortest decimal that reads back as the same f32.
        return ", ".join(str(np.float32(t)) for t in np.ravel(a))

    with open(out, "w") as f:
        f.write("".join(f"//{' ' if line else ''}{line}\n" for line in header) + "\n")
        f.write("/// Input-to-hidden weights, row-major (input, unit).\n#[rustfmt::skip]\n")
        f.write(f"pub(super) {w1_item} W1: [f32; {d * hidden}] = [{arr(w1)}];\n")
        f.write(f"/// Hidden biases.\n#[rustfmt::skip]\npub(super) const B1: [f32; {hidden}] = [{arr(b1)}];\n")
        f.write(f"/// Hidden-to-output weights.\n#[rustfmt::skip]\npub(super) const W2: [f32; {hidden}] = [{arr(w2)}];\n")
        f.write(f"/// Output bias.\npub(super) const B2: f32 = {str(np.float32(float(b2)))};\n")
