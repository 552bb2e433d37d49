#!/usr/bin/python3
"""Turns one mpstream output directory into a GetDP case (benchmarks/getdp/README.md).

Usage: prepare_case.py MPSTREAM_OUT_DIR GETDP_CASE_DIR

Reads MPSTREAM_OUT_DIR/{mesh.msh, spheres.csv, parameters_used.prm} (what `mpstream
electrostatics` wrote) and writes to GETDP_CASE_DIR:
  mesh.msh  the same mesh as second-order (Tet10/Triangle6) elements: the same vertices and
            tetrahedra, a mid-edge node on every edge, placed at the edge midpoint, or, for the
            edges of sphere-surface triangles, projected radially onto the exact sphere. That is
            the geometry mpstream's P2 MappingFEField builds from the same file (doc/
            electrostatics.md), so both codes discretise the same curved domain.
            The vacuum volume's physical tag 1 becomes VACUUM_TAG: GetDP identifies regions by
            number only, so volume 1 and the anode surface 1 would otherwise be one region.
  case.pro  groups and constraint values: anode and enclosure at 0 V, electrode k at the
            potential of `Electrostatics/Electrode potentials [V]`, sphere n with the charge of
            `Electrostatics/Sphere charge [C]` (uniform charge mode only).
Only numpy (Debian python3-numpy, via python3-matplotlib) beyond the standard library.
"""
import csv
import os
import sys

import numpy as np

VACUUM_TAG = 9001  # meshing/physical_tags.h: vacuum = 1; renumbered for GetDP (see above)
ANODE, ENCLOSURE, FIRST_ELECTRODE, FIRST_SPHERE = 1, 2, 100, 1000
TRI3, TET4, TRI6, TET10 = 2, 4, 9, 11
# Gmsh's order of the mid-edge nodes (Gmsh reference manual, "Node ordering").
TET_EDGES = [(0, 1), (1, 2), (2, 0), (3, 0), (3, 2), (3, 1)]
TRI_EDGES = [(0, 1), (1, 2), (2, 0)]


def fail(message):
    sys.exit(f"prepare_case.py: {message}")


def read_msh22(path):
    with open(path) as f:
        lines = f.read().split("\n")
    if not lines or lines[0] != "$MeshFormat" or not lines[1].startswith("2.2 0"):
        fail(f"{path}: expected an ASCII MSH 2.2 file (mpstream's mesh.msh)")
    i = lines.index("$Nodes")
    n_nodes = int(lines[i + 1])
    xyz = np.loadtxt(lines[i + 2:i + 2 + n_nodes], dtype=float)
    node_ids = xyz[:, 0].astype(np.int64)
    xyz = xyz[:, 1:4]
    j = lines.index("$Elements")
    n_elements = int(lines[j + 1])
    elements = {TRI3: [], TET4: []}
    for line in lines[j + 2:j + 2 + n_elements]:
        v = line.split()
        etype, ntags = int(v[1]), int(v[2])
        if etype not in elements:
            fail(f"{path}: element type {etype} found; expected linear triangles and tetrahedra")
        elements[etype].append([int(v[3])] + [int(x) for x in v[3 + ntags:]])
    return node_ids, xyz, {k: np.array(e, dtype=np.int64) for k, e in elements.items()}


def read_spheres(path):
    with open(path) as f:
        rows = [r for r in csv.reader(line for line in f if not line.startswith("#"))]
    header = rows[0]
    data = np.array([[float(x) for x in r] for r in rows[1:] if r], dtype=float)
    col = {name: k for k, name in enumerate(header)}
    return data[:, [col["x"], col["y"], col["z"]]], data[:, col["radius"]]


def read_prm(path):
    """The flat 'Section/Key' -> value map of a deal.II .prm file (one level of sections)."""
    values, section = {}, []
    with open(path) as f:
        for line in f:
            line = line.split("#")[0].strip()
            if line.startswith("subsection "):
                section.append(line[len("subsection "):].strip())
            elif line == "end":
                section.pop()
            elif line.startswith("set "):
                key, _, value = line[4:].partition("=")
                values["/".join(section + [key.strip()])] = value.strip()
    return values


def second_order(node_ids, xyz, elements, centres, radii):
    """Tet10 + Triangle6 connectivity with mid-edge nodes (numbers after the largest id)."""
    index = -np.ones(node_ids.max() + 1, dtype=np.int64)
    index[node_ids] = np.arange(len(node_ids))
    tets, tris = elements[TET4], elements[TRI3]
    tet_v = index[tets[:, 1:5]]
    tri_v = index[tris[:, 1:4]]
    # Unique edges of the tetrahedra (every triangle edge is a tetrahedron edge).
    pairs = np.concatenate([np.sort(tet_v[:, [a, b]], axis=1) for a, b in TET_EDGES])
    key = pairs[:, 0] * len(node_ids) + pairs[:, 1]
    unique_keys, edge_of = np.unique(key, return_inverse=True)
    edges = np.stack([unique_keys // len(node_ids), unique_keys % len(node_ids)], axis=1)
    mid = 0.5 * (xyz[edges[:, 0]] + xyz[edges[:, 1]])
    projected = np.zeros(len(edges), dtype=bool)
    # Edges of sphere-surface triangles: project onto that sphere along the radius.
    for tag in np.unique(tris[:, 0]):
        if tag < FIRST_SPHERE:
            continue
        n = tag - FIRST_SPHERE
        if n >= len(radii):
            fail(f"surface tag {tag} names sphere {n}, but spheres.csv has {len(radii)} spheres")
        sel = tri_v[tris[:, 0] == tag]
        tri_pairs = np.concatenate([np.sort(sel[:, [a, b]], axis=1) for a, b in TRI_EDGES])
        ids = np.searchsorted(unique_keys, tri_pairs[:, 0] * len(node_ids) + tri_pairs[:, 1])
        d = mid[ids] - centres[n]
        mid[ids] = centres[n] + radii[n] * d / np.linalg.norm(d, axis=1)[:, None]
        projected[ids] = True
    first_mid_id = node_ids.max() + 1
    mid_ids = first_mid_id + np.arange(len(edges))
    tet_mid = mid_ids[edge_of.reshape(len(TET_EDGES), -1).T]
    tri_pairs = np.concatenate([np.sort(tri_v[:, [a, b]], axis=1) for a, b in TRI_EDGES])
    tri_edge = np.searchsorted(unique_keys, tri_pairs[:, 0] * len(node_ids) + tri_pairs[:, 1])
    tri_mid = mid_ids[tri_edge.reshape(len(TRI_EDGES), -1).T]
    curved = projected[edge_of.reshape(len(TET_EDGES), -1).T].any(axis=1)
    tet_points = np.concatenate([xyz[tet_v], mid[edge_of.reshape(len(TET_EDGES), -1).T]], axis=1)
    inverted = count_inverted(tet_points[curved])
    return mid_ids, mid, np.hstack([tets[:, 1:5], tet_mid]), np.hstack([tris[:, 1:4], tri_mid]), inverted


def count_inverted(points):
    """Curved tetrahedra (10 nodes each, Gmsh order) whose Jacobian determinant changes sign.

    det J is sampled on a lattice of 84 reference points (7 per edge) and compared with the
    straight cell's. A flat tetrahedron with all four vertices on one sphere turns inside out
    when its edges bulge outwards; then the integrals of both codes are meaningless there."""
    bary_grad = np.array([[-1, -1, -1], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=float)
    straight = np.linalg.det(np.einsum("kd,mki->mid", bary_grad, points[:, :4]))
    ticks = np.linspace(0, 1, 7)
    worst = np.full(len(points), np.inf)
    for u in ticks:
        for v in ticks:
            for w in ticks:
                if u + v + w > 1 + 1e-12:
                    continue
                lam = [1 - u - v - w, u, v, w]
                grads = [(4 * lam[k] - 1) * bary_grad[k] for k in range(4)]
                grads += [4 * (lam[a] * bary_grad[b] + lam[b] * bary_grad[a]) for a, b in TET_EDGES]
                jac = np.einsum("kd,mki->mid", np.array(grads), points)
                worst = np.minimum(worst, np.linalg.det(jac) / straight)
    return int(np.sum(worst <= 0))


def write_msh22(path, node_ids, xyz, mid_ids, mid, tets, tet_tags, tris, tri_tags):
    with open(path, "w") as f:
        f.write("$MeshFormat\n2.2 0 8\n$EndMeshFormat\n$Nodes\n")
        f.write(f"{len(node_ids) + len(mid_ids)}\n")
        for ids, pts in ((node_ids, xyz), (mid_ids, mid)):
            np.savetxt(f, np.column_stack([ids, pts]), fmt=["%d", "%.17g", "%.17g", "%.17g"])
        f.write("$EndNodes\n$Elements\n")
        f.write(f"{len(tris) + len(tets)}\n")
        n_tri = len(tris)
        rows_tri = np.column_stack([np.arange(1, n_tri + 1), np.full(n_tri, TRI6), np.full(n_tri, 2),
                                    tri_tags, tri_tags, tris])
        rows_tet = np.column_stack([np.arange(n_tri + 1, n_tri + len(tets) + 1), np.full(len(tets), TET10),
                                    np.full(len(tets), 2), tet_tags, tet_tags, tets])
        np.savetxt(f, rows_tri, fmt="%d")
        np.savetxt(f, rows_tet, fmt="%d")
        f.write("$EndElements\n")


def write_case(path, surface_tags, n_spheres, electrode_potentials, sphere_charge):
    electrodes = sorted(t for t in surface_tags if FIRST_ELECTRODE <= t < FIRST_SPHERE)
    spheres = sorted(t for t in surface_tags if t >= FIRST_SPHERE)
    if len(spheres) != n_spheres:
        fail(f"the mesh has {len(spheres)} sphere surfaces, spheres.csv {n_spheres} spheres")
    grounded = [t for t in (ANODE, ENCLOSURE) if t in surface_tags]
    dirichlet = grounded + electrodes
    lines = ["// Generated by benchmarks/getdp/prepare_case.py: regions and values of one case.",
             "Group {",
             f"  Vol_Ele = Region[{VACUUM_TAG}];",
             f"  Sur_Dir_Ele = Region[{{{', '.join(map(str, dirichlet))}}}];",
             f"  Sur_C_Ele = Region[{{{', '.join(map(str, spheres))}}}];",
             "}",
             "Constraint {",
             "  { Name ElectricScalarPotential; Case {"]
    for t in grounded:
        lines.append(f"      {{ Region Region[{t}]; Value 0; }}")
    for t in electrodes:
        k = t - FIRST_ELECTRODE
        value = electrode_potentials[k] if k < len(electrode_potentials) else 0.0
        lines.append(f"      {{ Region Region[{t}]; Value {value!r}; }}")
    lines += ["  } }", "  { Name GlobalElectricCharge; Case {"]
    for t in spheres:
        lines.append(f"      {{ Region Region[{t}]; Value {sphere_charge!r}; }}")
    lines += ["  } }", "}"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    if len(sys.argv) != 3:
        fail("usage: prepare_case.py MPSTREAM_OUT_DIR GETDP_CASE_DIR")
    src, dst = sys.argv[1], sys.argv[2]
    os.makedirs(dst, exist_ok=True)
    prm = read_prm(os.path.join(src, "parameters_used.prm"))
    if prm.get("Electrostatics/Charge mode") != "uniform":
        fail("only Electrostatics/Charge mode = uniform is supported")
    charge = float(prm["Electrostatics/Sphere charge [C]"])
    potentials = [float(x) for x in prm.get("Electrostatics/Electrode potentials [V]", "").split(",") if x.strip()]
    centres, radii = read_spheres(os.path.join(src, "spheres.csv"))
    node_ids, xyz, elements = read_msh22(os.path.join(src, "mesh.msh"))
    if set(np.unique(elements[TET4][:, 0])) != {1}:
        fail("expected the vacuum (physical volume 1) as the only volume")
    mid_ids, mid, tets, tris, inverted = second_order(node_ids, xyz, elements, centres, radii)
    write_msh22(os.path.join(dst, "mesh.msh"), node_ids, xyz, mid_ids, mid, tets,
                np.full(len(tets), VACUUM_TAG), tris, elements[TRI3][:, 0])
    write_case(os.path.join(dst, "case.pro"), set(np.unique(elements[TRI3][:, 0])), len(radii), potentials, charge)
    with open(os.path.join(dst, "inverted_curved_cells"), "w") as f:
        f.write(f"{inverted}\n")
    print(f"prepare_case: {len(tets)} Tet10, {len(tris)} Triangle6, {len(node_ids)} + {len(mid_ids)} nodes, "
          f"{inverted} curved tetrahedra inverted by the sphere projection")


if __name__ == "__main__":
    main()
