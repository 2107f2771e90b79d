"""One training step of the report's network in PyTorch, float64, one thread.

3072 -> 50 -> 30 -> 10 with batch norm and ReLU, batch 100, cross-entropy, SGD momentum 0.8,
He init, on random standardized batches (the same step gradspec's bench times). Prints one JSON
line: {"torch": version, "threads": n, "blas": loaded libraries, "step_ms": [...]} (the timed steps, after warm-up).

    python3 bench/peers/torch_step.py --steps 200 --warmup 30
"""
import argparse
import json
import time

import torch


def loaded_blas() -> str:
    """The BLAS shared libraries mapped into this process (Debian's torch uses whatever libblas.so.3 points to)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    except OSError:
        return "unknown"
    return ", ".join(sorted(paths)) or "none found"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--batches", type=int, default=10, help="distinct input batches cycled through")
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(1)
    dtype = torch.float64
    model = torch.nn.Sequential(
        torch.nn.Linear(3072, 50), torch.nn.BatchNorm1d(50), torch.nn.ReLU(),
        torch.nn.Linear(50, 30), torch.nn.BatchNorm1d(30), torch.nn.ReLU(),
        torch.nn.Linear(30, 10),
    ).to(dtype)
    for layer in model:
        if isinstance(layer, torch.nn.Linear):
            torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            torch.nn.init.zeros_(layer.bias)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.8)
    loss_fn = torch.nn.CrossEntropyLoss()
    xs = [torch.randn(100, 3072, dtype=dtype) for _ in range(args.batches)]
    ys = [torch.randint(0, 10, (100,)) for _ in range(args.batches)]

    def step(i: int) -> None:
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xs[i % args.batches]), ys[i % args.batches])
        loss.backward()
        optimizer.step()

    for i in range(args.warmup):
        step(i)
    times = []
    for i in range(args.steps):
        t0 = time.perf_counter()
        step(i)
        times.append((time.perf_counter() - t0) * 1000.0)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": loaded_blas(), "step_ms": times}))


if __name__ == "__main__":
    main()
