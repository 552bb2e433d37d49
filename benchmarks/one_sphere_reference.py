#!/usr/bin/python3
"""Analytic reference of the one-sphere problem (inputs/bench_one_sphere.prm).

A conducting sphere of radius R, centre at height d above a grounded plane: by images its
capacitance is C = 4 pi eps0 R sinh(a) sum_{n>=1} 1/sinh(n a), cosh a = d/R (Smythe, Static and
Dynamic Electricity, 3rd ed. 1968, Sect. 5.08; the series of Maxwell's successive images). A
charge Q puts it at phi = Q / C. The grounded box of the scenario changes phi by 3.6e-6
relative (doc/performance.md), which this reference neglects.

Usage: one_sphere_reference.py SPHERES_CSV [TOLERANCE]
  SPHERES_CSV: mpstream's electrostatics_spheres.csv (one sphere). Prints the relative error of
  its potential_V; with TOLERANCE, exits 1 if |error| exceeds it.
"""
import csv
import math
import sys

VACUUM_PERMITTIVITY = 8.8541878128e-12  # F/m, CODATA 2018


def sphere_plane_capacitance(radius_m, centre_height_m, terms=400):
    a = math.acosh(centre_height_m / radius_m)
    series = sum(1.0 / math.sinh(n * a) for n in range(1, terms + 1) if n * a < 700)
    return 4 * math.pi * VACUUM_PERMITTIVITY * radius_m * math.sinh(a) * series


def main():
    with open(sys.argv[1]) as f:
        rows = list(csv.DictReader(f))
    if len(rows) != 1:
        sys.exit(f"expected one sphere, found {len(rows)}")
    row = rows[0]
    capacitance = sphere_plane_capacitance(float(row["radius_m"]), float(row["z_m"]))
    reference = float(row["charge_C"]) / capacitance
    potential = float(row["potential_V"])
    error = potential / reference - 1
    print(f"sphere potential {potential:.9g} V, reference {reference:.9g} V (C = {capacitance:.9g} F), "
          f"relative error {error:+.3e}")
    if len(sys.argv) > 2 and not abs(error) <= float(sys.argv[2]):
        print(f"FAIL: |relative error| > {sys.argv[2]}")
        sys.exit(1)


if __name__ == "__main__":
    main()
