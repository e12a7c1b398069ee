#!/usr/bin/python3
"""The reference MLP GAN and cGAN written the way a PyTorch user writes them, timed like `gan bench`.

Used to compare `gan train`'s loop with PyTorch on the same machine, side by side (see README, Speed).
Models and updates follow the reference tutorial: noise 128, hidden 256, batch 100; one D step (real and
fake, fakes detached) then one G step (non-saturating loss through D), Adam, BCE on logits. The data is
synthetic, as in `gan bench`: an MLP's speed does not depend on pixel values.

    python3 src/bench/python/torch_reference.py [--threads 1] [--repeats 7] [--iterations 100]
"""
import argparse
import statistics
import time

import torch
from torch import nn

NOISE, HIDDEN, IMAGE, CLASSES = 128, 256, 28 * 28, 10


class Generator(nn.Module):
    def __init__(self, conditional):
        super().__init__()
        extra = CLASSES if conditional else 0
        self.net = nn.Sequential(nn.Linear(NOISE + extra, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, IMAGE), nn.Sigmoid())

    def forward(self, z, labels=None):
        return self.net(z if labels is None else torch.cat([z, labels], 1))


class Discriminator(nn.Module):
    def __init__(self, conditional):
        super().__init__()
        extra = CLASSES if conditional else 0
        self.net = nn.Sequential(nn.Linear(IMAGE + extra, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 1))

    def forward(self, x, labels=None):
        return self.net(x if labels is None else torch.cat([x, labels], 1))


def measure(conditional, batch, warmup, iterations, repeats):
    torch.manual_seed(1)
    lr = 1e-3 if conditional else 2e-4
    g, d = Generator(conditional), Discriminator(conditional)
    opt_g, opt_d = torch.optim.Adam(g.parameters(), lr=lr), torch.optim.Adam(d.parameters(), lr=lr)
    bce = nn.BCEWithLogitsLoss()
    data = torch.rand(1000, IMAGE)
    data_labels = nn.functional.one_hot(torch.arange(1000) % CLASSES, CLASSES).float()
    ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)

    def step(i):
        start = (i * batch) % (1000 - batch + 1)
        real = data[start:start + batch]
        labels = data_labels[start:start + batch] if conditional else None
        z = torch.randn(batch, NOISE) if not conditional else torch.rand(batch, NOISE) * 2 - 1
        fake = g(z, labels)
        opt_d.zero_grad()
        d_loss = bce(d(real, labels), ones) + bce(d(fake.detach(), labels), zeros)
        d_loss.backward()
        opt_d.step()
        opt_g.zero_grad()
        g_loss = bce(d(fake, labels), ones)
        g_loss.backward()
        opt_g.step()

    i = 0
    for _ in range(warmup):
        step(i)
        i += 1
    ms = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(iterations):
            step(i)
            i += 1
        ms.append((time.perf_counter() - t0) * 1000 / iterations)
    return ms


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s)")
    # Process warm-up: the first model measured in a fresh process ran 3-4x slower (28 against 7-10 ms per
    # iteration) until glibc's malloc had raised its mmap threshold; one short untimed run settles it.
    measure(True, args.batch_size, 200, 0, 0)
    print(f"{'model':<12} {'batch':>5} {'median ms/it':>13} {'min':>7} {'max':>7} {'images/s':>9}")
    for conditional in (False, True):
        ms = measure(conditional, args.batch_size, args.warmup, args.iterations, args.repeats)
        median = statistics.median(ms)
        name = "conditional" if conditional else "plain"
        print(f"{name:<12} {args.batch_size:>5} {median:>13.2f} {min(ms):>7.2f} {max(ms):>7.2f} "
              f"{args.batch_size * 1000 / median:>9.0f}")


if __name__ == "__main__":
    main()
