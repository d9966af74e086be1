"""Writes the NumPy-made fixtures the npy tests compare jarnn against (CI has no NumPy, so the
files are committed). Run from the repository root: python3 core/src/test/numpy/generate_fixtures.py

float32/NAME.npy and float64/NAME.npy hold the same values in each precision, so that one test
written for float32 reads both (its float64 twin is generated, see codegen/float64-twins.txt).
"""
import pathlib

import numpy as np

OUT = pathlib.Path("core/src/test/resources/io/jarnn/core/npy/numpy")


def special(dt):
    """The values of NpyNumpyFixturesTest.special(), in the same order."""
    fi = np.finfo(dt)
    return np.array([0.0, -0.0, fi.smallest_subnormal, fi.tiny, -fi.max, fi.max,
                     np.inf, -np.inf, np.nan, dt(1) / dt(3), -2.5, dt(1e-30)], dtype=dt).reshape(3, 4)


def ramp(dt, shape):
    """0, 1, 2, ... in C order, minus 2.5: NpyNumpyFixturesTest.ramp()."""
    return (np.arange(int(np.prod(shape)), dtype=dt) - dt(2.5)).reshape(shape)


def main():
    for name, dt in (("float32", np.float32), ("float64", np.float64)):
        d = OUT / name
        d.mkdir(parents=True, exist_ok=True)
        np.save(d / "special.npy", special(dt))
        np.save(d / "ramp-5.npy", ramp(dt, (5,)))
        np.save(d / "ramp-1000x1.npy", ramp(dt, (1000, 1)))
        np.save(d / "ramp-2x3x4.npy", ramp(dt, (2, 3, 4)))
        # Magic, length and dict fill exactly 128 bytes: NumPy pads a further 64.
        np.save(d / "ramp-aligned.npy", ramp(dt, (1,) * 12 + (10, 10)))
    mixed = {
        "kernel": ramp(np.float64, (2, 3)),
        "bias": ramp(np.float32, (3,)),
        "sigma": np.array([[1, -1], [-1, 1]], dtype=np.int8),
        "count": np.array(2**53, dtype=np.int64),
        "nested/deep": special(np.float64),
    }
    np.savez(OUT / "mixed.npz", **mixed)
    np.savez_compressed(OUT / "mixed-compressed.npz", **mixed)
    np.save(OUT / "float64-overflow.npy", np.array([[1.0, 2.0], [3.0, -1e300]]))
    np.save(OUT / "int64-beyond-2to53.npy", np.array([2**53, 2**53 + 1, -(2**63)], dtype=np.int64))


if __name__ == "__main__":
    main()
