#!/usr/bin/python3
"""The reference GANs written the way a PyTorch user writes them, timed like `gan bench`.

Used to compare `gan train`'s loop with PyTorch on the same machine, side by side (see README, Speed).
MLP: the reference tutorial's, noise 128, hidden 256, batch 100; one D step (real and fake, fakes detached)
then one G step (non-saturating loss through D), Adam, BCE on logits. DCGAN (--arch dcgan): gan's DCGAN at
width 64 (G: Linear to 64x7x7, BN, 4x4 stride-2 transposed convolutions 64->32->1 with BN; D: 4x4 stride-2
convolutions 1->32->64 with LeakyReLU 0.2, Linear to the logit; a cGAN's D gets a label map as a second
channel). --arch lenet times the digit classifier's training step (`gan classifier train`: LeNet, batch 64,
Adam 1e-3, softmax cross-entropy). The data is synthetic, as in `gan bench`: speed does not depend on pixel
values.

    python3 src/bench/python/torch_reference.py [--arch mlp|dcgan|lenet] [--threads 1] [--repeats 7]
"""
import argparse
import statistics
import sys
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


class DcganGenerator(nn.Module):
    def __init__(self, conditional, width=64):
        super().__init__()
        extra = CLASSES if conditional else 0
        self.width = width
        self.project = nn.Sequential(nn.Linear(NOISE + extra, width * 7 * 7), nn.BatchNorm1d(width * 7 * 7), nn.ReLU())
        self.net = nn.Sequential(
            nn.ConvTranspose2d(width, width // 2, 4, 2, 1), nn.BatchNorm2d(width // 2), nn.ReLU(),
            nn.ConvTranspose2d(width // 2, 1, 4, 2, 1), nn.Sigmoid())

    def forward(self, z, labels=None):
        h = self.project(z if labels is None else torch.cat([z, labels], 1))
        return self.net(h.view(-1, self.width, 7, 7)).view(-1, IMAGE)


class DcganDiscriminator(nn.Module):
    def __init__(self, conditional, width=64):
        super().__init__()
        self.label_map = nn.Linear(CLASSES, IMAGE) if conditional else None
        channels = 2 if conditional else 1
        self.net = nn.Sequential(
            nn.Conv2d(channels, width // 2, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(width // 2, width, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Flatten(), nn.Linear(width * 7 * 7, 1))

    def forward(self, x, labels=None):
        if labels is not None:
            x = torch.cat([x, self.label_map(labels)], 1)
        return self.net(x.view(x.shape[0], -1, 28, 28))


class LeNet(nn.Module):
    """gan's digit classifier: conv 5x5 (20) - max pool - conv 5x5 (50) - max pool - dense 128 - softmax."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Conv2d(20, 50, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Flatten(), nn.Linear(50 * 4 * 4, 128), nn.ReLU(), nn.Linear(128, CLASSES))

    def forward(self, x):
        return self.net(x.view(-1, 1, 28, 28))


def measure_lenet(batch, warmup, iterations, repeats):
    torch.manual_seed(1)
    model = LeNet()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = nn.CrossEntropyLoss()
    data = torch.rand(1000, IMAGE)
    targets = torch.arange(1000) % CLASSES

    def step(i):
        start = (i * batch) % (1000 - batch + 1)
        opt.zero_grad()
        loss(model(data[start:start + batch]), targets[start:start + batch]).backward()
        opt.step()

    return timed(step, warmup, iterations, repeats)


def timed(step, warmup, iterations, repeats):
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


def measure(conditional, batch, warmup, iterations, repeats, arch="mlp"):
    torch.manual_seed(1)
    lr = 1e-3 if conditional else 2e-4
    if arch == "dcgan":
        g, d = DcganGenerator(conditional), DcganDiscriminator(conditional)
    else:
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

    return timed(step, warmup, iterations, repeats)


def blas_libraries():
    """The BLAS libraries this process has loaded after a matrix multiply (Linux: /proc/self/maps), or None."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    try:
        with open("/proc/self/maps") as maps:
            return sorted({line.split()[-1] for line in maps
                           if "blas" in line.rsplit("/", 1)[-1] or "mkl" in line.rsplit("/", 1)[-1]})
    except OSError:
        return None


def on_reference_blas(libraries):
    """Debian's PyTorch calls libblas.so.3, which is Netlib's reference BLAS (in .../blas/) unless an optimised one
    is installed (libopenblas0-pthread): several times slower (its DCGAN 321 ms an iteration here against 87 on
    OpenBLAS). An OpenBLAS loaded beside it for LAPACK does not help its matrix multiplies."""
    return libraries is not None and any("/blas/libblas.so" in lib for lib in libraries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", choices=("mlp", "dcgan", "lenet"), default="mlp")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--check-blas", action="store_true",
                        help="only say which BLAS PyTorch runs on; exit 3 on the slow reference BLAS")
    args = parser.parse_args()
    libraries = blas_libraries()
    if on_reference_blas(libraries):
        print("torch_reference.py: PyTorch runs on the reference BLAS (" + ", ".join(libraries) + "), several times "
              "slower than an optimised one: install one (Debian: apt-get install libopenblas0-pthread) before "
              "comparing", file=sys.stderr)
        if args.check_blas:
            sys.exit(3)
    if args.check_blas:
        print("BLAS: " + (", ".join(libraries) if libraries else "unknown"))
        return
    torch.set_num_threads(args.threads)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s)")
    # Process warm-up: the first model measured in a fresh process ran 3-4x slower (28 against 7-10 ms per
    # iteration) until glibc's malloc had raised its mmap threshold; one short untimed run settles it.
    measure(True, args.batch_size, 200, 0, 0)
    print(f"{'model':<18} {'batch':>5} {'median ms/it':>13} {'min':>7} {'max':>7} {'images/s':>9}")
    runs = [("lenet", None)] if args.arch == "lenet" else [("plain", False), ("conditional", True)]
    for name, conditional in runs:
        if conditional is None:
            ms = measure_lenet(args.batch_size, args.warmup, args.iterations, args.repeats)
        else:
            ms = measure(conditional, args.batch_size, args.warmup, args.iterations, args.repeats, args.arch)
            name = f"{name} {args.arch}"
        median = statistics.median(ms)
        print(f"{name:<18} {args.batch_size:>5} {median:>13.2f} {min(ms):>7.2f} {max(ms):>7.2f} "
              f"{args.batch_size * 1000 / median:>9.0f}")


if __name__ == "__main__":
    main()
