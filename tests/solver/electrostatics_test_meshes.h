#pragma once
// Test meshes for the electrostatics tests, built in-process with the project's mesher from a
// hand-made layout (electrodes off unless asked), in a per-process temporary directory.
#include "meshing/mesher.h"
#include "layout/stream_layout.h"

#include <mpi.h>

#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

namespace mpstream::solver::test_meshes
{
  inline layout::StreamLayout spheres_layout(const std::vector<layout::Point3> &centres, double radius,
                                              bool anode)
  {
    layout::StreamLayout layout;
    for (const auto &c : centres)
      layout.spheres.push_back({c, radius, 0});
    layout.layer_heights = {centres.front()[2]};
    layout.anode_present = anode;
    return layout;
  }

  inline std::filesystem::path scratch_directory()
  {
    // One directory per test process (rank 0's pid, shared with the other ranks).
    long pid = static_cast<long>(getpid());
    MPI_Bcast(&pid, 1, MPI_LONG, 0, MPI_COMM_WORLD);
    const auto dir = std::filesystem::temp_directory_path() / ("mpstream_es_" + std::to_string(pid));
    std::filesystem::create_directories(dir);
    return dir;
  }

  // Rank 0 meshes, every rank gets the file name.
  inline std::string make_mesh(const layout::StreamLayout &layout, const meshing::EnclosureParameters &enclosure,
                               const meshing::MeshParameters &mesh, const std::string &name,
                               meshing::ElectrodeParameters electrodes = {false})
  {
    const auto file = (scratch_directory() / (name + ".msh")).string();
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    // One Gmsh thread: with two, Gmsh 4.8 occasionally left boundary triangles without their
    // physical tag (seen once in ~20 meshes); the solver refuses such meshes by name.
    auto serial_mesh    = mesh;
    serial_mesh.threads = 1;
    if (rank == 0)
      meshing::build_stream_mesh(layout, enclosure, electrodes, serial_mesh, file, "");
    MPI_Barrier(MPI_COMM_WORLD);
    return file;
  }

  // The small multilayer stream of the electrostatics and charging tests: 2 rows x 3 spheres in
  // 2 layers above the anode (one electrode frame per layer when meshed with
  // ElectrodeParameters{}), in a 100 x 100 x 60 um box.
  inline layout::StreamLayout small_multilayer_stream()
  {
    layout::LayoutParameters p;
    p.rows             = 2;
    p.spheres_per_row  = 3;
    p.n_layers         = 2;
    p.stream_thickness = 10e-6;
    return layout::make_stream_layout(p);
  }

  inline meshing::EnclosureParameters small_multilayer_box()
  {
    meshing::EnclosureParameters e;
    e.size_x = e.size_y = 100e-6;
    e.height = 60e-6;
    return e;
  }

  // Coarse (3 elements per radius, growth 0.5): for tests of the charging logic and of
  // embeddings compared on the same mesh, not of the field accuracy; quick on two busy cores.
  inline meshing::MeshParameters coarse_resolution()
  {
    meshing::MeshParameters m;
    m.elements_per_radius = 3;
    m.growth_rate         = 0.5;
    return m;
  }

  // Cube of side L centred on the origin, no anode.
  inline meshing::EnclosureParameters cube(double L)
  {
    meshing::EnclosureParameters e;
    e.size_x = e.size_y = L;
    e.floor  = -0.5 * L;
    e.height = 0.5 * L;
    return e;
  }
} // namespace mpstream::solver::test_meshes
