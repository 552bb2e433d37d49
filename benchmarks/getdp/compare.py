#!/usr/bin/python3
"""Prints the mpstream-vs-GetDP tables of benchmarks/getdp_comparison.sh.

Usage: compare.py OUT_DIR

Each case directory OUT_DIR/<case>/ holds mpstream/ (the output of `mpstream electrostatics`)
and getdp/ (sphere_potentials.txt, probe_field.txt, getdp.log, wall_s). Cases named
isolated_* and plane_* are compared with analytic references, stream_* with each other.

References (the same formulas as tests/solver/electrostatics_references.h, re-implemented here
in numpy; sources there):
  isolated_*: sphere of radius R at the centre of a grounded cube of side L:
              P = k_e / R + G_box(0, 0), G_box = image series of the grounded box (Jackson 2.1-2.2),
              |E.n| = |Q| k_e / R^2 on the whole sphere.
  plane_*:    sphere centre at d above the grounded anode in the box: capacitance and E.n at the
              point nearest the plane from the sphere-plane image series (Smythe 5.08), plus the
              box's remaining images for the potential.
"""
import csv
import json
import math
import os
import re
import sys

import numpy as np

from prepare_case import read_prm  # one .prm reader for both steps

K_E = 1 / (4 * math.pi * 8.8541878128e-12)  # V m / C (common/constants.h)


def box_image_potential(lo, hi, source, target, K, without_floor_mirror):
    """Induced potential per unit charge (V/C) of the images of a grounded box; see the C++ twin."""
    per_axis = []
    for d in range(3):
        L = hi[d] - lo[d]
        n = np.arange(-K, K + 1)
        x = np.concatenate([source[d] + 2 * n * L, 2 * lo[d] - source[d] + 2 * n * L])
        sign = np.concatenate([np.ones_like(n), -np.ones_like(n)]).astype(float)
        identity = np.concatenate([n == 0, np.zeros_like(n, dtype=bool)])
        mirror0 = np.concatenate([np.zeros_like(n, dtype=bool), n == 0])
        per_axis.append((x - target[d], sign, identity, mirror0))
    (ax, asg, aid, _), (bx, bsg, bid, _), (cx, csg, cid, cm0) = per_axis
    r = np.sqrt(ax[:, None, None] ** 2 + bx[None, :, None] ** 2 + cx[None, None, :] ** 2)
    sign = asg[:, None, None] * bsg[None, :, None] * csg[None, None, :]
    skip = aid[:, None, None] & bid[None, :, None] & (cid | (cm0 if without_floor_mirror else False))[None, None, :]
    with np.errstate(divide="ignore"):
        terms = np.where(skip, 0.0, sign / r)
    return K_E * terms.sum()


def sphere_above_plane(R, d):
    """(capacitance F, E.n at the lowest point per unit charge V/m/C) by images; see the C++ twin."""
    q, z = [R / K_E], [d]
    for _ in range(400):
        D = d + z[-1]
        q.append(q[-1] * R / D)
        z.append(d - R * R / D)
        if q[-1] < 1e-18 * q[0]:
            break
    zp = d - R
    Q = sum(q)
    Ez = sum(K_E * qk * (zp - zk) / abs(zp - zk) ** 3 - K_E * qk * (zp + zk) / abs(zp + zk) ** 3
             for qk, zk in zip(q, z))
    return Q, -Ez / Q


def mpstream_results(case_dir):
    d = os.path.join(case_dir, "mpstream")
    with open(os.path.join(d, "summary.json")) as f:
        summary = json.load(f)["electrostatics"]
    with open(os.path.join(d, "electrostatics_spheres.csv")) as f:
        spheres = list(csv.DictReader(f))
    return summary, spheres, read_prm(os.path.join(d, "parameters_used.prm"))


def getdp_results(case_dir):
    d = os.path.join(case_dir, "getdp")
    with open(os.path.join(d, "sphere_potentials.txt")) as f:
        potentials = [float(x) for x in f.read().split()[1:]]
    log = open(os.path.join(d, "getdp.log"), errors="replace").read()
    unknowns = int(re.search(r"N: (\d+)", log).group(1))
    iterations = int(re.findall(r"(\d+) iterations", log)[-1])
    # GetDP's cumulative wall/CPU clock at the end of the resolution (read + pre-processing +
    # assembly + solver set-up + solve); the post-processing is not included.
    end = log.index("E n d   P r o c e s s i n g")
    wall, cpu = map(float, re.findall(r"Wall = ([0-9.]+)s, CPU = ([0-9.]+)s", log[:end])[-1])
    field = None
    probe = os.path.join(d, "probe_field.txt")
    if os.path.exists(probe):
        values = [float(x) for x in open(probe).read().split()]
        field = math.sqrt(sum(v * v for v in values[-3:]))
    with open(os.path.join(d, "wall_s")) as f:
        process_wall = float(f.read())
    with open(os.path.join(d, "inverted_curved_cells")) as f:
        inverted = int(f.read())
    return dict(potentials=potentials, unknowns=unknowns, iterations=iterations, wall=wall, cpu=cpu,
                field=field, process_wall=process_wall, inverted=inverted)


def reference(case, prm, spheres):
    R = float(spheres[0]["radius_m"])
    Q = float(spheres[0]["charge_C"])
    sx, sy = float(prm["Enclosure/Size x [m]"]), float(prm["Enclosure/Size y [m]"])
    top = float(prm["Enclosure/Height [m]"])
    centre = [float(spheres[0][k]) for k in ("x_m", "y_m", "z_m")]
    if case.startswith("isolated"):
        floor = float(prm["Enclosure/Floor without anode [m]"])
        lo, hi = [-sx / 2, -sy / 2, floor], [sx / 2, sy / 2, top]
        P = K_E / R + box_image_potential(lo, hi, centre, centre, 12, False)
        return Q * P, abs(Q) * K_E / R ** 2
    lo, hi = [-sx / 2, -sy / 2, 0.0], [sx / 2, sy / 2, top]
    C, bottom = sphere_above_plane(R, centre[2])
    P = 1 / C + box_image_potential(lo, hi, centre, centre, 12, True)
    return Q * P, abs(bottom * Q)


def main():
    out = sys.argv[1]
    cases = sorted(c for c in os.listdir(out) if os.path.isdir(os.path.join(out, c, "getdp")))
    load = open("/proc/loadavg").read().split()[0] if os.path.exists("/proc/loadavg") else "?"
    print(f"\n== mpstream vs GetDP, same mesh, 1 process each (load average now {load})")
    print(f"{'case':18} {'P2 DoFs':>9} {'GetDP N':>9} {'it m/G':>7} {'mpstream s':>10} "
          f"{'GetDP s':>8} {'GetDP CPU':>9} {'ratio m/G':>9}")
    rows = {}
    for case in cases:
        d = os.path.join(out, case)
        s, spheres, prm = mpstream_results(d)
        g = getdp_results(d)
        t_m = s["electrostatics_setup_s"] + s["electrostatics_solve_s"]
        rows[case] = (s, spheres, prm, g)
        print(f"{case:18} {s['n_dofs']:9d} {g['unknowns']:9d} {s['solver_iterations']:3d}/{g['iterations']:<3d} "
              f"{t_m:10.2f} {g['wall']:8.2f} {g['cpu']:9.2f} {t_m / g['wall']:9.3f}")
    print("(mpstream s = set-up + solve wall time from summary.json; GetDP s = its wall clock at the end of"
          " the resolution: read, pre-processing, assembly, AMG set-up, CG; ratio < 1: mpstream faster)")
    print(f"\n{'case':18} {'C error mpstream':>24} {'GetDP':>10} {'E.n error mpstream':>19} {'GetDP':>9}"
          f" {'max |dphi| m-G rel':>18} {'inverted cells':>14}")
    for case, (s, spheres, prm, g) in rows.items():
        phi_m = [float(r["potential_V"]) for r in spheres]
        diff = max(abs(a / b - 1) for a, b in zip(phi_m, g["potentials"]))
        if case.startswith(("isolated", "plane")):
            phi_ref, field_ref = reference(case, prm, spheres)
            e_m = float(spheres[0]["field_abs_max_V_per_m"]) / field_ref - 1
            e_g = g["field"] / field_ref - 1 if g["field"] is not None else float("nan")
            print(f"{case:18} {phi_ref / phi_m[0] - 1:+24.2e} {phi_ref / g['potentials'][0] - 1:+10.2e} "
                  f"{e_m:+19.2e} {e_g:+9.2e} {diff:18.2e} {g['inverted']:14d}")
        else:
            print(f"{case:18} {'(no reference)':>24} {'':10} {'':>19} {'':9} {diff:18.2e} {g['inverted']:14d}")
    print("(C error = C / C_ref - 1 with C = Q / phi_sphere; E.n: mpstream's"
          " max |E.n| over the sphere (recovered surface charge, at the bottom for plane_*),"
          " GetDP's |grad phi| at the sphere's lowest point; inverted cells: curved tetrahedra whose"
          " Jacobian changes sign after the sphere projection, where the codes differ)")


if __name__ == "__main__":
    main()
