#!/usr/bin/python3
"""FEniCSx peer of mpstream on the one-sphere problem (issue 16 item 5).

The geometry of inputs/bench_one_sphere.prm: a sphere of radius R = 2.5 um, centre 5 um above the
grounded anode z = 0, in a grounded box 500 x 500 x 500 um. DOLFINx solves the Dirichlet form
(sphere at 1 V, every other wall 0 V) with P2 on curved second-order tetrahedra from the Gmsh
Python API (the same size field as mpstream's mesher: R / n on the sphere, growing by g per unit
distance, or as mpstream's Mesh/Size growth exponent a != 1 with h (1 + g s / (a h))^a, capped), CG + BoomerAMG through PETSc options, and takes the capacitance from the field
energy C = eps0 int |grad u|^2 (the quantity mpstream's floating-sphere potential measures:
phi = Q / C). Reports the relative error against the sphere-plane image series and the time of
each part, as one JSON line on stdout.

Usage: one_sphere.py [--elements-per-radius N] [--growth G] [--growth-exponent A] [--rtol T]
                     [--max-size M] [--volume-algorithm delaunay|hxt]
Run with /usr/bin/python3 (Debian's python3-dolfinx 0.5 and python3-gmsh).
"""
import argparse
import json
import os
import sys
import time

START = time.perf_counter()

import gmsh  # noqa: E402
import numpy as np  # noqa: E402
import ufl  # noqa: E402
from dolfinx import fem  # noqa: E402
from dolfinx.fem.petsc import LinearProblem  # noqa: E402
from dolfinx.io import gmshio  # noqa: E402
from dolfinx.mesh import exterior_facet_indices  # noqa: E402
from mpi4py import MPI  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from one_sphere_reference import VACUUM_PERMITTIVITY, sphere_plane_capacitance  # noqa: E402

UM = 1e-6  # the Gmsh model is built in micrometres (OpenCASCADE's tolerances suit O(1) sizes)
RADIUS_UM, CENTRE_UM, BOX_UM = 2.5, 5.0, 500.0
SPHERE_TAG, VACUUM_TAG = 2, 1


# Gmsh's Mesh.Algorithm3D, as mpstream's Mesh/Volume algorithm.
VOLUME_ALGORITHMS = {"delaunay": 1, "hxt": 10}


def size_field(h_sphere, growth, exponent, max_size_um):
    """Gmsh's Ball field (linear growth), or for exponent != 1 a MathEval field of the power law
    (the size mpstream's mesher gives its size callback, meshing/sphere_size_field.h)."""
    if exponent == 1:
        field = gmsh.model.mesh.field.add("Ball")
        for name, value in (("XCenter", 0), ("YCenter", 0), ("ZCenter", CENTRE_UM), ("Radius", RADIUS_UM),
                            ("VIn", h_sphere), ("VOut", max_size_um),
                            ("Thickness", (max_size_um - h_sphere) / growth)):
            gmsh.model.mesh.field.setNumber(field, name, value)
        return field
    surface_distance = f"Max(Sqrt(x^2 + y^2 + (z - {CENTRE_UM!r})^2) - {RADIUS_UM!r}, 0)"
    law = f"{h_sphere!r} * (1 + {growth!r} * {surface_distance} / {exponent * h_sphere!r})^{exponent!r}"
    field = gmsh.model.mesh.field.add("MathEval")
    gmsh.model.mesh.field.setString(field, "F", f"Min({law}, {max_size_um!r})")
    return field


def build_mesh(elements_per_radius, growth, exponent, max_size_um, volume_algorithm):
    gmsh.initialize()
    gmsh.option.setNumber("General.Terminal", 0)
    gmsh.model.add("one_sphere")
    half = BOX_UM / 2
    box = gmsh.model.occ.addBox(-half, -half, 0, BOX_UM, BOX_UM, BOX_UM)
    ball = gmsh.model.occ.addSphere(0, 0, CENTRE_UM, RADIUS_UM)
    vacuum, _ = gmsh.model.occ.cut([(3, box)], [(3, ball)])
    gmsh.model.occ.synchronize()
    gmsh.model.addPhysicalGroup(3, [vacuum[0][1]], VACUUM_TAG)
    boundary = gmsh.model.getBoundary(vacuum, oriented=False)
    sphere_faces = [f for d, f in boundary if gmsh.model.getType(d, f) == "Sphere"]
    gmsh.model.addPhysicalGroup(2, sphere_faces, SPHERE_TAG)
    h_sphere = RADIUS_UM / elements_per_radius
    field = size_field(h_sphere, growth, exponent, max_size_um)
    gmsh.model.mesh.field.setAsBackgroundMesh(field)
    for name, value in (("Mesh.MeshSizeFromPoints", 0), ("Mesh.MeshSizeFromCurvature", 0),
                        ("Mesh.MeshSizeExtendFromBoundary", 0), ("Mesh.Algorithm", 6),
                        ("Mesh.Algorithm3D", VOLUME_ALGORITHMS[volume_algorithm]), ("Mesh.Optimize", 1)):
        gmsh.option.setNumber(name, value)
    gmsh.model.mesh.generate(3)
    gmsh.model.mesh.setOrder(2)  # curved: the mid-edge nodes on the sphere lie on the sphere
    mesh, _, facet_tags = gmshio.model_to_mesh(gmsh.model, MPI.COMM_WORLD, 0, gdim=3)
    gmsh.finalize()
    mesh.geometry.x[:] *= UM
    return mesh, facet_tags


def solve(mesh, facet_tags, rtol):
    V = fem.FunctionSpace(mesh, ("Lagrange", 2))
    fdim = mesh.topology.dim - 1
    mesh.topology.create_connectivity(fdim, mesh.topology.dim)
    outer = np.setdiff1d(exterior_facet_indices(mesh.topology), facet_tags.find(SPHERE_TAG))
    one = fem.Function(V)
    one.x.array[:] = 1.0
    bcs = [fem.dirichletbc(one, fem.locate_dofs_topological(V, fdim, facet_tags.find(SPHERE_TAG))),
           fem.dirichletbc(fem.Constant(mesh, 0.0), fem.locate_dofs_topological(V, fdim, outer), V)]
    u, v = ufl.TrialFunction(V), ufl.TestFunction(V)
    a = ufl.inner(ufl.grad(u), ufl.grad(v)) * ufl.dx
    L = fem.Constant(mesh, 0.0) * v * ufl.dx
    problem = LinearProblem(a, L, bcs=bcs, petsc_options={
        "ksp_type": "cg", "ksp_rtol": rtol, "ksp_atol": 0.0, "ksp_norm_type": "unpreconditioned",
        "pc_type": "hypre", "pc_hypre_type": "boomeramg"})
    phi = problem.solve()
    energy = fem.assemble_scalar(fem.form(ufl.inner(ufl.grad(phi), ufl.grad(phi)) * ufl.dx))
    capacitance = VACUUM_PERMITTIVITY * mesh.comm.allreduce(energy, op=MPI.SUM)
    return V.dofmap.index_map.size_global, problem.solver.getIterationNumber(), capacitance


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elements-per-radius", type=float, default=7)
    parser.add_argument("--growth", type=float, default=0.1)
    parser.add_argument("--growth-exponent", type=float, default=1.0)
    parser.add_argument("--rtol", type=float, default=1e-10)
    parser.add_argument("--max-size", type=float, default=100.0, help="um")
    parser.add_argument("--volume-algorithm", choices=sorted(VOLUME_ALGORITHMS), default="delaunay")
    args = parser.parse_args()
    t_import = time.perf_counter()
    mesh, facet_tags = build_mesh(args.elements_per_radius, args.growth, args.growth_exponent, args.max_size,
                                   args.volume_algorithm)
    t_mesh = time.perf_counter()
    n_dofs, iterations, capacitance = solve(mesh, facet_tags, args.rtol)
    t_solve = time.perf_counter()
    reference = sphere_plane_capacitance(RADIUS_UM * UM, CENTRE_UM * UM)
    # phi = Q / C: the potential's relative error is 1 / (1 + C error) - 1.
    print(json.dumps({
        "n_dofs": int(n_dofs), "n_cells": int(mesh.topology.index_map(3).size_global),
        "cg_iterations": int(iterations), "capacitance_F": capacitance,
        "potential_relative_error": reference / capacitance - 1,
        "import_s": t_import - START, "mesh_s": t_mesh - t_import, "fe_solve_s": t_solve - t_mesh,
        "elements_per_radius": args.elements_per_radius, "growth": args.growth,
        "growth_exponent": args.growth_exponent, "rtol": args.rtol,
        "volume_algorithm": args.volume_algorithm}))


if __name__ == "__main__":
    main()
